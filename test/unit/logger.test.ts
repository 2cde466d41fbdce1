import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, traceIdFromHeaders } from '../../shared/logging/index.ts';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    ...options,
    write: (l) => lines.push(l),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it("writes Cloud Logging's structured JSON with severity and message", () => {
    const { logger, entries } = capture();
    logger.warn('slow request', { path: '/x', ms: 12 });
    expect(entries()).toEqual([
      { severity: 'WARNING', message: 'slow request', time: '2026-01-01T00:00:00.000Z', path: '/x', ms: 12 },
    ]);
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.debug('hidden');
    logger.error('shown');
    expect(lines).toHaveLength(1);
  });

  it('turns a trace id into the Cloud Logging trace field', () => {
    const { logger, entries } = capture({ project: 'p1' });
    logger.child({ traceId: '0af7651916cd43dd8448eb211c80319c' }).info('x');
    expect(entries()[0]?.['logging.googleapis.com/trace']).toBe(
      'projects/p1/traces/0af7651916cd43dd8448eb211c80319c',
    );
  });

  it.each([
    ['traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['x-cloud-trace-context', '0af7651916cd43dd8448eb211c80319c/123;o=1'],
  ])('reads the trace id from %s', (header, value) => {
    expect(traceIdFromHeaders({ [header]: value })).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
  const signature = `sha256=${'ab'.repeat(32)}`;
  it.each([
    ['a sensitive key', { githubToken: 'plain-value-123' }, 'plain-value-123'],
    ['a nested authorization header', { headers: { authorization: 'Bearer abc.def.ghi' } }, 'abc.def.ghi'],
    ['a GitHub token inside text', { note: `used ${token} to call` }, token],
    ['a webhook signature inside text', { header: `got ${signature}` }, signature],
    ['a Google access token', { url: 'x?access_token=ya29.a0AfH6SMBxyz' }, 'ya29.a0AfH6SMBxyz'],
    [
      'a private key',
      { value: '-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----' },
      'MIIabc',
    ],
    ['an error message', { error: new Error(`failed with ${token}`) }, token],
  ])('redacts %s', (_name, fields, secret) => {
    const { logger, lines } = capture();
    logger.info('event', fields);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain(REDACTED);
  });

  it('scrubs registered secret values from messages and fields of child loggers too', () => {
    const { logger, lines } = capture();
    logger.addSecret('s3cr3t-webhook-value');
    logger
      .child({ link: 'l1' })
      .error('verify failed for s3cr3t-webhook-value', { detail: 'x s3cr3t-webhook-value y' });
    expect(lines[0]).not.toContain('s3cr3t-webhook-value');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ link: 'l1', detail: `x ${REDACTED} y` });
  });

  it('keeps booleans under sensitive keys (they are flags, not secrets)', () => {
    const { logger, entries } = capture();
    logger.info('x', { signatureValid: false });
    expect(entries()[0]?.signatureValid).toBe(false);
  });
});
