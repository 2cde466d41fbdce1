import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../context/index.ts';
import { SECRETS } from '../ports/index.ts';

/**
 * Local mode: makes sure an admin token exists. With none in the environment or the secret file, one
 * is generated, stored in the secret file and written to `<dataDir>/admin-token` (mode 0600) so the
 * person who started the server can read it; it is never logged.
 */
export async function ensureAdminToken(ctx: AppContext): Promise<{ file?: string; generated: boolean }> {
  const file = join(ctx.config.BRIDGE_DATA_DIR, 'admin-token');
  const existing = await ctx.secrets.accessLatest(SECRETS.adminToken);
  if (existing) {
    ctx.logger.addSecret(existing.value);
    const written = await readFile(file, 'utf8').catch(() => '');
    return written.trim() === existing.value ? { file, generated: false } : { generated: false };
  }
  const token = `bat_${randomBytes(24).toString('base64url')}`;
  ctx.logger.addSecret(token);
  await ctx.secrets.addVersion(SECRETS.adminToken, token);
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { file, generated: true };
}
