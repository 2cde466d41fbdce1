import { createHash } from 'node:crypto';

/** Characters a document id part keeps as they are. */
export const ID_SAFE = /[A-Za-z0-9_.-]/;

/** Longest part kept whole (ids of safe characters up to this long encode as they did before). */
const MAX_PART = 200;

/**
 * One part of a document id built from outside input (a delivery id, a channel id): safe characters
 * stay, every other character becomes `%XX` per UTF-8 byte, `%` itself included, so different
 * inputs never share an id (`d/3` → `d%2F3`, `d_3` → `d_3`, `d%2F3` → `d%252F3`) and ids of safe
 * characters only (GitHub's delivery GUIDs) keep the form earlier markers were stored under. A part
 * longer than MAX_PART is cut and ends in `%H` + a hash of the whole input (`%H` appears in no
 * other encoding). The result never holds `/` or `~` (the separator between parts).
 */
export function docIdPart(value: string, safe: RegExp = ID_SAFE): string {
  let out = '';
  for (const char of value) {
    out += safe.test(char) && char !== '%' && char !== '~' && char !== '/' ? char : percent(char);
  }
  if (out.length <= MAX_PART) return out;
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 32);
  return `${out.slice(0, MAX_PART - 34)}%H${digest}`;
}

/**
 * A document id from encoded parts joined by `~`, valid for Firestore: never `.` or `..`, never
 * `__…__` (reserved), at most MAX_PART per part. The first character is escaped in those cases only,
 * which keeps ids distinct (`%2E` and `%5F` appear in no other encoding's first place).
 * https://firebase.google.com/docs/firestore/quotas#collections_documents_and_fields
 */
export function docId(...parts: string[]): string {
  const id = parts.join('~');
  if (id === '.' || id === '..' || /^__.*__$/s.test(id)) return `${percent(id[0] as string)}${id.slice(1)}`;
  return id;
}

function percent(char: string): string {
  const code = char.charCodeAt(0);
  // A lone surrogate has no UTF-8 form (it would become U+FFFD, like every other one): by its code.
  if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) return `%U${code.toString(16).toUpperCase()}`;
  let out = '';
  for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}
