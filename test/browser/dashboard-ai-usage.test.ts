import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../shared/context/index.ts';
import type { AiStatus } from '../../shared/ports/index.ts';
import { recordAiCall } from '../../shared/records/index.ts';
import { summaryRequest } from '../ai/support.ts';
import { aCall, at, NOW, seedAiUsage } from '../api/ai-usage-seed.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { type Dashboard, RESULTS, SKIP_BROWSER, signIn, startDashboard, WAIT } from './dashboard-harness.ts';

const HOSTILE = '<img src=x onerror="window.__xss=1">';
const GEMINI_KEY = 'loopback-gemini-refused-key';

/**
 * Each provider's circuit in its own phase, through real calls to the loopback providers on the
 * context's clock: at noon openai fails 5 times (anthropic answers) and opens; at 12:00:20 anthropic
 * fails 5 times and opens; at 12:00:35 openai's 30 s cooldown is over (half-open), anthropic's not.
 * Gemini's key is refused by its check, so the router skips it and its circuit stays closed.
 */
async function driveCircuits(ctx: AppContext, loop: LoopbackAi, clock: { ms: number }) {
  const ai = await ctx.ai();
  if (!ai) throw new Error('the AI gateway did not start');
  const call = () =>
    ai.generate(summaryRequest({ tenant: 'zz-noise', tier: 'enterprise' })).then(
      () => 'ok',
      (err: { code?: string }) => err.code ?? 'error',
    );
  loop.fault('openai', { status: 500, times: Number.POSITIVE_INFINITY });
  for (let i = 0; i < 5; i++) await call();
  clock.ms += 20_000;
  loop.fault('anthropic', { status: 500, times: Number.POSITIVE_INFINITY });
  for (let i = 0; i < 5; i++) await call();
  clock.ms += 15_000;
}

const SKIP = SKIP_BROWSER;

