import type { drive_v2, drive_v3, MethodOptions } from '@googleapis/drive';
import type { Logger } from '../../logging/index.ts';
import { toDriveAppError } from './drive-errors.ts';

export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';

/** How the Drive clients authenticate. */
export type DriveAuth =
  /** Application Default Credentials (runtime service account, GOOGLE_APPLICATION_CREDENTIALS). */
  | { kind: 'adc'; keyFilename?: string }
  /** A short-lived access token (GOOGLE_ACCESS_TOKEN); it is not refreshed. */
  | { kind: 'access-token'; accessToken: string }
  /** Any auth client googleapis accepts (OAuth2Client with a refresh handler, JWT, GoogleAuth...). */
  | { kind: 'client'; client: NonNullable<drive_v3.Options['auth']> };

/** Provider/watch-client options from the loaded config: GOOGLE_ACCESS_TOKEN or ADC, DRIVE_API_ROOT_URL. */
export function driveOptionsFromConfig(config: {
  GOOGLE_ACCESS_TOKEN?: string | undefined;
  DRIVE_API_ROOT_URL?: string | undefined;
}): { auth: DriveAuth; rootUrl: string | undefined } {
  return { auth: driveAuthFromConfig(config), rootUrl: config.DRIVE_API_ROOT_URL };
}

/** GOOGLE_ACCESS_TOKEN when set, ADC otherwise. */
export function driveAuthFromConfig(config: { GOOGLE_ACCESS_TOKEN?: string | undefined }): DriveAuth {
  return config.GOOGLE_ACCESS_TOKEN
    ? { kind: 'access-token', accessToken: config.GOOGLE_ACCESS_TOKEN }
    : { kind: 'adc' };
}

export interface DriveApiOptions {
  auth: DriveAuth;
  /** API root such as https://www.googleapis.com (DRIVE_API_ROOT_URL); default Google's. */
  rootUrl?: string | undefined;
  /** gaxios retries (429, 5xx, network) for idempotent methods; default true. */
  retry?: boolean;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  logger?: Logger | undefined;
  /** The fetch gaxios uses for API calls (the composition root counts them); default the global one. */
  fetch?: typeof fetch | undefined;
}

type DriveModule = typeof import('@googleapis/drive');
type Apis = { v2: drive_v2.Drive; v3: drive_v3.Drive; options: (extra?: MethodOptions) => MethodOptions };

export interface DriveApi {
  /** Runs one API call, counting it and mapping failures to AppError (`what` names it in messages). */
  call<T>(what: string, fn: (apis: Apis) => Promise<T>): Promise<T>;
  callCount(): number;
}

let drivePromise: Promise<DriveModule> | undefined;
/** @googleapis/drive takes ~60 ms to load: loaded on first use, so modules that only wire it stay cheap. */
const loadDrive = () => {
  drivePromise ??= import('@googleapis/drive');
  return drivePromise;
};

function makeAuth(mod: DriveModule, auth: DriveAuth): NonNullable<drive_v3.Options['auth']> {
  if (auth.kind === 'client') return auth.client;
  if (auth.kind === 'access-token') {
    const client = new mod.auth.OAuth2();
    client.setCredentials({ access_token: auth.accessToken });
    return client;
  }
  return new mod.auth.GoogleAuth({
    scopes: [DRIVE_SCOPE],
    ...(auth.keyFilename ? { keyFilename: auth.keyFilename } : {}),
  });
}

export function createDriveApi(options: DriveApiOptions): DriveApi {
  if (options.auth.kind === 'access-token') options.logger?.addSecret(options.auth.accessToken);
  let calls = 0;
  let apis: Promise<Apis> | undefined;
  const base: MethodOptions = {
    retry: options.retry ?? true,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.fetch ? { fetchImplementation: options.fetch } : {}),
    // googleapis builds media-upload URLs from the per-call rootUrl only: a rootUrl given to
    // drive({...}) rewrites plain URLs but uploads would still go to www.googleapis.com.
    ...(options.rootUrl ? { rootUrl: `${options.rootUrl.replace(/\/+$/, '')}/` } : {}),
  };

  const init = async (): Promise<Apis> => {
    const mod = await loadDrive();
    const auth = makeAuth(mod, options.auth);
    return {
      v2: mod.drive({ version: 'v2', auth }),
      v3: mod.drive({ version: 'v3', auth }),
      options: (extra = {}) => ({ ...base, ...extra }),
    };
  };

  return {
    async call(what, fn) {
      calls += 1;
      try {
        apis ??= init().catch((err: unknown) => {
          apis = undefined;
          throw err;
        });
        return await fn(await apis);
      } catch (err) {
        const appError = toDriveAppError(err, what);
        options.logger?.warn('drive call failed', {
          call: what,
          code: appError.code,
          details: appError.details,
        });
        throw appError;
      }
    },
    callCount: () => calls,
  };
}
