import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { type AiProviderId, SECRETS } from '../ports/index.ts';

/** What an AI key rotation adds to its rotation record (RotationRecord in secret-rotation.ts). */
export interface AiKeyRotationFields {
  aiKey?: 'verified' | 'needs a new key' | 'refused' | 'no version';
  version?: string;
  disabledVersions?: string[];
}

/** The AI provider keys the secret store may hold, by secret name. */
export const AI_KEY_SECRETS: Readonly<Record<string, AiProviderId>> = {
  [SECRETS.openaiApiKey]: 'openai',
  [SECRETS.anthropicApiKey]: 'anthropic',
  [SECRETS.geminiApiKey]: 'gemini',
};

/**
 * A key younger than this that the provider refuses may only not work yet (a new Google API key can
 * take minutes to work everywhere): the rotation is retried (the subscription's backoff, 10 s growing
 * to 10 min) rather than the version disabled; past it, a refusal is final.
 */
export const AI_KEY_SETTLE_MS = 10 * 60 * 1000;

const CONSOLE: Record<AiProviderId, string> = {
  openai: 'platform.openai.com → API keys',
  anthropic: 'console.anthropic.com → API keys',
  gemini: 'aistudio.google.com → API keys (or the Cloud console’s credentials)',
};

/**
 * An AI provider key cannot be made by the bridge (none of the three APIs creates a key with a
 * key), so a rotation is: someone makes a new key at the provider and adds it as a secret version;
 * Secret Manager's SECRET_VERSION_ADD (or the scheduled SECRET_ROTATE) brings the scheduler here,
 * which checks the newest enabled version against the provider (its model list) and then:
 * - accepted: disables the older versions (readers take the latest at use time, so every instance
 *   moves within the store's cache time; the old key still works at the provider until it is
 *   revoked there, by hand);
 * - accepted and alone (a scheduled SECRET_ROTATE with no new version): nothing changes; the record
 *   and a warning say a new key must be made;
 * - refused (401/403): disables that version when an older one exists, so readers fall back to it;
 *   a version made less than AI_KEY_SETTLE_MS ago is given that time first (the message is retried);
 * - no answer (timeout, 5xx, 429): throws, and the message is redelivered; nothing changes.
 * Keys are never logged: the store's values go to the log redaction first.
 */
export async function rotateAiKey<R extends AiKeyRotationFields>(
  ctx: AppContext,
  secret: string,
  provider: AiProviderId,
  record: R,
  progress: (r: R) => Promise<void>,
): Promise<R> {
  const values = await ctx.secrets.accessEnabled(secret, { fresh: true });
  for (const v of values) ctx.logger.addSecret(v.value);
  const [newest, ...older] = values;
  if (!newest) {
    ctx.logger.warn('AI key rotation: the secret has no enabled version', { secret });
    return { ...record, aiKey: 'no version' };
  }
  const { verifyAiKey } = await import('../ai/index.ts');
  const verdict = await verifyAiKey(ctx.config, provider, newest.value);
  const disabled: string[] = [];
  const age =
    verdict === 'refused' ? await versionAge(ctx, secret, newest.version) : Number.POSITIVE_INFINITY;
  if (age < AI_KEY_SETTLE_MS) {
    ctx.logger.warn('AI key rotation: the provider refused the newest version, which may only be new', {
      secret,
      version: newest.version,
      ageSeconds: Math.round(age / 1000),
    });
    throw new AppError(
      'unavailable',
      `The provider refused version ${newest.version} of ${secret}, made ${Math.round(age / 1000)} s ago; ` +
        `a new key can take minutes to work, so it is checked again before anything is disabled`,
    );
  }
  if (verdict === 'refused') {
    if (older.length > 0) {
      await ctx.secrets.disableVersion(secret, newest.version);
      disabled.push(newest.version);
    }
    ctx.logger.warn('AI key rotation: the provider refused the newest version', {
      secret,
      version: newest.version,
      disabled: disabled.length > 0,
    });
    const next = {
      ...record,
      aiKey: 'refused' as const,
      version: newest.version,
      disabledVersions: disabled,
    };
    await progress(next);
    return next;
  }
  for (const v of older) {
    await ctx.secrets.disableVersion(secret, v.version);
    disabled.push(v.version);
  }
  if (older.length === 0) {
    ctx.logger.warn(
      `AI key rotation: the bridge cannot create ${provider} keys; make a new one (${CONSOLE[provider]}), add it as a version of ${secret}, then revoke the old key there`,
      { secret, version: newest.version },
    );
  }
  const next: R = {
    ...record,
    aiKey: older.length === 0 ? 'needs a new key' : 'verified',
    version: newest.version,
    disabledVersions: disabled,
  };
  await progress(next);
  return next;
}

/** How long ago the version was added (ms); a version the listing does not show counts as old. */
async function versionAge(ctx: AppContext, secret: string, version: string): Promise<number> {
  const made = (await ctx.secrets.listVersions(secret)).find((v) => v.version === version)?.createTime;
  const at = made ? Date.parse(made) : Number.NaN;
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : ctx.now().getTime() - at;
}
