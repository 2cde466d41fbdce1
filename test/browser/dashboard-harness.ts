import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { AppContext } from '../../shared/context/index.ts';
import { type LocalServer, startLocalServer } from '../../shared/edge/index.ts';

/*
 * The dashboard in real headless Chromium (Debian's package: downloading a browser is not possible
 * here) against a real local server whose state was seeded as the sync engine would have left it.
 */
const CHROMIUM = '/usr/bin/chromium';
export const ADMIN_TOKEN = 'test-admin-token-123456';
export const SKIP_BROWSER = process.env.BRIDGE_SKIP_BROWSER_TEST === '1';
export const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
export const WAIT = { timeout: 10_000 };

export interface Dashboard {
  ctx: AppContext;
  url: string;
  /** The first page; every console error and uncaught exception of it lands in `consoleErrors`. */
  page: Page;
  consoleErrors: string[];
  openPage(errors: string[]): Promise<Page>;
  apiGet<T>(path: string, token?: string): Promise<T>;
  close(): Promise<void>;
}

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

/** A seeded local server and a browser with one page on a laptop-sized screen. */
export async function startDashboard(
  seed: (ctx: AppContext, dataDir: string) => Promise<unknown>,
  /** More settings (AI provider keys, a budget) and the context's clock. */
  options: { env?: Record<string, string>; now?: () => Date } = {},
): Promise<Dashboard> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run \`apt-get install chromium\` ` +
        '(or set BRIDGE_SKIP_BROWSER_TEST=1 to skip the browser test).',
    );
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'bridge-dashboard-'));
  const env = {
    BRIDGE_DATA_DIR: dataDir,
    PORT: '0',
    BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
    BRIDGE_DEMO: 'false',
    ...options.env,
  };
  const ctx = await createContext(loadConfig(env), { env, ...(options.now ? { now: options.now } : {}) });
  let server: LocalServer | undefined;
  let browser: Browser | undefined;
  try {
    await seed(ctx, dataDir);
    server = await startLocalServer(ctx, { port: 0 });
    browser = await launch();
  } catch (err) {
    await browser?.close();
    await server?.close(2_000);
    await ctx.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = server.url;
  const openPage = async (errors: string[]): Promise<Page> => {
    const p = await (browser as Browser).newPage({ viewport: { width: 1440, height: 900 } });
    p.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    p.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    return p;
  };
  const consoleErrors: string[] = [];
  return {
    ctx,
    url,
    page: await openPage(consoleErrors),
    consoleErrors,
    openPage,
    async apiGet<T>(path: string, token = ADMIN_TOKEN): Promise<T> {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, `GET ${path}`).toBe(200);
      return (await res.json()) as T;
    },
    async close() {
      await browser?.close();
      await server?.close(2_000);
      await ctx.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the dashboard and signs in with the admin token. */
export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  const tokenInput = page.getByLabel('API token');
  await tokenInput.waitFor(WAIT);
  await tokenInput.fill(ADMIN_TOKEN);
  await page.keyboard.press('Enter');
}
