import { describe, expect, it } from 'vitest';
import { PASS_THROUGH_LIMIT, trimPayload } from '../../shared/ingress/trim-payload.ts';
import { MAX_MESSAGE_BYTES } from '../../shared/ports/index.ts';
import { pushPayload } from './support/webhook-delivery.ts';

describe('trimPayload', () => {
  it('keeps what the worker reads from a push and drops the rest', () => {
    const payload = pushPayload({ messages: ['one', 'two'] });
    const trimmed = trimPayload('push', payload, 1000) as ReturnType<typeof pushPayload>;
    expect(trimmed.ref).toBe('refs/heads/main');
    expect(trimmed.after).toBe(payload.after);
    expect(trimmed.repository).toEqual({
      id: 1,
      name: 'architecture',
      full_name: 'octo-org/architecture',
      private: false,
      default_branch: 'main',
      owner: { login: 'octo-org', id: 2, type: 'Organization' },
    });
    expect(trimmed.commits.map((c) => [c.id, c.message, c.modified])).toEqual(
      payload.commits.map((c) => [c.id, c.message, c.modified]),
    );
    expect(trimmed.commits[0]).not.toHaveProperty('url');
    expect(trimmed.head_commit?.id).toBe(payload.after);
    expect(trimmed.installation).toEqual({ id: 77, node_id: 'X' });
  });

  it('drops per-commit file lists when a push is too big for one message', () => {
    const payload = pushPayload({ messages: ['big'] });
    const many = Array.from({ length: 120_000 }, (_, i) => `architecture/definitions/service-${i}.yaml`);
    payload.commits[0] = { ...payload.commits[0], added: many } as (typeof payload.commits)[0];
    const trimmed = trimPayload('push', payload, 5_000_000);
    expect(trimmed.truncated).toBe(true);
    expect(JSON.stringify(trimmed).length).toBeLessThan(10_000);
  });

  it('keeps every push under the bus’s cap in bytes, whatever its paths and messages are made of', () => {
    const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
    // 3 bytes a character: file lists under 4 MiB in characters but ~11 MB in bytes.
    const cjk = pushPayload({ messages: ['cjk'] });
    const paths = Array.from({ length: 70_000 }, (_, i) => `服务/定义/${'架构'.repeat(20)}-${i}.yaml`);
    cjk.commits[0] = { ...cjk.commits[0], added: paths } as (typeof cjk.commits)[0];
    const trimmedCjk = trimPayload('push', cjk, bytes(cjk));
    expect(bytes(trimmedCjk)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES - 1024 * 1024);
    expect(trimmedCjk.truncated).toBe(true);
    // Commit messages alone over the limit (GitHub sends up to 25 MiB): the commits go, the refs stay.
    const wordy = pushPayload({ messages: Array.from({ length: 12 }, () => 'x'.repeat(1024 * 1024)) });
    const trimmedWordy = trimPayload('push', wordy, bytes(wordy)) as ReturnType<typeof pushPayload>;
    expect(bytes(trimmedWordy)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES - 1024 * 1024);
    expect(trimmedWordy).toMatchObject({ ref: wordy.ref, after: wordy.after, truncated: true });
    expect(trimmedWordy.head_commit?.id).toBe(wordy.after);
  });

  it('passes small non-push events through whole and cuts big ones to the envelope', () => {
    const payload = { action: 'opened', repository: { full_name: 'o/r', extra: 1 }, issue: { number: 1 } };
    expect(trimPayload('issues', payload, 100)).toBe(payload);
    expect(trimPayload('issues', payload, PASS_THROUGH_LIMIT + 1)).toEqual({
      action: 'opened',
      repository: { full_name: 'o/r' },
      truncated: true,
    });
  });

  it('keeps what the worker reads of a big pull_request event', () => {
    const payload = {
      action: 'closed',
      repository: { full_name: 'o/r' },
      pull_request: {
        number: 7,
        merged: true,
        body: 'x'.repeat(10),
        head: { ref: 'bridge/l1', sha: 'a', repo: {} },
        base: { ref: 'main', sha: 'b', repo: {} },
      },
    };
    expect(trimPayload('pull_request', payload, PASS_THROUGH_LIMIT + 1)).toEqual({
      action: 'closed',
      repository: { full_name: 'o/r' },
      truncated: true,
      pull_request: {
        number: 7,
        merged: true,
        head: { ref: 'bridge/l1', sha: 'a' },
        base: { ref: 'main', sha: 'b' },
      },
    });
  });
});
