import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AuthThrottle, clientKey } from '../../shared/api/auth-throttle.ts';
import { AppError } from '../../shared/errors/index.ts';
import {
  fromExpressRequest,
  fromNodeRequest,
  platformClientAddress,
} from '../../shared/http/node-adapter.ts';

function retryAfter(throttle: AuthThrottle, client: string): number | undefined {
  try {
    throttle.check(client);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('rate_limited');
    return Number((err as AppError).headers['retry-after']);
  }
}

describe('AuthThrottle (failed attempts per client)', () => {
  it.each([
    // failures allowed, window, Retry-After once used up
    [3, 60_000, 20],
    [10, 60_000, 6],
    [1, 5_000, 5],
    [30, 60_000, 2],
  ])(
    '%d failures per %d ms: then 429 with Retry-After %d s, and one more attempt after that',
    (failures, perMs, wait) => {
      let now = 0;
      const throttle = new AuthThrottle({ failures, perMs }, () => now);
      for (let i = 0; i < failures; i += 1) {
        expect(retryAfter(throttle, '192.0.2.1')).toBeUndefined();
        throttle.fail('192.0.2.1');
      }
      expect(retryAfter(throttle, '192.0.2.1')).toBe(wait);
      expect(retryAfter(throttle, '192.0.2.2')).toBeUndefined();
      now += wait * 1000;
      expect(retryAfter(throttle, '192.0.2.1')).toBeUndefined();
      throttle.fail('192.0.2.1');
      expect(retryAfter(throttle, '192.0.2.1')).toBeGreaterThan(0);
    },
  );

  it('remembers a bounded number of clients, forgetting the least recently failing first', () => {
    const throttle = new AuthThrottle({ failures: 1, perMs: 60_000, maxClients: 100 }, () => 0);
    for (let i = 0; i < 100_000; i += 1) throttle.fail(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.size).toBe(100);
    expect(retryAfter(throttle, '10.1.134.159')).toBeGreaterThan(0); // the last one (i = 99,999)
    expect(retryAfter(throttle, '10.0.0.0')).toBeUndefined(); // forgotten
  });

  it('forgets a client whose failures have all refilled', () => {
    let now = 0;
    const throttle = new AuthThrottle({ failures: 2, perMs: 1_000 }, () => now);
    throttle.fail('192.0.2.9');
    expect(throttle.size).toBe(1);
    now += 1_000;
    throttle.check('192.0.2.9');
    expect(throttle.size).toBe(0);
  });

  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('client %s is throttled as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });

  it('one IPv6 /64 is one client, however many of its addresses it uses', () => {
    const throttle = new AuthThrottle({ failures: 3, perMs: 60_000 }, () => 0);
    for (let i = 1; i <= 3; i += 1) throttle.fail(`2001:db8:aa:bb::${i.toString(16)}`);
    expect(retryAfter(throttle, '2001:db8:aa:bb:ffff:ffff:ffff:ffff')).toBeGreaterThan(0);
    expect(retryAfter(throttle, '2001:db8:aa:bc::1')).toBeUndefined();
  });
});

describe('the client address each adapter reports', () => {
  const message = (headers: Record<string, string>, remoteAddress = '10.0.0.1') => {
    const socket = new Socket();
    Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
    return { method: 'GET', url: '/api/v1/links', headers, socket } as unknown as IncomingMessage;
  };

  it.each([
    ['no header', undefined, '169.254.1.1'],
    ['the platform’s entry alone', '203.0.113.5', '203.0.113.5'],
    ['client-supplied entries before it', '198.51.100.1, 198.51.100.2,203.0.113.5', '203.0.113.5'],
    ['an IPv6 client', 'spoofed, 2001:db8::5', '2001:db8::5'],
    ['a last entry that is not an address', '203.0.113.5, unknown', '169.254.1.1'],
    ['an empty header', '', '169.254.1.1'],
  ])('Cloud Run, %s: %s → %s', (_name, forwardedFor, expected) => {
    expect(platformClientAddress(forwardedFor, '169.254.1.1')).toBe(expected);
  });

  it('Cloud Run (Functions Framework request, with or without a buffered body) trusts only the last X-Forwarded-For entry', () => {
    const headers = { 'x-forwarded-for': '198.51.100.77, 203.0.113.9' };
    expect(fromExpressRequest(message(headers)).clientAddress).toBe('203.0.113.9');
    const withBody = Object.assign(message(headers), { rawBody: Buffer.from('{}') });
    expect(fromExpressRequest(withBody).clientAddress).toBe('203.0.113.9');
  });

  it('locally the socket’s peer is the client, whatever X-Forwarded-For says', () => {
    const req = fromNodeRequest(message({ 'x-forwarded-for': '198.51.100.77' }, '127.0.0.8'));
    expect(req.clientAddress).toBe('127.0.0.8');
  });
});
