import { BlockList, isIP } from 'node:net';

/**
 * Addresses a shared deployment must never be made to call on a tenant's behalf (SSRF): this
 * host, private and carrier-grade NAT networks, link-local (the metadata server), documentation,
 * benchmarking, multicast and reserved ranges, and the IPv6 forms that reach any of them
 * (IPv4-mapped, NAT64, unique-local). IANA special-purpose registries, RFC 6890.
 */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/**
 * IPv4-mapped IPv6 (::ffff:0:0/96), in any spelling. Kept apart: a BlockList checks IPv4 addresses
 * against IPv6 rules through this very mapping, so in NON_PUBLIC it would match every IPv4 address.
 */
const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Whether an IP address (v4 or v6, without brackets) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6 && MAPPED.check(address, 'ipv6')) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether an IP address is this host (127/8, ::1, or ::ffff:127/104). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^::ffff:/i, '');
  return (isIP(bare) === 4 && bare.startsWith('127.')) || address === '::1';
}
