import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, postToPublicUrl, type Resolver } from '../../shared/providers/index.ts';
import { type Receiver, startReceiver } from './support.ts';

/*
 * DNS rebinding: a target that passed validation as a public name may resolve, at delivery time, to
 * a private address (the metadata server, a service on the VPC). The check is made on the address
 * the socket connects to, so no answer of the resolver can route a delivery inward.
 */

/** A TCP listener that counts connections: proof that nothing reached it. */
async function countingListener(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const resolvingTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map<LookupAddress>((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('postToPublicUrl', () => {
  let listener: Awaited<ReturnType<typeof countingListener>>;
  let receiver: Receiver;
  beforeAll(async () => {
    listener = await countingListener();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await listener?.close();
    await receiver?.close();
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['the metadata server', '169.254.169.254'],
    ['a private network', '10.20.30.40'],
    ['a mapped loopback', '::ffff:127.0.0.1'],
    ['IPv6 loopback', '::1'],
    ['a unique-local IPv6', 'fd00::5'],
    ['the unspecified address', '0.0.0.0'],
  ])('refuses a public name that resolves to %s, before any connection', async (_, address) => {
    const url = `https://hooks.rebind.example:${listener.port}/x`;
    await expect(
      postToPublicUrl(
        url,
        '{}',
        {},
        { timeoutMs: 2000, allowLoopback: false, resolve: resolvingTo(address) },
      ),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/not a public address/) });
    expect(listener.connections()).toBe(0);
  });

  it('refuses when any of the answers is private (the client could pick it)', async () => {
    const url = `https://hooks.rebind.example:${listener.port}/x`;
    await expect(
      postToPublicUrl(
        url,
        '{}',
        {},
        {
          timeoutMs: 2000,
          allowLoopback: false,
          resolve: resolvingTo('93.184.215.14', '127.0.0.1'),
        },
      ),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(listener.connections()).toBe(0);
  });

  it('locally, a loopback URL is still delivered (receivers under test), and the answer comes back', async () => {
    const status = await postToPublicUrl(
      `${receiver.url}/ok`,
      '{"a":1}',
      { 'x-test': 'yes' },
      {
        timeoutMs: 2000,
        allowLoopback: true,
      },
    );
    expect(status).toBe(200);
    expect(receiver.received.at(-1)).toMatchObject({ path: '/ok', body: '{"a":1}' });
    expect(receiver.received.at(-1)?.headers['x-test']).toBe('yes');
  });

  it('without the local allowance, a loopback URL is refused too', async () => {
    const before = receiver.received.length;
    await expect(
      postToPublicUrl(`${receiver.url}/ok`, '{}', {}, { timeoutMs: 2000, allowLoopback: false }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(receiver.received.length).toBe(before);
  });

  it('a name that does not resolve is a retryable failure that names neither the URL nor the host', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.secret-host.example'), {
        code: 'ENOTFOUND',
      });
    };
    const err = await postToPublicUrl(
      'https://hooks.secret-host.example/path-secret',
      '{}',
      {},
      {
        timeoutMs: 2000,
        allowLoopback: false,
        resolve: failing,
      },
    ).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; retryable: boolean },
    );
    expect(err).toMatchObject({ code: 'upstream_failed', retryable: true });
    expect(err?.message).not.toMatch(/secret-host|path-secret/);
  });

  it.each([
    ['93.184.215.14', true],
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['100.64.0.1', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['fe80::1', false],
    ['64:ff9b::7f00:1', false],
    ['::', false],
    ['0:0:0:0:0:ffff:808:808', false],
  ])('isPublicAddress(%s) is %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
