import type { AppContext } from '../context/index.ts';
import { ensureAdminToken } from './admin-token.ts';
import { seedDemo, wantsDemo } from './demo.ts';

/**
 * Local conveniences at start-up: an admin token to log in with, the demo link for newcomers, and a
 * timer standing in for Cloud Scheduler. Returns a function that stops the timer.
 */
export async function prepareLocalMode(ctx: AppContext, url: string): Promise<() => void> {
  const token = await ensureAdminToken(ctx);
  ctx.logger.info('dashboard ready', {
    url: `${url.replace('0.0.0.0', 'localhost')}/`,
    // Field names avoid "token": the logger masks any such key, and this is only a hint where to look.
    login: token.file
      ? `admin bearer written to ${token.file}`
      : 'admin bearer from BRIDGE_ADMIN_TOKEN or the local secret file',
  });
  if (wantsDemo(ctx.config)) {
    try {
      const link = await seedDemo(ctx);
      if (link) ctx.logger.info('demo link ready', { linkId: link.id, repo: link.repo, design: link.design });
    } catch (err) {
      // The demo is a convenience: the bridge still serves when, e.g., git is not installed.
      ctx.logger.warn('demo link not created', { error: err });
    }
  }
  const { startLocalSchedule } = await import('../scheduler/index.ts');
  return startLocalSchedule(ctx);
}
