import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictRecord } from '../../shared/records/index.ts';
import { seedSuggestionLink } from '../api/suggestion-seed.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { type Dashboard, RESULTS, SKIP_BROWSER, signIn, startDashboard, WAIT } from './dashboard-harness.ts';

const LINK = 'lnk_dashsuggest0001';
const USAGE = { inputTokens: 100, cachedInputTokens: 0, outputTokens: 50 };

describe.skipIf(SKIP_BROWSER)(
  SKIP_BROWSER
    ? 'dashboard conflict suggestions (skipped: BRIDGE_SKIP_BROWSER_TEST=1)'
    : 'dashboard conflict suggestions, in headless Chromium with a loopback model',
  () => {
    let loop: LoopbackAi;
    let d: Dashboard;
    let page: Page;
    let consoleErrors: string[];
    let ids: Record<string, string>;
    const card = (name: string) => page.locator(`article.conflict[data-conflict-id="${ids[name]}"]`);
    const conflict = async (name: string) =>
      (
        await d.apiGet<{ items: ConflictRecord[] }>(`/api/v1/links/${LINK}/conflicts?pageSize=100`)
      ).items.find((c) => c.id === ids[name]);

    beforeAll(async () => {
      loop = await startLoopbackAi();
      d = await startDashboard(
        async (ctx) => {
          ids = await seedSuggestionLink(ctx.state, LINK, 'default', undefined, {
            name: {},
            path: { field: 'path', base: 'services/x', design: 'services/a', definitions: 'services/b' },
          });
        },
        { env: { OPENAI_API_KEY: 'sk-loopback-openai', OPENAI_BASE_URL: loop.baseUrls.openai } },
      );
      ({ page, consoleErrors } = d);
      await signIn(page, d.url);
    });
    afterAll(async () => {
      await d?.close();
      await loop?.close();
    });

    it('Suggest shows the model’s merged value and rationale as text; nothing is applied until asked', async () => {
      await page.goto(`${d.url}/#link/${LINK}`);
      await expect.poll(() => page.locator('#link-title').textContent(), WAIT).toBe(`Link ${LINK}`);
      await expect.poll(() => page.locator('article.conflict').count(), WAIT).toBe(2);
      loop.answer('openai', {
        ...USAGE,
        text: JSON.stringify({
          choice: 'merged',
          mergedValueJson: JSON.stringify('Service 1 <b>merged</b>'),
          rationale:
            '<img src=x onerror="window.__pwned=1"> Both sides renamed it; the merged name keeps both.',
        }),
      });
      await card('name').getByRole('button', { name: 'Suggest' }).click();
      const panel = card('name').locator('.suggestion');
      await expect
        .poll(() => panel.locator('.suggestion-rationale').textContent(), WAIT)
        .toBe('<img src=x onerror="window.__pwned=1"> Both sides renamed it; the merged name keeps both.');
      expect(await panel.locator('pre.value').textContent()).toBe('Service 1 <b>merged</b>');
      expect(await panel.locator('img, b').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await panel.locator('.suggestion-source').getAttribute('data-source')).toBe('model');
      expect((await conflict('name'))?.state).toBe('open');
      await card('name').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, 'dashboard-conflict-suggestion.png') });
    });

    it('Apply suggestion resolves it with the suggested value through the resolve route', async () => {
      await card('name').getByRole('button', { name: 'Apply suggestion' }).click();
      await expect
        .poll(() => page.locator('#conflict-status').textContent(), WAIT)
        .toMatch(/with the suggested merged value; sync op_\w+ queued/);
      expect(await conflict('name')).toMatchObject({
        state: 'settled',
        resolution: 'value',
        value: 'Service 1 <b>merged</b>',
      });
    });

    it('a refused model proposal shows the policy’s answer with why; applying takes that side', async () => {
      loop.answer('openai', {
        ...USAGE,
        text: JSON.stringify({ choice: 'merged', mergedValueJson: '"../../etc"', rationale: 'Move it up.' }),
      });
      await expect.poll(() => card('path').count(), WAIT).toBe(1);
      await card('path').getByRole('button', { name: 'Suggest' }).click();
      const panel = card('path').locator('.suggestion');
      await expect
        .poll(() => panel.locator('.suggestion-source').textContent(), WAIT)
        .toMatch(
          /^From the link’s policy rules \(model not used: the model proposed merged.*leaves the repository/,
        );
      expect(await panel.locator('.suggestion-choice').textContent()).toBe('Take the design’s value.');
      expect(await panel.textContent()).not.toContain('../../etc');
      await panel.getByRole('button', { name: 'Apply suggestion' }).click();
      await expect
        .poll(() => page.locator('#conflict-status').textContent(), WAIT)
        .toMatch(/with the design value; sync op_\w+ queued/);
      expect(await conflict('path')).toMatchObject({
        state: 'settled',
        resolution: 'design',
        value: 'services/a',
      });
      expect(consoleErrors).toEqual([]);
    });
  },
);
