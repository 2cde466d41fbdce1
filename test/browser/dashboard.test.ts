import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../shared/app/index.ts';
import { createContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { ConflictRecord, Operation } from '../../shared/links/index.ts';
import { type LocalServer, startLocalServer } from '../../shared/server/index.ts';
import {
  architectureServices,
  BULK_LINK_ID,
  CONFLICT_ID,
  dependencyEdges,
  LINK_ID,
  openConflict,
  removalConflict,
  seedDashboardLink,
  seedManyConflicts,
} from './dashboard-seed.ts';

/*
 * The dashboard in real headless Chromium (Debian's package: downloading a browser is not possible
 * here) against a real local server whose state was seeded as the sync engine would have left it.
 */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN_TOKEN = 'test-admin-token-123456';
const SKIP = process.env.BRIDGE_SKIP_BROWSER_TEST === '1';
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const WAIT = { timeout: 10_000 };

describe.skipIf(SKIP)(
  SKIP
    ? 'dashboard in headless Chromium (skipped: BRIDGE_SKIP_BROWSER_TEST=1)'
    : 'dashboard in headless Chromium',
  () => {
    let dataDir: string;
    let ctx: AppContext | undefined;
    let server: LocalServer | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const consoleErrors: string[] = [];

    const apiGet = async <T>(path: string, token = ADMIN_TOKEN): Promise<T> => {
      const res = await fetch(`${server?.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, `GET ${path}`).toBe(200);
      return (await res.json()) as T;
    };

    const launch = () =>
      // launch() gives every browser a fresh temporary profile (user-data dir), removed on close.
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });

    /** A page on a laptop-sized screen that records every console error and uncaught exception. */
    const openPage = async (errors: string[]): Promise<Page> => {
      const p = await (browser as Browser).newPage({ viewport: { width: 1440, height: 900 } });
      p.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
      });
      p.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
      return p;
    };

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) {
        throw new Error(
          `Chromium is not installed at ${CHROMIUM}: run \`apt-get install chromium\` ` +
            '(or set BRIDGE_SKIP_BROWSER_TEST=1 to skip the browser test).',
        );
      }
      dataDir = await mkdtemp(join(tmpdir(), 'bridge-dashboard-'));
      const env = {
        BRIDGE_DATA_DIR: dataDir,
        PORT: '0',
        BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
        BRIDGE_DEMO: 'false',
      };
      ctx = await createContext(loadConfig(env), { env });
      await seedDashboardLink(ctx, dataDir);
      await seedManyConflicts(ctx, dataDir, 600);
      server = await startLocalServer(ctx, { port: 0 });
      browser = await launch();
      page = await openPage(consoleErrors);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close(2_000);
      await ctx?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('asks for the token once, then lists the link with its status at a glance', async () => {
      await page.goto(`${server?.url}/`);
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
        '#pull/3/bridge/' + LINK_ID + ' was closed without merging',
      );

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
      // The status line may still name the run the previous test's resolution queued.
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
      await expect.poll(() => status.textContent()).toContain('failed');
      expect(consoleErrors).toEqual([]);
    });

    it('a link with 600 open conflicts: the count says 600, newest first, shown 50 at a time', async () => {
      await page.goto(`${server?.url}/#link/${BULK_LINK_ID}`);
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

    it('shows the API refusing a token, and a tenant key gets a clear message instead of dead letters', async () => {
      const created = await fetch(`${server?.url}/api/v1/keys`, {
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
        await other.goto(`${server?.url}/`);
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
