import { type DocumentReference, type DocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import { AppError } from '../../errors/index.ts';
import { type DocData, documentTooLarge, type StoredDoc, type WriteOptions } from '../../ports/index.ts';
import { decodeBody, decodeId, encodeBody, timestampToString } from './firestore-codec.ts';
import { FIRESTORE_MAX_DOCUMENT_BYTES, firestoreDocumentSize } from './firestore-size.ts';

/** Where a port document goes: its port name (for messages) and its Firestore reference. */
export interface DocTarget {
  collection: string;
  id: string;
  ref: DocumentReference;
}

/**
 * The Firestore fields of a port document: the body, and the TTL field (null when none). Refuses,
 * before any request, a body over the bridge's limit or a document over Firestore's own.
 */
export function stored(
  target: DocTarget,
  data: DocData,
  options: WriteOptions = {},
): { data: DocData; expireAt: Timestamp | null } {
  const fields = {
    data: encodeBody(target.collection, target.id, data),
    expireAt: options.expireAt ? Timestamp.fromDate(options.expireAt) : null,
  };
  const size = firestoreDocumentSize(target.ref.path, fields);
  if (size > FIRESTORE_MAX_DOCUMENT_BYTES)
    throw documentTooLarge(target.collection, target.id, size, FIRESTORE_MAX_DOCUMENT_BYTES);
  return fields;
}

export function toStoredDoc<T>(snap: DocumentSnapshot): StoredDoc<T> | undefined {
  if (!snap.exists || !snap.updateTime || !snap.createTime) return undefined;
  const version = timestampToString(snap.updateTime);
  const doc: StoredDoc<T> = {
    id: decodeId(snap.id),
    data: decodeBody(snap.get('data')) as T,
    version,
    createTime: timestampToString(snap.createTime),
    updateTime: version,
  };
  const expireAt: unknown = snap.get('expireAt');
  if (expireAt instanceof Timestamp) doc.expireAt = expireAt.toDate().toISOString();
  return doc;
}

export function preconditionFailed(
  collection: string,
  id: string,
  version: string,
  cause?: unknown,
): AppError {
  return new AppError('precondition_failed', `Document ${collection}/${id} is not at version ${version}`, {
    cause,
  });
}

export function notFound(collection: string, id: string, cause?: unknown): AppError {
  return new AppError('not_found', `Document ${collection}/${id} not found`, { cause });
}
