export { checkLinkWebhook, disconnectLink, setLinkWebhookSecret } from './connect-link.ts';
export { createLink } from './create-link.ts';
export {
  createFileChannel,
  failedChannel,
  liveChannel,
  stopAndDelete,
  stopLinkChannels,
} from './drive-channel.ts';
export { driveJobInputs } from './drive-links.ts';
export { bridgeWebhookUrl, ensureRepoWebhook, sameUrl } from './repo-webhook.ts';
export { previousSecretWebhook, setRepoWebhookSecret } from './repo-webhook-secret.ts';
