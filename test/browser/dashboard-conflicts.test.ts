import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../shared/records/index.ts';
import { type Dashboard, RESULTS, SKIP_BROWSER, signIn, startDashboard, WAIT } from './dashboard-harness.ts';
import { BULK_LINK_ID, removalConflict, seedManyConflicts } from './dashboard-seed.ts';

describe.skipIf(SKIP_BROWSER)(
  SKIP_BROWSER
    ? 'dashboard with 600 open conflicts (skipped: BRIDGE_SKIP_BROWSER_TEST=1)'
    : 'dashboard with 600 open conflicts, in headless Chromium',
  () => {
    let d: Dashboard;
    let page: Page;
    let consoleErrors: string[];
    const apiGet = <T>(path: string) => d.apiGet<T>(path);

    beforeAll(async () => {
      d = await startDashboard((ctx, dataDir) => seedManyConflicts(ctx, dataDir, 600));
      ({ page, consoleErrors } = d);
      await signIn(page, d.url);
    });

    afterAll(async () => {
      await d?.close();
    });

    it('a link with 600 open conflicts: the count says 600, newest first, shown 50 at a time', async () => {
      await page.goto(`${d.url}/#link/${BULK_LINK_ID}`);
      await expect.poll(() => page.locator('#link-title').textContent(), WAIT).toBe(`Link ${BULK_LINK_ID}`);
      const heading = page.locator('#conflicts h4').first();
      await expect.poll(() => heading.textContent(), WAIT).toBe('Open (600)');
      const cards = page.locator('article.conflict');
      await expect.poll(() => cards.count(), WAIT).toBe(50);
      const shownIds = () => cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-conflict-id')));
      const newestFirst = Array.from({ length: 600 }, (_, i) => removalConflict(599 - i).id);
      expect(await shownIds()).toEqual(newestFirst.slice(0, 50));
      expect(await page.locator('#open-conflicts-shown').textContent()).toContain('50 of 600');

      const more = page.getByRole('button', { name: /^Show 50 more open conflicts/ });
      await more.click();
      await expect.poll(() => cards.count(), WAIT).toBe(100);
      expect(await shownIds()).toEqual(newestFirst.slice(0, 100));
      // The links table counts them too.
      const row = page.locator(`#links-body tr[data-link-id="${BULK_LINK_ID}"]`);
      expect((await row.locator('td').nth(4).textContent())?.trim()).toBe('600');
      await page.locator('#conflicts-title').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, 'dashboard-600-conflicts.png') });
      expect(consoleErrors).toEqual([]);
    });

    it('settles all 600 removals with one button (after a confirmation); the API shows none open and one sync queued', async () => {
      const group = page.locator('.bulk-group[data-kind="removal"]');
      await group.waitFor(WAIT);
      expect(await group.textContent()).toContain('600 removals');
      const before = await apiGet<{ items: Operation[] }>(
        `/api/v1/links/${BULK_LINK_ID}/operations?pageSize=100`,
      );
      await group.getByRole('button', { name: 'Take definitions for all 600 removals' }).click();
      const confirm = group.getByRole('button', { name: /^Confirm/ });
      await confirm.waitFor(WAIT);
      expect(await group.textContent()).toMatch(/keeps? every service/i);
      await confirm.click();

      const status = page.locator('#conflict-status');
      await expect
        .poll(() => status.textContent(), { timeout: 20_000 })
        .toMatch(/^Settled 600 removals with the definitions side; sync op_\w+ queued/);
      await expect.poll(() => page.locator('#conflicts h4').first().textContent(), WAIT).toBe('Open (0)');
      const open = await apiGet<{ total: number }>(`/api/v1/links/${BULK_LINK_ID}/conflicts?state=open`);
      expect(open.total).toBe(0);
      const after = await apiGet<{ items: Operation[] }>(
        `/api/v1/links/${BULK_LINK_ID}/operations?pageSize=100`,
      );
      expect(after.items.length - before.items.length).toBe(1);
      expect(after.items[0]).toMatchObject({ trigger: 'conflict-resolution' });
      await expect.poll(() => page.locator('#conflicts h4').nth(1).textContent(), WAIT).toBe('Settled (600)');
      expect(await page.locator('#settled-conflicts tbody tr').count()).toBeLessThanOrEqual(20);
      expect(consoleErrors).toEqual([]);
    });
  },
);
