import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors/index.ts';
import type { HttpRequest, HttpResponse } from '../http/index.ts';

const ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const require = createRequire(import.meta.url);
/**
 * Third-party browser files served from their installed package (same origin, so the page's CSP
 * stays 'self'): uPlot draws the health page's time series (small, fast, no dependencies).
 */
const VENDOR: Record<string, string> = {
  'vendor/uplot.iife.min.js': require.resolve('uplot/dist/uPlot.iife.min.js'),
  'vendor/uplot.min.css': require.resolve('uplot/dist/uPlot.min.css'),
};

/** Static dashboard files; the page itself calls the API with the token the user enters. */
export async function serveDashboard(req: HttpRequest): Promise<HttpResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new AppError('method_not_allowed', 'The dashboard is read with GET', { headers: { allow: 'GET' } });
  }
  const name = req.path === '/' ? 'index.html' : req.path.slice(1);
  const vendored = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
  const file = vendored ?? normalize(join(ASSETS, name));
  const type = TYPES[extname(file)];
  if (!(vendored || file.startsWith(ASSETS)) || !type)
    throw new AppError('not_found', `No page at ${req.path}`);
  try {
    const body = await readFile(file);
    return {
      status: 200,
      headers: {
        'content-type': type,
        'cache-control': 'no-cache',
        // No other site may frame the dashboard (clickjacking its resolve and replay buttons);
        // X-Frame-Options says the same to browsers that predate frame-ancestors.
        'content-security-policy':
          "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
      },
      body,
    };
  } catch {
    throw new AppError('not_found', `No page at ${req.path}`);
  }
}
