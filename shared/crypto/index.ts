export {
  decryptCredential,
  EncryptedCredential,
  encryptCredential,
  isEncryptedCredential,
} from './encrypt-credential.ts';
export { type Keyring, keyringFromVersions, loadKeyring, newDataKey } from './keyring.ts';
export { type ReencryptResult, reencryptAll } from './reencrypt-all.ts';

/**
 * Where stored credentials live (collection + dotted field); a data-key rotation re-encrypts each.
 * Code that stores a new kind of credential adds its place here.
 */
export const ENCRYPTED_FIELDS: ReadonlyArray<{ collection: string; field: string }> = [
  { collection: 'credentials', field: 'secret' },
  { collection: 'credentials', field: 'refreshSecret' },
];
