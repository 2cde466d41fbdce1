import { Timestamp } from '@google-cloud/firestore';
import { AppError } from '../../errors/index.ts';
import { checkDocumentSize, type DocData } from '../../ports/index.ts';

/*
 * Firestore cannot hold an array directly inside an array ("Nested arrays are not supported"), but the
 * port stores any JSON. Inside arrays, an inner array is stored as `{"~array": [...]}` and a map that
 * would read back as one of these wrappers is stored as `{"~map": {...}}`, so the round trip is exact.
 */
const ARRAY_TAG = '~array';
const MAP_TAG = '~map';

type Stored = unknown;

/**
 * JSON-normalises the body (as the SQLite store does: Dates become strings, undefined is dropped),
 * refusing a body over MAX_DOCUMENT_BYTES as every store does.
 */
export function encodeBody(collection: string, id: string, data: DocData): Record<string, Stored> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError('bad_request', 'A document must be a JSON object');
  }
  const text = JSON.stringify(data);
  checkDocumentSize(collection, id, text);
  return encodeMap(JSON.parse(text) as Record<string, unknown>);
}

export function decodeBody(stored: unknown): DocData {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return {};
  return decodeMap(stored as Record<string, unknown>);
}

function encodeMap(map: Record<string, unknown>): Record<string, Stored> {
  const out: Record<string, Stored> = {};
  for (const [key, value] of Object.entries(map)) out[key] = encodeValue(value);
  return out;
}

function encodeValue(value: unknown): Stored {
  if (Array.isArray(value)) return value.map(encodeElement);
  if (value !== null && typeof value === 'object') return encodeMap(value as Record<string, unknown>);
  return value;
}

function encodeElement(value: unknown): Stored {
  if (Array.isArray(value)) return { [ARRAY_TAG]: value.map(encodeElement) };
  if (value !== null && typeof value === 'object') {
    const map = encodeMap(value as Record<string, unknown>);
    return isWrapper(map) ? { [MAP_TAG]: map } : map;
  }
  return value;
}

function decodeMap(map: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) out[key] = decodeValue(value);
  return out;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeElement);
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (value !== null && typeof value === 'object') return decodeMap(value as Record<string, unknown>);
  return value;
}

function decodeElement(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && isWrapper(value)) {
    const [[tag, inner]] = Object.entries(value) as [[string, unknown]];
    if (tag === ARRAY_TAG) return (inner as unknown[]).map(decodeElement);
    return decodeMap(inner as Record<string, unknown>);
  }
  return decodeValue(value);
}

function isWrapper(map: object): boolean {
  const keys = Object.keys(map);
  return keys.length === 1 && (keys[0] === ARRAY_TAG || keys[0] === MAP_TAG);
}

/** RFC 3339 with all nine fractional digits, so the string round-trips to the exact Timestamp. */
export function timestampToString(ts: Timestamp): string {
  const whole = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(ts.nanoseconds).padStart(9, '0')}Z`;
}

const VERSION = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{9})Z$/;

/** The Timestamp a version string names, or undefined when it is not one this adapter produced. */
export function stringToTimestamp(version: string): Timestamp | undefined {
  const m = VERSION.exec(version);
  if (!m?.[1] || !m[2]) return undefined;
  const millis = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(millis)) return undefined;
  return new Timestamp(Math.floor(millis / 1000), Number(m[2]));
}

/*
 * Document ids: Firestore forbids "/" in an id, the ids "." and "..", and ids matching __.*__. The port
 * allows any string, so those characters are percent-escaped (reversibly: "%" itself is escaped too).
 */
export function encodeId(id: string): string {
  if (id === '') throw new AppError('bad_request', 'A document id must not be empty');
  let out = id.replaceAll('%', '%25').replaceAll('/', '%2F');
  if (out === '.' || out === '..') out = out.replaceAll('.', '%2E');
  if (/^__.*__$/.test(out)) out = `%5F${out.slice(1)}`;
  return out;
}

export function decodeId(stored: string): string {
  return stored.replace(/%(25|2F|2E|5F)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
