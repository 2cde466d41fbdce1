import { isIP } from 'node:net';
import { AppError } from '../errors/index.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** IPv4/IPv6 literals a shared deployment must never be made to call (SSRF): private, link-local, loopback. */
function isPrivateLiteral(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) {
    const [a = 0, b = 0] = bare.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(bare) === 6) return /^(::1?$|f[cd]|fe[89ab]|::ffff:)/i.test(bare);
  return false;
}

/**
 * A notification target: https, no credentials in the URL, no private address or internal name.
 * Locally (`allowLoopback`), http to this machine is accepted too, for receivers under test.
 */
export function checkTargetUrl(raw: string, options: { allowLoopback: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation_failed', 'url: not a valid URL');
  }
  if (url.username || url.password)
    throw new AppError('validation_failed', 'url: must not carry a user or password');
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (loopback && options.allowLoopback && (url.protocol === 'http:' || url.protocol === 'https:'))
    return url;
  if (url.protocol !== 'https:') throw new AppError('validation_failed', 'url: must be https');
  if (
    loopback ||
    isPrivateLiteral(url.hostname) ||
    !url.hostname.includes('.') ||
    /\.(internal|local|localhost)$/i.test(url.hostname)
  )
    throw new AppError('validation_failed', 'url: must be a public address');
  return url;
}
