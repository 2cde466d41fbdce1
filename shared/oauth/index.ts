export {
  CREDENTIALS,
  githubCredentialId,
  readGithubUserToken,
  storeGithubUserToken,
} from './github-credentials.ts';
export { CALLBACK_PATH, OAUTH_CLIENT_SECRET_NAME, resolveOAuthClient } from './oauth-client.ts';
export { OAUTH_STATES } from './oauth-state.ts';
export { githubAccountToken } from './user-token.ts';
