export {
  CREDENTIALS,
  disconnectGithub,
  type GithubAccountToken,
  type GithubConnection,
  type GithubCredentialDoc,
  githubAccountToken,
  githubConnection,
  githubCredentialId,
  readGithubUserToken,
  storeGithubUserToken,
} from './github-credentials.ts';
export {
  createIntegrationsHandler,
  createIntegrationsRouter,
  handleIntegrations,
  type IntegrationOptions,
} from './integration-routes.ts';
export { CALLBACK_PATH, CONNECT_PATH, OAUTH_CLIENT_SECRET_NAME, resolveOAuthClient } from './oauth-client.ts';
export { OAUTH_STATES, STATE_TTL_MS } from './oauth-state.ts';
