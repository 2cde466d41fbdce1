import type { AppContext } from '../context/index.ts';
import { isAppError } from '../errors/index.ts';
import { allLinks } from '../records/index.ts';
import type { AccessReport } from './grant-model.ts';
import { checkLinkAccess } from './link-access.ts';

/**
 * Checks every link as its next sync would, without changing anything: what the admin reads after
 * revoking grants or enabling these rules on existing links.
 */
export async function refusedLinks(ctx: AppContext): Promise<AccessReport> {
  const report: AccessReport = { items: [], unchecked: [] };
  for (const { data: link } of await allLinks(ctx.state)) {
    try {
      const { verdict } = await checkLinkAccess(ctx, link);
      if (verdict.allowed) continue;
      const { id: linkId, tenant, repo, design } = link;
      report.items.push({ linkId, tenant, repo, design, state: verdict.state, reason: verdict.reason });
    } catch (err) {
      report.unchecked.push({
        linkId: link.id,
        tenant: link.tenant,
        error: isAppError(err) ? err.message : 'the check failed',
      });
    }
  }
  return report;
}
