import type { AppContext } from '../context/index.ts';
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
