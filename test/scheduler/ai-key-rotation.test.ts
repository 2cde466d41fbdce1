import { afterEach, describe, expect, it } from 'vitest';
import { SECRETS, TOPICS } from '../../shared/ports/index.ts';
import {
  AI_KEY_SETTLE_MS,
  createScheduler,
  type RotationRecord,
  SCHEDULER_COLLECTIONS,
} from '../../shared/scheduler/index.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { type Harness, startHarness } from './support/scheduler-harness.ts';

const OLD = 'sk-proj-rotation-old-0123456789abcdef';
const NEW = 'sk-proj-rotation-new-0123456789abcdef';

let h: Harness | undefined;
let loop: LoopbackAi | undefined;
afterEach(async () => {
  await h?.close();
  await loop?.close();
  h = undefined;
  loop = undefined;
});

async function setup() {
  loop = await startLoopbackAi();
  h = await startHarness({
    OPENAI_BASE_URL: loop.baseUrls.openai,
    ANTHROPIC_BASE_URL: loop.baseUrls.anthropic,
    GEMINI_BASE_URL: loop.baseUrls.gemini,
  });
  return { h, loop };
}

/** A Secret Manager notification on the rotation topic, as Pub/Sub delivers it. */
const event = (harness: Harness, secret: string, eventType: string, id: string) =>
  harness.message(
    TOPICS.secretRotation,
    { name: `projects/demo-project/secrets/${secret}` },
    { eventType, secretId: `projects/demo-project/secrets/${secret}`, dataFormat: 'JSON' },
    id,
  );

const record = async (harness: Harness, id: string) =>
  (await harness.ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, `rot_${id}`))?.data;
const enabled = async (harness: Harness, secret: string) =>
  (await harness.ctx.secrets.accessEnabled(secret, { fresh: true })).map((v) => v.value);

describe('AI provider keys in the secret store: rotation', () => {
  it('a new version (SECRET_VERSION_ADD) is checked against the provider, then the older ones are disabled', async () => {
    const { h, loop } = await setup();
    await h.ctx.secrets.addVersion(SECRETS.openaiApiKey, OLD);
    await h.ctx.secrets.addVersion(SECRETS.openaiApiKey, NEW);
    await createScheduler(h.ctx)(event(h, SECRETS.openaiApiKey, 'SECRET_VERSION_ADD', 'v-1'));
    expect(loop.modelLists.map((r) => r.headers.authorization)).toEqual([`Bearer ${NEW}`]);
    expect(await enabled(h, SECRETS.openaiApiKey)).toEqual([NEW]);
    expect(await record(h, 'v-1')).toMatchObject({
      secret: SECRETS.openaiApiKey,
      status: 'done',
      aiKey: 'verified',
      disabledVersions: ['1'],
    });
    const logs = h.lines.join('\n');
    expect(logs).not.toContain(OLD);
    expect(logs).not.toContain(NEW);
  });

  it('SECRET_ROTATE with only one version: verified, nothing disabled, and the record says a new key must be made by hand', async () => {
    const { h } = await setup();
    await h.ctx.secrets.addVersion(SECRETS.anthropicApiKey, OLD);
    await createScheduler(h.ctx)(event(h, SECRETS.anthropicApiKey, 'SECRET_ROTATE', 'r-1'));
    expect(await enabled(h, SECRETS.anthropicApiKey)).toEqual([OLD]);
    expect(await record(h, 'r-1')).toMatchObject({ status: 'done', aiKey: 'needs a new key' });
    expect(h.lines.join('\n')).toContain('cannot create');
  });

  it('a new version the provider still refuses after AI_KEY_SETTLE_MS is disabled, so readers fall back to the previous key', async () => {
    const { h, loop } = await setup();
    await h.ctx.secrets.addVersion(SECRETS.geminiApiKey, OLD);
    await h.ctx.secrets.addVersion(SECRETS.geminiApiKey, NEW);
    loop.refuseKey('gemini', NEW);
    // Just made, the key may only not work yet: retried, nothing disabled.
    await expect(
      createScheduler(h.ctx)(event(h, SECRETS.geminiApiKey, 'SECRET_VERSION_ADD', 'v-2')),
    ).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('made 0 s ago') });
    expect(await enabled(h, SECRETS.geminiApiKey)).toEqual([NEW, OLD]);
    expect(await record(h, 'v-2')).toMatchObject({ status: 'started' });
    // Still refused once it had time to work everywhere: the redelivery disables it.
    h.clock.advance(AI_KEY_SETTLE_MS);
    await createScheduler(h.ctx)(event(h, SECRETS.geminiApiKey, 'SECRET_VERSION_ADD', 'v-2'));
    expect(await enabled(h, SECRETS.geminiApiKey)).toEqual([OLD]);
    expect((await h.ctx.secrets.accessLatest(SECRETS.geminiApiKey))?.value).toBe(OLD);
    expect(await record(h, 'v-2')).toMatchObject({
      status: 'done',
      aiKey: 'refused',
      disabledVersions: ['2'],
    });
  });

  it('a provider that cannot answer changes nothing and the message is retried', async () => {
    const { h, loop } = await setup();
    await h.ctx.secrets.addVersion(SECRETS.openaiApiKey, OLD);
    await h.ctx.secrets.addVersion(SECRETS.openaiApiKey, NEW);
    await loop.close();
    await expect(
      createScheduler(h.ctx)(event(h, SECRETS.openaiApiKey, 'SECRET_VERSION_ADD', 'v-3')),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(await enabled(h, SECRETS.openaiApiKey)).toEqual([NEW, OLD]);
    expect(await record(h, 'v-3')).toMatchObject({ status: 'started' });
  });

  it('version events of other secrets are still acknowledged and ignored', async () => {
    const { h } = await setup();
    await h.ctx.secrets.addVersion(SECRETS.githubWebhook, 'whatever-secret-value');
    await createScheduler(h.ctx)(event(h, SECRETS.githubWebhook, 'SECRET_VERSION_ADD', 'v-4'));
    expect(await record(h, 'v-4')).toBeUndefined();
  });
});
