import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { MONOREPO } from '../bootstrap/support.ts';
import { createBareRepo } from '../support/local-git.ts';
import { type Dashboard, RESULTS, SKIP_BROWSER, signIn, startDashboard, WAIT } from './dashboard-harness.ts';
import { aLink } from './dashboard-seed.ts';

const LINK = 'lnk_b0075742a9c1d3e5';

describe.skipIf(SKIP_BROWSER)(
  SKIP_BROWSER
    ? 'dashboard bootstrap (skipped: BRIDGE_SKIP_BROWSER_TEST=1)'
    : 'dashboard bootstrap, in headless Chromium',
  () => {
    let d: Dashboard;
    let page: Page;
    let consoleErrors: string[];

    beforeAll(async () => {
      d = await startDashboard(async (ctx, dataDir) => {
        // A local repository with services but no definitions yet, linked as the sync would leave it.
        const repo = await createBareRepo(join(dataDir, 'repos', 'mono.git'), MONOREPO);
        const link = aLink(dataDir, {
          id: LINK,
          repo,
          status: 'synced',
          openConflicts: 0,
          declinedProposal: undefined,
          access: undefined,
        });
        await ctx.state.set(COLLECTIONS.links, link.id, link);
      });
      ({ page, consoleErrors } = d);
      await signIn(page, d.url);
    });

    afterAll(async () => {
      await d?.close();
    });

    it('proposes definitions from the link page, shows the progress in order and the pull request', async () => {
      await page.goto(`${d.url}/#link/${LINK}`);
      await expect.poll(() => page.locator('#link-title').textContent(), WAIT).toBe(`Link ${LINK}`);
      const section = page.locator('#bootstrap-section');
      await expect.poll(() => section.isVisible(), WAIT).toBe(true);
      await page.getByRole('button', { name: 'Propose definitions' }).click();
      const status = page.locator('#bootstrap-status');
      await expect
        .poll(() => status.textContent(), WAIT)
        .toMatch(/^succeeded: 9 files read · 4 services · 0 model calls$/);
      const events = await page
        .locator('#bootstrap-events li')
        .evaluateAll((els) => els.map((el) => (el.lastChild?.textContent ?? '').trim())); // each item: a <time>, then the step
      expect(events.slice(0, 5)).toEqual([
        'queued',
        'started',
        'reading the repository',
        'read 9 files',
        'found 4 services',
      ]);
      expect(events.at(-1)).toMatch(/^pull request #1 opened$/);
      const result = page.locator('#bootstrap-result');
      expect(await result.textContent()).toContain('Proposed in pull request #1: file://');
      expect(await result.textContent()).toContain('Services: api, auth, web, worker');
      expect(await result.textContent()).toContain('no AI provider is configured');
      expect(await page.locator('#bootstrap-cancel').isVisible()).toBe(false);
      // A second start is refused by the API (the repository now has a proposal, not definitions: a
      // job already ran); the page says why instead of failing silently.
      expect(await page.getByRole('button', { name: 'Propose definitions' }).isEnabled()).toBe(true);
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, 'dashboard-bootstrap.png') });
      const job = await d.apiGet<{ status: string; pullRequest?: { branch: string } }>(
        `/api/v1/links/${LINK}/bootstrap`,
      );
      expect(job).toMatchObject({ status: 'succeeded', pullRequest: { branch: `bridge-bootstrap/${LINK}` } });
      expect(consoleErrors).toEqual([]);
    });
  },
);
