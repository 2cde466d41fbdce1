export {
  CREDENTIALS,
  disconnectGithub,
  type GithubConnection,
  type GithubCredentialDoc,
  githubConnection,
  githubCredentialId,
  readGithubUserToken,
  storeGithubUserToken,
} from './github-credentials.ts';
export { CALLBACK_PATH, CONNECT_PATH, OAUTH_CLIENT_SECRET_NAME, resolveOAuthClient } from './oauth-client.ts';
export { OAUTH_STATES, STATE_TTL_MS } from './oauth-state.ts';
export {
  type AccountTokenOptions,
  type GithubAccountToken,
  githubAccountToken,
  markGithubReconnectNeeded,
} from './user-token.ts';
