import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictRecord, Operation } from '../../shared/records/index.ts';
import {
  ADMIN_TOKEN,
  type Dashboard,
  RESULTS,
  SKIP_BROWSER,
  startDashboard,
  WAIT,
} from './dashboard-harness.ts';
import {
  architectureServices,
  CONFLICT_ID,
  dependencyEdges,
  LINK_ID,
  openConflict,
  seedDashboardLink,
} from './dashboard-seed.ts';

const SKIP = SKIP_BROWSER;

describe.skipIf(SKIP)(
  SKIP
    ? 'dashboard in headless Chromium (skipped: BRIDGE_SKIP_BROWSER_TEST=1)'
    : 'dashboard in headless Chromium',
  () => {
    let d: Dashboard;
    let page: Page;
    let consoleErrors: string[];
    const apiGet = <T>(path: string, token = ADMIN_TOKEN) => d.apiGet<T>(path, token);
    const openPage = (errors: string[]) => d.openPage(errors);

    beforeAll(async () => {
      d = await startDashboard((ctx, dataDir) => seedDashboardLink(ctx, dataDir));
      ({ page, consoleErrors } = d);
    });

    afterAll(async () => {
      await d?.close();
    });

    it('asks for the token once, then lists the link with its status at a glance', async () => {
      await page.goto(`${d.url}/`);
      const tokenInput = page.getByLabel('API token');
      await tokenInput.waitFor(WAIT);
      await tokenInput.fill(ADMIN_TOKEN);
      await page.keyboard.press('Enter');

      const row = page.locator(`#links-body tr[data-link-id="${LINK_ID}"]`);
      await row.waitFor(WAIT);
      await expect.poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('conflict');
      expect((await row.locator('td').nth(4).textContent())?.trim()).toBe('1');
      expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
      expect(await page.getByLabel('API token').isVisible()).toBe(false);
      expect(consoleErrors).toEqual([]);
    });

    it('draws the architecture: one node per service, the dependency edges, coloured by drift and conflicts', async () => {
      const services = architectureServices();
      const nodes = page.locator('svg.graph .node:not([data-ghost])');
      await expect.poll(() => nodes.count(), WAIT).toBe(services.length);

      const drawn = await nodes.evaluateAll((els) =>
        els.map((el) => ({
          id: el.getAttribute('data-service-id'),
          state: el.getAttribute('data-state'),
          label: el.getAttribute('aria-label') ?? '',
          title: el.querySelector('title')?.textContent ?? '',
          focusable: el.getAttribute('tabindex') === '0',
        })),
      );
      expect(drawn.map((n) => n.id).sort()).toEqual(services.map((s) => s.id).sort());
      for (const node of drawn) {
        const service = services.find((s) => s.id === node.id);
        expect(node.label).toContain(service?.name);
        expect(node.title).toBe(node.label);
        expect(node.focusable).toBe(true);
      }
      const stateOf = Object.fromEntries(drawn.map((n) => [n.id, n.state]));
      expect(stateOf).toEqual({
        [openConflict().serviceId]: 'conflict',
        persistence: 'mismatch',
        'finance-sync': 'not-implemented',
        auth: 'in-sync',
      });
      // Code no service claims is drawn outside the snapshot's layers.
      expect(
        await page
          .locator('svg.graph .node[data-ghost]')
          .evaluateAll((els) =>
            els.map((el) => [el.getAttribute('data-service-id'), el.getAttribute('data-state')]),
          ),
      ).toEqual([['services/reporting', 'not-designed']]);

      const edges = await page
        .locator('svg.graph path.edge')
        .evaluateAll((els) => els.map((el) => [el.getAttribute('data-from'), el.getAttribute('data-to')]));
      expect(edges.sort()).toEqual(dependencyEdges(services).sort());
      expect(await page.locator('svg.graph path.edge[marker-end]').count()).toBe(edges.length);
      const layers = await page.locator('svg.graph .band-label').allTextContents();
      expect(layers).toEqual(expect.arrayContaining([...new Set(services.map((s) => s.layer))]));
      await expect.poll(() => page.locator('.legend li').count()).toBeGreaterThan(5);

      expect(await page.locator('#link-summary').textContent()).toContain(
        `#pull/3/bridge/${LINK_ID} was closed without merging`,
      );
      expect(await page.locator('#link-summary').textContent()).toMatch(
        /Accessreconnect needed since .*: GitHub refused to refresh its token \(bad_refresh_token\)/,
      );

      // The history shows each run's summary as text, with who wrote it.
      const seeded = page.locator('#history li[data-operation-id="op_seed00000000000001"]');
      await expect.poll(() => seeded.textContent(), WAIT).toContain('Adds four services <img src=x');
      expect(await seeded.textContent()).toContain('the first version of each. (by openai)');
      expect(await page.locator('#history img').count()).toBe(0);

      // Keyboard: focusing a node shows its details.
      await page.locator('svg.graph .node[data-service-id="persistence"]').focus();
      await expect.poll(() => page.locator('#service-details').textContent()).toContain('version-mismatch');

      await mkdir(RESULTS, { recursive: true });
      await page.screenshot({ path: join(RESULTS, 'dashboard.png'), fullPage: true });
      expect(consoleErrors).toEqual([]);
    });

    it('resolves the open conflict from the keyboard; the API shows it settled and a sync queued', async () => {
      const card = page.locator(`article.conflict[data-conflict-id="${CONFLICT_ID}"]`);
      await card.waitFor(WAIT);
      expect(await card.locator('.side').count()).toBe(3);
      expect(await card.textContent()).toMatch(/Base[\s\S]*Design[\s\S]*Definitions/i);

      const takeDesign = card.getByRole('button', { name: 'Take design' });
      await takeDesign.focus();
      await page.keyboard.press('Enter');

      const status = page.locator('#conflict-status');
      await expect
        .poll(() => status.textContent(), WAIT)
        .toMatch(/^Settled Application Core · technologies with the design value; sync op_\w+ queued/);
      // Focus moves to the result once the page has reloaded the conflicts (the buttons are gone).
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('conflict-status');
      await page.locator(`#settled-conflicts tr[data-conflict-id="${CONFLICT_ID}"]`).waitFor(WAIT);
      expect(await page.locator('article.conflict').count()).toBe(0);
      const operationId = /sync (op_\w+) queued/.exec((await status.textContent()) ?? '')?.[1];

      const settled = await apiGet<{ items: ConflictRecord[] }>(
        `/api/v1/links/${LINK_ID}/conflicts?state=settled`,
      );
      expect(settled.items).toHaveLength(1);
      expect(settled.items[0]).toMatchObject({
        id: CONFLICT_ID,
        state: 'settled',
        resolution: 'design',
        value: openConflict().design,
      });
      const open = await apiGet<{ items: ConflictRecord[] }>(`/api/v1/links/${LINK_ID}/conflicts?state=open`);
      expect(open.items).toEqual([]);
      const ops = await apiGet<{ items: Operation[] }>(`/api/v1/links/${LINK_ID}/operations`);
      const queued = ops.items.find((op) => op.id === operationId);
      expect(queued).toMatchObject({ linkId: LINK_ID, trigger: 'conflict-resolution', direction: 'both' });

      await page.screenshot({ path: join(RESULTS, 'dashboard-resolved.png'), fullPage: true });
      expect(consoleErrors).toEqual([]);
    });

    it('queues a sync with "Sync now" and shows it in the history', async () => {
      const status = page.locator('#sync-status');
      // The page follows the run the previous test's resolution queued: wait until it shows that run
      // finished, so none of its reports can land on the status line after this test's click.
      await expect.poll(() => status.textContent(), WAIT).toMatch(/^Sync op_\w+: (succeeded|failed)/);
      const previous = /Sync (op_\w+)/.exec((await status.textContent()) ?? '')?.[1];
      await page.getByLabel('Direction').selectOption('design-to-definitions');
      await page.getByRole('button', { name: 'Sync now' }).click();
      const current = async () => /^Sync (op_\w+)/.exec((await status.textContent()) ?? '')?.[1];
      await expect.poll(current, WAIT).toMatch(/^op_\w+$/);
      await expect.poll(current, WAIT).not.toBe(previous);
      const operationId = (await current()) ?? '';
      const op = await apiGet<Operation>(`/api/v1/operations/${operationId}`);
      expect(op).toMatchObject({ linkId: LINK_ID, trigger: 'api', direction: 'design-to-definitions' });
      await page.locator(`#history li[data-operation-id="${operationId}"]`).waitFor(WAIT);

      // The seeded link's repository does not exist, so the worker fails this run: the page follows
      // the operation and shows the engine's error in the timeline.
      const failed = page.locator(`#history li.op-failed[data-operation-id="${operationId}"] .inline-error`);
      await failed.waitFor({ timeout: 20_000 });
      const recorded = await apiGet<Operation>(`/api/v1/operations/${operationId}`);
      expect(await failed.textContent()).toContain(recorded.error?.message);
      // The page reads the run's state once a second.
      await expect.poll(() => status.textContent(), WAIT).toContain('failed');
      expect(consoleErrors).toEqual([]);
    });

    it('shows the API refusing a token, and a tenant key gets a clear message instead of dead letters', async () => {
      const created = await fetch(`${d.url}/api/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'acme', name: 'dashboard test' }),
      });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as { key: string };

      // Chromium itself logs each refused request ("Failed to load resource … 401/403"); anything
      // else on this page is a dashboard error.
      const errors: string[] = [];
      const other = await openPage(errors);
      try {
        await other.goto(`${d.url}/`);
        await other.getByLabel('API token').fill('not-a-valid-token');
        await other.getByRole('button', { name: 'Use token' }).click();
        const refusal = other.locator('#sign-in-error');
        await expect.poll(() => refusal.textContent(), WAIT).toContain('Invalid or revoked token');

        await other.getByLabel('API token').fill(key);
        await other.keyboard.press('Enter');
        await expect
          .poll(() => other.locator('#dead-letters-body').textContent(), WAIT)
          .toContain('need the admin token');
        // Another tenant's link stays invisible.
        expect(await other.locator(`tr[data-link-id="${LINK_ID}"]`).count()).toBe(0);
        expect(await other.locator('#links-body').textContent()).toContain('No links yet');
      } finally {
        await other.close();
      }
      const unexpected = errors.filter((e) => !/Failed to load resource: .*status of (401|403)/.test(e));
      expect(unexpected).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
    });
  },
);
