import { readFile } from 'node:fs/promises';
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

/** Static dashboard files; the page itself calls the API with the token the user enters. */
export async function serveDashboard(req: HttpRequest): Promise<HttpResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new AppError('method_not_allowed', 'The dashboard is read with GET', { headers: { allow: 'GET' } });
  }
  const name = req.path === '/' ? 'index.html' : req.path.slice(1);
  const file = normalize(join(ASSETS, name));
  const type = TYPES[extname(file)];
  if (!file.startsWith(ASSETS) || !type) throw new AppError('not_found', `No page at ${req.path}`);
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
