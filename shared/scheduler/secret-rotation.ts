import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context/index.ts';
import {
  ENCRYPTED_FIELDS,
  loadKeyring,
  newDataKey,
  type ReencryptResult,
  reencryptAll,
} from '../crypto/index.ts';
import { type BusMessage, SECRETS } from '../ports/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';
import { AI_KEY_SECRETS, type AiKeyRotationFields, rotateAiKey } from './ai-key-rotation.ts';
import { renewChannels } from './drive-channels.ts';
import { type GithubAppClient, githubAppClient, githubAppError } from './github-app-client.ts';
import { type RepoHookSecretsResult, updateRepoHookSecrets } from './repo-hook-secrets.ts';
import { SCHEDULER_COLLECTIONS } from './scheduler-collections.ts';
import { storedWebhookSecretHolds } from './webhook-secret-holds.ts';
import { pruneWebhookSecretVersions } from './webhook-secret-versions.ts';

/**
 * Drive channel tokens are not stored in Secret Manager; a secret of this name (no versions needed)
 * carries the rotation schedule that renews every channel with a new token.
 */
export const DRIVE_CHANNEL_TOKENS_SECRET = 'drive-channel-tokens';

export interface RotationRecord {
  messageId: string;
  secret: string;
  status: 'started' | 'done' | 'unsupported';
  startedAt: string;
  rotatedAt?: string;
  /** The secret version this rotation added (kept so a retried message reuses it). */
  version?: string;
  /** Webhook secret: whether the GitHub App's hook config got the new secret. */
  githubHook?: 'updated' | 'no GitHub App';
  /** Webhook secret: the repository hooks the bridge manages (token), per repository. */
  repoHooks?: RepoHookSecretsResult;
  disabledVersions?: string[];
  /** AI provider key: what the check of the newest version found (ai-key-rotation.ts). */
  aiKey?: AiKeyRotationFields['aiKey'];
  /** Webhook secret: why the older versions stay enabled past the grace period (webhookSecretHolds). */
  oldVersionsKept?: string[];
  channels?: { created: number; stopped: number };
  reencrypted?: ReencryptResult[];
}

export interface SecretRotationOptions {
  webhookGraceMs?: number;
  github?: GithubAppClient | null;
  watch?: DriveWatchClient | null;
}

const secretName = (secretId: string) => /(?:^|\/)secrets\/([^/]+)/.exec(secretId)?.[1] ?? secretId;

/**
 * Secret Manager rotation notifications (attributes `eventType`, `secretId`). SECRET_ROTATE is
 * acted on, and SECRET_VERSION_ADD of an AI provider key; other events are acknowledged. One record per message id in `rotations`
 * is both the idempotency marker and the progress log: a redelivered message either sees a finished
 * rotation (nothing happens) or resumes one, reusing the version it already added.
 */
