import { verifyWithFallback } from '@octokit/webhooks-methods';

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

/** Whether a header can be GitHub's signature at all (checked before the body is read). */
export const hasSignatureShape = (signature: string | undefined): boolean =>
  signature !== undefined && SIGNATURE_FORMAT.test(signature);

export type SignatureCheck =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'mismatch' | 'not-utf8' };

/**
 * Checks `X-Hub-Signature-256` against the raw body with each enabled secret (current first).
 *
 * `@octokit/webhooks-methods` signs a JS string, which node:crypto encodes as UTF-8 before the HMAC.
 * Decoding the body with a fatal, BOM-preserving UTF-8 decoder and handing that string over is
 * therefore exactly an HMAC over the received bytes: valid UTF-8 round-trips byte for byte. Bodies
 * that are not valid UTF-8 cannot be JSON GitHub sent (RFC 8259 requires UTF-8), so they are refused
 * as malformed before verification instead of being lossily decoded. The library compares in
 * constant time (timingSafeEqual). The legacy sha1 `X-Hub-Signature` is never accepted.
 */
export async function verifyGithubSignature(
  body: Buffer,
  signature: string | undefined,
  secrets: readonly string[],
): Promise<SignatureCheck> {
  const [current, ...previous] = secrets;
  if (!current || !signature || !SIGNATURE_FORMAT.test(signature)) return { ok: false, reason: 'missing' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
  // The library refuses an empty payload (TypeError); an empty body is never validly signed JSON.
  if (text.length === 0) return { ok: false, reason: 'mismatch' };
  const valid = await verifyWithFallback(current, text, signature, previous);
  return valid === true ? { ok: true, text } : { ok: false, reason: 'mismatch' };
}
