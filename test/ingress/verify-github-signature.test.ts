import { describe, expect, it } from 'vitest';
import { verifyGithubSignature } from '../../shared/ingress/verify-github-signature.ts';
import { signBody } from './support/webhook-delivery.ts';

const body = Buffer.from('{"zen":"Design for failure. ✓"}', 'utf8');
const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

describe('verifyGithubSignature', () => {
  it.each([
    ['current secret', body, signBody('new', body), ['new', 'old'], { ok: true }],
    ['previous secret during a rotation', body, signBody('old', body), ['new', 'old'], { ok: true }],
    ['wrong secret', body, signBody('other', body), ['new', 'old'], { ok: false, reason: 'mismatch' }],
    [
      'tampered body',
      Buffer.from('{"zen":"Design for failure. ✗"}'),
      signBody('new', body),
      ['new'],
      { ok: false },
    ],
    ['missing signature', body, undefined, ['new'], { ok: false, reason: 'missing' }],
    ['sha1 signature', body, 'sha1=0123456789abcdef0123456789abcdef01234567', ['new'], { ok: false }],
    ['truncated signature', body, signBody('new', body).slice(0, 40), ['new'], { ok: false }],
    ['no secret configured', body, signBody('new', body), [], { ok: false }],
    ['BOM kept byte for byte', withBom, signBody('new', withBom), ['new'], { ok: true }],
    ['invalid UTF-8', invalidUtf8, signBody('new', invalidUtf8), ['new'], { ok: false, reason: 'not-utf8' }],
  ] as const)('%s', async (_name, bytes, signature, secrets, expected) => {
    const result = await verifyGithubSignature(bytes, signature, secrets);
    expect(result).toMatchObject(expected);
  });

  it('returns the exact decoded text of a verified body', async () => {
    const result = await verifyGithubSignature(body, signBody('s', body), ['s']);
    expect(result.ok && Buffer.from(result.text, 'utf8').equals(body)).toBe(true);
  });
});
