import { describe, expect, it } from 'vitest';
import { ensureRepoWebhook, setRepoWebhookSecret } from '../../shared/connections/index.ts';
import type { AppContext } from '../../shared/context/index.ts';
import { AppError } from '../../shared/errors/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import type { RepoProvider, RepoWebhook, WebhookSupport } from '../../shared/ports/index.ts';

const URL = 'https://bridge.example.test/github/webhook';

/** A context with only what ensureRepoWebhook reads. */
function aContext(secret: string | null = 'whsec-1'): AppContext {
  return {
    config: { urls: { githubWebhook: URL } },
    secrets: { accessLatest: async () => (secret ? { version: '1', value: secret } : undefined) },
    now: () => new Date('2026-01-01T00:00:00Z'),
    logger: createLogger({ level: 'error', write: () => {} }),
  } as unknown as AppContext;
}

/** A repository whose hooks are `hooks`; `fail` makes listing throw, `failUpdate` updating. */
function aRepo(
  options: {
    hooks?: readonly RepoWebhook[];
    support?: WebhookSupport;
    fail?: AppError;
    failUpdate?: AppError;
  } = {},
) {
  const created: Array<{ url: string; secret: string; events: string[] }> = [];
  const updated: Array<{ id: number; secret: string }> = [];
  const repo = {
    displayName: 'acme/platform',
    webhookSupport: () => options.support ?? { managed: true },
    listWebhooks: async () => {
      if (options.fail) throw options.fail;
      return [...(options.hooks ?? [])];
    },
    createWebhook: async (hook: { url: string; secret: string; events: string[] }) => {
      created.push(hook);
      return { id: 9, url: hook.url, events: hook.events, active: true };
    },
    updateWebhook: async (id: number, patch: { secret: string }) => {
      if (options.failUpdate) throw options.failUpdate;
      updated.push({ id, ...patch });
    },
  } as unknown as RepoProvider;
  return { repo, created, updated };
}

const hook = (over: Partial<RepoWebhook> = {}): RepoWebhook => ({
  id: 3,
  url: URL,
  events: ['push', 'pull_request'],
  active: true,
  ...over,
});

describe('ensureRepoWebhook (setupWebhook)', () => {
  it.each([
    ['none yet: created with the current secret', {}, 'created', /created a webhook/],
    ['one points here already', { hooks: [hook()] }, 'exists', /^a webhook delivers to \S+$/],
    ['one with a trailing slash points here', { hooks: [hook({ url: `${URL}/` })] }, 'exists', /delivers/],
    [
      'one without pull requests',
      { hooks: [hook({ events: ['push'] })] },
      'exists',
      /does not send pull_request/,
    ],
    ['one that is inactive', { hooks: [hook({ active: false })] }, 'manual', /inactive/],
    ['a GitHub App', { support: { managed: false, reason: 'the App delivers' } }, 'not-needed', /App/],
    [
      'the token may not (403)',
      { fail: new AppError('forbidden', 'permission denied') },
      'manual',
      /Add it by hand/,
    ],
    ['the repository is hidden (404)', { fail: new AppError('not_found', 'not found') }, 'manual', /by hand/],
    [
      'GitHub is down',
      { fail: new AppError('unavailable', 'GitHub is unavailable') },
      'failed',
      /tries again/,
    ],
  ] as const)('%s', async (_name, options, state, message) => {
    const { repo, created } = aRepo(options);
    const result = await ensureRepoWebhook(aContext(), repo);
    expect(result.state).toBe(state);
    expect(result.message).toMatch(message);
    expect(created).toEqual(
      state === 'created' ? [{ url: URL, secret: 'whsec-1', events: ['push', 'pull_request'] }] : [],
    );
    // Only a hook it created is known to sign with a given version; a hand-kept one must be rotated by hand.
    if (state === 'created') expect(result).toMatchObject({ secret: 'current', secretVersion: '1' });
    else expect(result.secret).toBeUndefined();
    if (state === 'manual') expect(result.message).toContain('When the webhook secret is rotated');
  });

  it('without a webhook secret nothing is created, and the link says what to set', async () => {
    const { repo, created } = aRepo();
    const result = await ensureRepoWebhook(aContext(null), repo);
    expect(result).toMatchObject({
      state: 'manual',
      message: expect.stringContaining('GITHUB_WEBHOOK_SECRET'),
    });
    expect(created).toEqual([]);
  });
});

describe('setRepoWebhookSecret (rotation)', () => {
  const NEW = { version: '2', value: 'whsec-2' };

  it('sets the secret on every hook delivering here, and on nothing else', async () => {
    const other = hook({ id: 4, url: 'https://elsewhere.example.test/hook' });
    const { repo, updated } = aRepo({ hooks: [hook(), other, hook({ id: 5, url: `${URL}/` })] });
    const outcome = await setRepoWebhookSecret(aContext(), repo, NEW);
    expect(updated).toEqual([
      { id: 3, secret: 'whsec-2' },
      { id: 5, secret: 'whsec-2' },
    ]);
    expect(outcome).toMatchObject({
      updated: true,
      webhook: { state: 'exists', hookId: 3, secret: 'current', secretVersion: '2' },
    });
  });

  it('creates the hook with the new secret when it is gone', async () => {
    const { repo, created, updated } = aRepo();
    const outcome = await setRepoWebhookSecret(aContext(), repo, NEW);
    expect(updated).toEqual([]);
    expect(created).toEqual([{ url: URL, secret: 'whsec-2', events: ['push', 'pull_request'] }]);
    expect(outcome).toMatchObject({ updated: true, webhook: { state: 'created', secretVersion: '2' } });
  });

  it.each([
    ['the token may not (403)', { failUpdate: new AppError('forbidden', 'permission denied') }, true],
    ['the hook vanished meanwhile (404)', { failUpdate: new AppError('not_found', 'not found') }, true],
    ['GitHub is down', { failUpdate: new AppError('unavailable', 'GitHub is unavailable') }, false],
    ['listing fails', { fail: new AppError('unavailable', 'GitHub is unavailable') }, false],
  ] as const)('%s: not updated, with the reason', async (_name, options, refused) => {
    const { repo } = aRepo({ hooks: [hook()], ...options });
    const outcome = await setRepoWebhookSecret(aContext(), repo, NEW);
    expect(outcome).toEqual({ updated: false, reason: expect.any(String), refused });
    expect(JSON.stringify(outcome)).not.toContain('whsec-2');
  });

  it('a repository whose hooks the bridge does not manage needs none', async () => {
    const { repo, updated } = aRepo({
      hooks: [hook()],
      support: { managed: false, reason: 'the App delivers' },
    });
    const outcome = await setRepoWebhookSecret(aContext(), repo, NEW);
    expect(outcome).toMatchObject({ updated: true, webhook: { state: 'not-needed' } });
    expect(updated).toEqual([]);
  });
});
