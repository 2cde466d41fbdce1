import { AppError } from '../errors/index.ts';

/**
 * Largest document body a state store keeps: the UTF-8 bytes of its JSON text. Firestore refuses
 * documents over 1 MiB (1,048,576 bytes, counting field names, the document name and 32 bytes of
 * overhead: https://firebase.google.com/docs/firestore/storage-size); the margin covers those. Every
 * store refuses a larger body before writing it, with `payload_too_large`, so a document stored on
 * one backend can be stored on the other.
 */
export const MAX_DOCUMENT_BYTES = 1_000_000;

/** The body's size; throws `payload_too_large` when it is over MAX_DOCUMENT_BYTES. */
export function checkDocumentSize(collection: string, id: string, json: string): number {
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) throw documentTooLarge(collection, id, bytes, MAX_DOCUMENT_BYTES);
  return bytes;
}

export function documentTooLarge(collection: string, id: string, bytes: number, limit: number): AppError {
  return new AppError(
    'payload_too_large',
    `Document ${collection}/${id} is ${bytes} bytes, over the state store's limit of ${limit} bytes per document`,
  );
}
