export { isPublicAddress } from './address-policy.ts';
export { postToPublicUrl, type Resolver } from './public-post.ts';
