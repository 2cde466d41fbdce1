import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { AppError } from '../../errors/index.ts';
import { isLoopbackAddress, isPublicAddress } from './address-policy.ts';

/** Every address a name resolves to (the system resolver by default; tests stand one in). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface PublicPostOptions {
  timeoutMs: number;
  /** Locally, a URL naming this machine (`localhost`, `127.0.0.1`) may be called: receivers under test. */
  allowLoopback: boolean;
  resolve?: Resolver;
}

const refused = () =>
  new AppError(
    'bad_request',
    'The notification target resolves to an address that is not a public address; it is not called',
  );

/**
 * POSTs a body to a tenant-supplied URL, checking the address the socket actually connects to, not
 * only the URL at the time it was stored: a name that resolves to a private address when it is
 * called (DNS rebinding) is refused before any connection. Redirects are not followed. The error
 * message never names the URL or its host (a Slack URL is a secret). Returns the answer's status.
 */
export async function postToPublicUrl(
  raw: string,
  body: string,
  headers: Record<string, string>,
  options: PublicPostOptions,
): Promise<number> {
  const url = new URL(raw);
  const local = options.allowLoopback && LOOPBACK_NAMES.has(url.hostname);
  const allowed = local ? isLoopbackAddress : isPublicAddress;
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !allowed(literal)) throw refused();
  const resolve = options.resolve ?? systemResolver;
  let refusedAddress = false;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || !addresses.every((a) => allowed(a.address))) {
          refusedAddress = true;
          callback(Object.assign(new Error('not a public address'), { code: 'EREFUSED' }), '', 4);
        } else if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  try {
    return await new Promise<number>((done, fail) => {
      const req = send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'integration-bridge',
          ...headers,
        },
        lookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      req.on('response', (res) => {
        // Only the status matters: the answer's body is discarded, never buffered.
        res.destroy();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end(body);
    });
  } catch (err) {
    if (refusedAddress) throw refused();
    const reason =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
        ? `no answer within ${options.timeoutMs} ms`
        : 'connection failed';
    throw new AppError('upstream_failed', `The notification receiver could not be reached (${reason})`);
  }
}
