import { createAppAuth } from '@octokit/auth-app';
import { AppError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import {
  createHttpMeter,
  createOctokit,
  type GithubOctokit,
  type GithubTuning,
  type HttpMeter,
} from './create-octokit.ts';
import { GithubAppState } from './github-app-state.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';

/** A token (PAT or installation token), or a GitHub App whose installation is found per repository. */
export type GithubAuth =
  | string
  | {
      appId: string | number;
      /** PEM (PKCS#1 or PKCS#8). */
      privateKey: string;
      /** Skips the `GET /repos/{owner}/{repo}/installation` lookup when known. */
      installationId?: number;
    };

export interface ClientSettings {
  owner: string;
  repo: string;
  baseUrl: string;
  auth: GithubAuth;
  logger: Logger;
  meter: HttpMeter;
  tuning: GithubTuning;
  /** Installations and tokens shared with the other providers of the same registry. */
  appState: GithubAppState;
}

export interface InstallationLookup {
  baseUrl: string;
  appId: string | number;
  privateKey: string;
  owner: string;
  repo: string;
  logger: Logger;
  meter?: HttpMeter;
  /** The fetch a meter made here wraps (when no `meter` is given). */
  fetch?: typeof fetch;
  tuning?: GithubTuning;
  /** Where found installations are kept (a fresh one: nothing is remembered). */
  appState?: GithubAppState;
}

/**
 * The id of the App's installation on a repository (`GET /repos/{owner}/{repo}/installation`,
 * authenticated with the App's JWT), or undefined when the App is not installed there. Cached for
 * an hour per API, App and repository in `appState`.
 */
export async function findInstallationId(lookup: InstallationLookup): Promise<number | undefined> {
  const { owner, repo, baseUrl } = lookup;
  const appId = String(lookup.appId);
  const repoName = `${owner}/${repo}`;
  const state = lookup.appState ?? new GithubAppState();
  const known = state.installation(baseUrl, appId, repoName);
  if (known !== undefined) return known;
  lookup.logger.addSecret(lookup.privateKey);
  const appClient = createOctokit({
    baseUrl,
    repoName,
    logger: lookup.logger,
    meter: lookup.meter ?? createHttpMeter(lookup.fetch),
    tuning: lookup.tuning ?? {},
    authStrategy: createAppAuth,
    auth: { appId, privateKey: lookup.privateKey },
  });
  try {
    const { data } = await appClient.request('GET /repos/{owner}/{repo}/installation', { owner, repo });
    state.rememberInstallation(baseUrl, appId, repoName, data.id);
    return data.id;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw mapGithubError(err, repoName, 'installation lookup');
  }
}

/**
 * Returns a function giving the Octokit client for the repository. With a GitHub App, the first
 * call finds the installation (`GET /repos/{owner}/{repo}/installation`, authenticated with the
 * App's JWT) and builds an installation client whose tokens auth-app mints on demand and keeps in
 * the App's token cache in `appState` (shared by the providers of one registry).
 */
export function createClientSource(settings: ClientSettings): {
  client: () => Promise<GithubOctokit>;
  forget: () => void;
} {
  const { owner, repo, baseUrl, auth, logger, meter, tuning, appState } = settings;
  const repoName = `${owner}/${repo}`;
  const common = { baseUrl, repoName, logger, meter, tuning };
  if (typeof auth === 'string') {
    logger.addSecret(auth);
    const octokit = createOctokit({ ...common, auth });
    return { client: async () => octokit, forget: () => {} };
  }
  logger.addSecret(auth.privateKey);
  const appId = String(auth.appId);
  let pending: Promise<GithubOctokit> | undefined;

  const installationId = async (): Promise<number> => {
    if (auth.installationId) return auth.installationId;
    const id = await findInstallationId({
      ...common,
      owner,
      repo,
      appId,
      privateKey: auth.privateKey,
      appState,
    });
    if (id === undefined) {
      throw new AppError(
        'not_found',
        `GitHub installation lookup (is the GitHub App installed on this repository?) on ${repoName}: not found`,
      );
    }
    return id;
  };

  const build = async () =>
    createOctokit({
      ...common,
      authStrategy: createAppAuth,
      auth: {
        appId,
        privateKey: auth.privateKey,
        installationId: await installationId(),
        cache: appState.tokenCache(baseUrl, appId),
      },
    });

  return {
    client: () => {
      pending ??= build().catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
      return pending;
    },
    // After a 401/404 the installation may have changed (app reinstalled): look it up again next time.
    forget: () => {
      appState.forgetInstallation(baseUrl, appId, repoName);
      pending = undefined;
    },
  };
}
