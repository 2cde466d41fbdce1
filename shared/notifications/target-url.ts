import { isIP } from 'node:net';
import { AppError } from '../errors/index.ts';
import { isPublicAddress } from '../providers/index.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A notification target: https, no credentials in the URL, no private address or internal name.
 * The name is checked again, by the address it resolves to, each time it is called (postToPublicUrl).
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
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (loopback && options.allowLoopback && (url.protocol === 'http:' || url.protocol === 'https:'))
    return url;
  if (url.protocol !== 'https:') throw new AppError('validation_failed', 'url: must be https');
  if (
    loopback ||
    (isIP(literal) !== 0 ? !isPublicAddress(literal) : !url.hostname.includes('.')) ||
    /\.(internal|local|localhost)$/i.test(url.hostname)
  )
    throw new AppError('validation_failed', 'url: must be a public address');
  return url;
}
