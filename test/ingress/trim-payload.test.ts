import { describe, expect, it } from 'vitest';
import { PASS_THROUGH_LIMIT, trimPayload } from '../../shared/ingress/trim-payload.ts';
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
