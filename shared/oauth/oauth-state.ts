import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import { COLLECTIONS } from '../records/index.ts';

/** Pending connect flows (id = SHA-256 of the state, so the store never holds a usable state). */
export const OAUTH_STATES = COLLECTIONS.oauthStates;

/** A user has this long to authorize on GitHub; GitHub's own codes expire after 10 minutes. */
export const STATE_TTL_MS = 10 * 60_000;

export interface OAuthStateDoc {
  tenant: string;
  /** The API key (or `admin`) that started the flow, for the record. */
  keyId: string;
  /** SHA-256 of the browser nonce set as a cookie on the connect response. */
  browserHash: string;
  createdAt: string;
  expiresAt: string;
}

export interface StartedFlow {
  state: string;
  /** Goes into an HttpOnly cookie: the callback must come back from the same browser. */
  browserNonce: string;
  expiresAt: Date;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function badState(message: string): AppError {
  return new AppError('bad_request', `${message}: start again at /api/integrations/github/connect`);
}

/** A fresh single-use state (256 random bits) bound to the caller's tenant and to a browser nonce. */
export async function createOAuthState(
  ctx: Pick<AppContext, 'state' | 'now'>,
  caller: { tenant: string; keyId: string },
): Promise<StartedFlow> {
  const state = randomBytes(32).toString('base64url');
  const browserNonce = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
  const doc: OAuthStateDoc = {
    tenant: caller.tenant,
    keyId: caller.keyId,
    browserHash: sha256(browserNonce),
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
  await ctx.state.create(OAUTH_STATES, sha256(state), { ...doc }, { expireAt: expiresAt });
  return { state, browserNonce, expiresAt };
}

/**
 * Consumes a state exactly once (a delete guarded by the version read, so of two concurrent
 * callbacks only one wins) and checks its expiry and browser binding. Every failure is a 400 that
 * says what was wrong and never echoes the value.
 */
export async function consumeOAuthState(
  ctx: Pick<AppContext, 'state' | 'now'>,
  state: string | null,
  browserNonce: string | undefined,
): Promise<OAuthStateDoc> {
  if (!state) throw badState('Missing state parameter');
  if (!TOKEN.test(state)) throw badState('Unknown OAuth state');
  const id = sha256(state);
  const doc = await ctx.state.get<OAuthStateDoc>(OAUTH_STATES, id);
  if (!doc) throw badState('Unknown or already used OAuth state');
  let deleted: boolean;
  try {
    deleted = await ctx.state.delete(OAUTH_STATES, id, { ifVersion: doc.version });
  } catch (err) {
    if (isAppError(err) && err.code === 'precondition_failed') deleted = false;
    else throw err;
  }
  if (!deleted) throw badState('OAuth state already used');
  if (Date.parse(doc.data.expiresAt) <= ctx.now().getTime()) throw badState('OAuth state expired');
  const presented = Buffer.from(sha256(browserNonce ?? ''), 'hex');
  const expected = Buffer.from(doc.data.browserHash, 'hex');
  if (!browserNonce || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw badState('This connection was started in another browser (its cookie is missing)');
  }
  return doc.data;
}