describe.skipIf(SKIP)(
  SKIP ? 'dashboard AI usage section (skipped: BRIDGE_SKIP_BROWSER_TEST=1)' : 'dashboard AI usage section',
  () => {
    let d: Dashboard;
    let page: Page;
    let loop: LoopbackAi;
    const clock = { ms: NOW.getTime() };
    beforeAll(async () => {
      loop = await startLoopbackAi();
      loop.refuseKey('gemini', GEMINI_KEY);
      d = await startDashboard(
        async (ctx) => {
          await seedAiUsage(ctx.state);
          // A purpose carrying markup: the page must show it as text.
          await recordAiCall(ctx.state, aCall({ tenant: 'acme', purpose: HOSTILE, at: at(0, 11) }), 90);
        },
        {
          env: {
            AI_MONTHLY_BUDGET_USD: '0.05',
            OPENAI_API_KEY: 'sk-loopback-openai',
            OPENAI_BASE_URL: loop.baseUrls.openai,
            ANTHROPIC_API_KEY: 'sk-ant-loopback',
            ANTHROPIC_BASE_URL: loop.baseUrls.anthropic,
            GEMINI_API_KEY: GEMINI_KEY,
            GEMINI_BASE_URL: loop.baseUrls.gemini,
          },
          now: () => new Date(clock.ms),
        },
      );
      // Every key check has answered before the circuits are driven and the page reads them.
      const gateway = (await d.ctx.ai()) as unknown as { keysChecked(): Promise<void> };
      await gateway.keysChecked();
      const health = await d.apiGet<{ ai: AiStatus }>('/api/v1/health');
      expect(health.ai.providers.map((p) => `${p.provider}:${p.keyValid}`).sort()).toEqual([
        'anthropic:true',
        'gemini:false',
        'openai:true',
      ]);
      await driveCircuits(d.ctx, loop, clock);
      page = d.page;
      await signIn(page, d.url);
      await page.locator('#ai-providers tr[data-provider]').first().waitFor(WAIT);
    }, 60_000);
    afterAll(async () => {
      await d?.close();
      await loop?.close();
    });

    const tile = (label: string) =>
      page.locator('#ai-usage-tiles .tile', { hasText: label }).locator('strong').textContent();
    const row = (provider: string) => page.locator(`#ai-providers tr[data-provider="${provider}"]`);

    it('shows each AI provider’s circuit (closed, open, half-open) and whether its key was accepted', async () => {
      expect(await row('openai').locator('td.circuit .badge').textContent()).toBe('half-open');
      expect(await row('anthropic').locator('td.circuit .badge').textContent()).toBe('open');
      expect(await row('gemini').locator('td.circuit .badge').textContent()).toBe('closed');
      expect(await row('openai').locator('td.key').textContent()).toBe('accepted');
      expect(await row('anthropic').locator('td.key').textContent()).toBe('accepted');
      expect(await row('gemini').locator('td.key').textContent()).toBe('refused');
      expect(await row('anthropic').textContent()).toContain('upstream_failed');
      expect(d.consoleErrors).toEqual([]);
    });

    it('draws spend over time by purpose and by model, every tenant’s for the admin', async () => {
      await page.locator('#ai-spend-purpose-chart .uplot canvas').waitFor(WAIT);
      await page.locator('#ai-spend-model-chart .uplot canvas').waitFor(WAIT);
      const legend = await page.locator('#ai-spend-model-chart .u-legend').textContent();
      expect(legend).toContain('gemini/gemini-2.5-pro');
      expect(legend).toContain('anthropic/claude-haiku-4-5');
      // The figures under the chart: globex's 10,000 USD today, in the by-model table.
      const cells = await page.locator('#ai-spend-model-chart .chart-figures td').allTextContents();
      expect(cells).toContain('$10000.00');
      const globex = page.locator('#ai-usage-groups tr[data-group="tenant:globex"] td.cost');
      expect(await globex.textContent()).toBe('$10000.000000000001');
      expect(await page.locator('#ai-usage-tenant option').allTextContents()).toEqual(
        expect.arrayContaining(['every tenant', 'acme', 'globex', 'initech', 'zz-noise']),
      );
      // initech used its override's 20 of 20 today: every mark reached.
      const initech = page.locator('#ai-limits .limits[data-tenant="initech"]');
      expect(await initech.locator('.limit-quota').textContent()).toMatch(
        /^20 of 20 requests on .* \(100 %\), an admin's override until/,
      );
      expect(
        await initech
          .locator('.mark-reached')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-mark'))),
      ).toEqual(['80', '90', '100']);
      expect(d.consoleErrors).toEqual([]);
    });

    it('one tenant’s figures, budget and quota bars with the marks reached, and its recent calls', async () => {
      await page.selectOption('#ai-usage-tenant', 'acme');
      await expect.poll(() => tile('Requests'), WAIT).toBe('6');
      expect(await tile('Spend')).toBe('$0.0039');
      expect(await tile('Failed')).toBe('1');
      expect(await tile('Input tokens')).toBe('3510');
      expect(await tile('Unpriced calls')).toBe('1');
      const limits = page.locator('#ai-limits .limits[data-tenant="acme"]');
      expect(await limits.locator('.limit-budget').textContent()).toMatch(
        /^\$0\.045 of \$0\.05 spent in \d{4}-\d\d \(90 %\), \$0\.001 held by calls in flight\. reached 80 %, 90 %$/,
      );
      expect(await limits.locator('.limit-quota').textContent()).toMatch(
        /^8 of 10 requests on .* \(80 %\), tier free\. reached 80 %$/,
      );
      const marks = (i: number) =>
        limits
          .locator('svg.meter')
          .nth(i)
          .locator('.mark')
          .evaluateAll((els) =>
            els.map((e) => `${e.getAttribute('data-mark')}:${e.classList.contains('mark-reached')}`),
          );
      expect(await marks(0)).toEqual(['80:true', '90:true', '100:false']);
      expect(await marks(1)).toEqual(['80:true', '90:false', '100:false']);

      const calls = page.locator('#ai-calls tbody tr');
      await expect.poll(() => calls.count(), WAIT).toBe(7);
      // Newest first: the hostile purpose (11:00) is shown as text, not markup.
      expect(await calls.nth(0).locator('td').nth(2).textContent()).toBe(HOSTILE);
      expect(await page.locator('#ai-usage-section img').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
      const first = await calls.nth(1).locator('td').allTextContents();
      expect(first.slice(2)).toEqual([
        'summary',
        'openai',
        'gpt-4.1-mini',
        '1000 / 100 (200 cached)',
        '$0.001',
        '100 ms',
        'ok',
      ]);
      expect(await page.locator('#ai-calls tr.call-failed').count()).toBe(1);
      expect(await page.locator('#ai-calls').textContent()).toContain('unknown (unpriced model)');
      await mkdir(RESULTS, { recursive: true });
      await page.locator('#ai-usage-section').screenshot({ path: join(RESULTS, 'dashboard-ai-usage.png') });
      expect(d.consoleErrors).toEqual([]);
    });
  },
);

describe.skipIf(SKIP)(
  SKIP
    ? 'dashboard AI usage, no provider (skipped: BRIDGE_SKIP_BROWSER_TEST=1)'
    : 'dashboard AI usage, no provider',
  () => {
    let d: Dashboard;
    beforeAll(async () => {
      d = await startDashboard(async () => undefined, { now: () => NOW });
      await signIn(d.page, d.url);
      await d.page.locator('#ai-usage-state p').waitFor(WAIT);
    }, 60_000);
    afterAll(async () => {
      await d?.close();
    });

    it('says plainly that no provider is configured, and shows no figures', async () => {
      const page = d.page;
      expect(await page.locator('#ai-usage-state').textContent()).toBe(
        'No AI provider is configured, and no AI call is in the audit for this window: there is no usage to show.',
      );
      expect(await page.locator('#ai-providers').textContent()).toMatch(/^No AI provider is configured/);
      for (const id of ['ai-usage-tiles', 'ai-usage-charts', 'ai-limits-section', 'ai-usage-breakdown']) {
        expect(await page.locator(`#${id}`).isHidden(), id).toBe(true);
      }
      expect(await page.locator('#ai-usage-section canvas').count()).toBe(0);
      expect(await page.locator('#ai-calls').textContent()).toBe('No AI calls are in the audit.');
      expect(d.consoleErrors).toEqual([]);
    });
  },
);
