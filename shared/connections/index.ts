export { checkLinkWebhook, connectLink, disconnectLink, setLinkWebhookSecret } from './connect-link.ts';
export { createLink } from './create-link.ts';
export {
  createFileChannel,
  failedChannel,
  liveChannel,
  stopAndDelete,
  stopLinkChannels,
} from './drive-channel.ts';
export { driveFileId, driveJobInputs, driveLinks, resolveWatch } from './drive-links.ts';
export { ensureRepoWebhook, removeRepoWebhookIfUnused } from './repo-webhook.ts';
export { previousSecretWebhook, setRepoWebhookSecret } from './repo-webhook-secret.ts';
export { watchLinkDesign } from './watch-link-design.ts';
