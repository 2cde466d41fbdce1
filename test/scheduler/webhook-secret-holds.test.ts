import { describe, expect, it } from 'vitest';
import type { LinkWebhook } from '../../shared/records/index.ts';
import { webhookSecretHolds } from '../../shared/scheduler/webhook-secret-holds.ts';

const AT = '2025-03-01T12:00:00.000Z';
const REPO = 'https://github.com/acme/arch';

/** A link's webhook record (object mother): a hook the bridge created with version 2. */
const webhook = (over: Partial<LinkWebhook> = {}): LinkWebhook => ({
  state: 'created',
  message: 'created a webhook',
  hookId: 7,
  secret: 'current',
  secretVersion: '2',
  at: AT,
  ...over,
});

describe('what holds the older webhook secret versions (newest: 2)', () => {
  it.each([
    ['a managed hook with the newest secret', webhook(), undefined],
    ['a hook found there, then given the newest secret', webhook({ state: 'exists' }), undefined],
    ['a GitHub App or local repository', webhook({ state: 'not-needed', secret: undefined }), undefined],
    ['a managed hook still on version 1', webhook({ secretVersion: '1' }), /not been given the newest/],
    [
      'a hook found there, secret never set',
      webhook({ state: 'exists', secret: undefined }),
      /not been given/,
    ],
    ['a hook whose update failed', webhook({ secret: 'previous', secretVersion: '1' }), /failed/],
    [
      'a hook kept by hand',
      webhook({ state: 'manual', secret: undefined }),
      /by hand.*disables the old version/,
    ],
    [
      'a hook that could not be checked',
      webhook({ state: 'failed', secret: undefined }),
      /could not be checked/,
    ],
    ['a link never checked', undefined, /not been checked yet/],
  ] as const)('%s', (_name, hook, why) => {
    const holds = webhookSecretHolds([{ id: 'lnk_1', repo: REPO, webhook: hook }], '2');
    if (why === undefined) expect(holds).toEqual([]);
    else {
      expect(holds).toHaveLength(1);
      expect(holds[0]).toMatch(new RegExp(`^${REPO} \\(link lnk_1\\): `));
      expect(holds[0]).toMatch(why);
    }
  });

  it('says one line per repository and reason, naming its links, and stays short', () => {
    const stale = webhook({ secret: 'previous' });
    const links = [
      { id: 'lnk_1', repo: REPO, webhook: stale },
      { id: 'lnk_2', repo: REPO, webhook: stale },
      { id: 'lnk_3', repo: REPO, webhook: webhook() },
      ...Array.from({ length: 30 }, (_, i) => ({
        id: `lnk_m${i}`,
        repo: `https://github.com/acme/r${i}`,
        webhook: webhook({ state: 'manual' }),
      })),
    ];
    const holds = webhookSecretHolds(links, '2');
    expect(holds[0]).toMatch(
      /^https:\/\/github\.com\/acme\/arch \(links lnk_1, lnk_2\): setting the new secret/,
    );
    expect(holds).toHaveLength(21);
    expect(holds.at(-1)).toBe('… and 11 more');
  });
});
