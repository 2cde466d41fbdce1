import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import { logRequestError } from '../../shared/http/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';

const lines = (logs: string[]) => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('what a refused request logs', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([
    ['/no-such-page', 404],
    ['/favicon.ico', 404],
    ['/nope.js', 404],
    ['/api/v1/no-such-route', 404],
    ['/api/v1/links/lnk_unknown', 404],
  ])('GET %s (%i) is an info line without a stack, not an error', async (path, status) => {
    const before = bridge.logs.length;
    const res = await bridge.api('GET', path);
    expect(res.status).toBe(status);
    const written = lines(bridge.logs.slice(before));
    expect(written.filter((l) => l.severity === 'ERROR' || l.severity === 'WARNING')).toEqual([]);
    expect(JSON.stringify(written)).not.toContain('"stack"');
  });

  it('the helper: a 4xx AppError is info with its code and status, anything else an error', () => {
    const out: string[] = [];
    const logger = createLogger({ level: 'debug', write: (l) => out.push(l) });
    logRequestError(logger, new AppError('not_found', 'No page at /x'), { path: '/x' });
    logRequestError(logger, new AppError('unavailable', 'down'), { path: '/y' });
    logRequestError(logger, new Error('boom'), { path: '/z' });
    const [info, unavailable, boom] = lines(out);
    expect(info).toMatchObject({ severity: 'INFO', path: '/x', status: 404, code: 'not_found' });
    expect(JSON.stringify(info)).not.toContain('stack');
    expect(unavailable).toMatchObject({ severity: 'ERROR', path: '/y' });
    expect(boom).toMatchObject({ severity: 'ERROR', path: '/z', error: { message: 'boom' } });
  });
});
