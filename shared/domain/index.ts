export { DEFAULT_POLICY, LinkPolicy, type LinkPolicyInput } from './policy.ts';
