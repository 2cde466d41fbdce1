import { Timestamp } from '@google-cloud/firestore';

/** Firestore's limit on one document, as it counts a document's size. */
export const FIRESTORE_MAX_DOCUMENT_BYTES = 1_048_576;

/**
 * A document's size as Firestore counts it (https://firebase.google.com/docs/firestore/storage-size):
 * its name (each path segment's UTF-8 bytes + 1, plus 16), every field name and value (strings their
 * UTF-8 bytes + 1, numbers and timestamps 8, booleans and null 1, maps and arrays what they hold),
 * plus 32. Numbers weigh more here than in JSON, so a body within MAX_DOCUMENT_BYTES of JSON can
 * still be over Firestore's own limit.
 */
export function firestoreDocumentSize(path: string, fields: Record<string, unknown>): number {
  let size = 16 + 32;
  for (const segment of path.split('/')) size += stringSize(segment);
  // Iterative: the walk must not depend on how deep the caller's body nests.
  const stack: unknown[] = [fields];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') size += stringSize(value);
    else if (typeof value === 'number' || value instanceof Timestamp) size += 8;
    else if (value === null || typeof value !== 'object') size += 1;
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else {
      for (const [key, item] of Object.entries(value)) {
        size += stringSize(key);
        stack.push(item);
      }
    }
  }
  return size;
}

function stringSize(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1;
}