export async function handleSecretRotation(
  ctx: AppContext,
  message: BusMessage,
  options: SecretRotationOptions = {},
): Promise<RotationRecord | undefined> {
  const eventType = message.attributes.eventType;
  const secretId = message.attributes.secretId ?? '';
  const name = secretName(secretId);
  // A version added to an AI key is a rotation done by hand (the bridge cannot make such keys).
  const aiKeyAdded = eventType === 'SECRET_VERSION_ADD' && AI_KEY_SECRETS[name] !== undefined;
  if (eventType !== 'SECRET_ROTATE' && !aiKeyAdded) {
    ctx.logger.debug('secret event ignored', { eventType, secretId });
    return undefined;
  }
  const id = `rot_${message.id}`;
  const started: RotationRecord = {
    messageId: message.id,
    secret: name,
    status: 'started',
    startedAt: ctx.now().toISOString(),
  };
  let record = started;
  if (!(await ctx.state.create(SCHEDULER_COLLECTIONS.rotations, id, { ...started }))) {
    const existing = await ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, id);
    if (existing && existing.data.status !== 'started') {
      ctx.logger.info('secret rotation already handled', { secret: name, messageId: message.id });
      return existing.data;
    }
    record = existing?.data ?? started;
  }
  const progress = async (next: RotationRecord) => {
    record = next;
    await ctx.state.set(SCHEDULER_COLLECTIONS.rotations, id, { ...next });
  };

  switch (name) {
    case SECRETS.githubWebhook:
      await rotateWebhookSecret(ctx, record, progress, options);
      break;
    case SECRETS.dataKey:
      await rotateDataKey(ctx, record, progress);
      break;
    case DRIVE_CHANNEL_TOKENS_SECRET: {
      const r = await renewChannels(ctx, { renewAll: true, watch: options.watch });
      record = { ...record, channels: { created: r.created, stopped: r.stopped } };
      break;
    }
    case SECRETS.openaiApiKey:
    case SECRETS.anthropicApiKey:
    case SECRETS.geminiApiKey:
      record = await rotateAiKey(ctx, name, AI_KEY_SECRETS[name] ?? 'openai', record, progress);
      break;
    default:
      ctx.logger.warn('rotation requested for a secret the bridge cannot rotate by itself', { secret: name });
      await progress({ ...record, status: 'unsupported' });
      return record;
  }
  await progress({ ...record, status: 'done', rotatedAt: ctx.now().toISOString() });
  ctx.logger.info('secret rotated', { secret: name, version: record.version, messageId: message.id });
  return record;
}

async function rotateWebhookSecret(
  ctx: AppContext,
  record: RotationRecord,
  progress: (r: RotationRecord) => Promise<void>,
  options: SecretRotationOptions,
): Promise<void> {
  let current = record;
  let secret = current.version ? await ctx.secrets.access(SECRETS.githubWebhook, current.version) : undefined;
  if (!secret) {
    const value = randomBytes(32).toString('base64url');
    // Added as a new version: the previous ones stay enabled (the ingress accepts every enabled
    // version), so deliveries signed before GitHub switches still verify.
    secret = { version: await ctx.secrets.addVersion(SECRETS.githubWebhook, value), value };
    current = { ...current, version: secret.version };
    await progress(current);
  }
  ctx.logger.addSecret(secret.value);
  if (current.githubHook !== 'updated') {
    const github = options.github === null ? undefined : (options.github ?? (await githubAppClient(ctx)));
    if (github) {
      try {
        await github.request('PATCH /app/hook/config', { secret: secret.value });
      } catch (err) {
        throw githubAppError(err, 'update the App webhook secret');
      }
      current = { ...current, githubHook: 'updated' };
    } else {
      current = { ...current, githubHook: 'no GitHub App' };
    }
    await progress(current);
  }
  // Before the hooks change (see renewWebhookSecret): only what no hook may still sign with goes.
  const { disabled } = await pruneWebhookSecretVersions(ctx, options.webhookGraceMs);
  const repoHooks = await updateRepoHookSecrets(ctx, secret);
  const kept = await storedWebhookSecretHolds(ctx, secret.version);
  if (kept.length > 0) {
    ctx.logger.warn('webhook secret rotated; the previous versions stay enabled', { because: kept });
  }
  await progress({
    ...current,
    repoHooks,
    disabledVersions: disabled,
    ...(kept.length > 0 ? { oldVersionsKept: kept } : {}),
  });
}

async function rotateDataKey(
  ctx: AppContext,
  record: RotationRecord,
  progress: (r: RotationRecord) => Promise<void>,
): Promise<void> {
  let current = record;
  if (!current.version || !(await ctx.secrets.access(SECRETS.dataKey, current.version))) {
    const version = await ctx.secrets.addVersion(SECRETS.dataKey, newDataKey());
    current = { ...current, version };
    await progress(current);
  }
  // Older keys stay enabled: values another instance wrote with its cached keyring still decrypt.
  const keyring = await loadKeyring(ctx.secrets);
  const reencrypted: ReencryptResult[] = [];
  for (const { collection, field } of ENCRYPTED_FIELDS) {
    reencrypted.push(await reencryptAll(ctx, collection, field, keyring));
  }
  await progress({ ...current, reencrypted });
}
