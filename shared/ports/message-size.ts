import { AppError } from '../errors/index.ts';
import type { PublishOptions } from './event-bus.ts';

/**
 * Largest message a bus carries, counting the data (its JSON text, UTF-8), the attributes' names and
 * values and the ordering key: Pub/Sub refuses messages, and publish requests, over 10 MB
 * (https://cloud.google.com/pubsub/quotas), and 100 kB are left for the request's own framing and
 * topic name. Every bus refuses a larger one before storing or sending any of it, with
 * `payload_too_large`, so a message the embedded bus takes is one Pub/Sub takes too.
 */
export const MAX_MESSAGE_BYTES = 9_900_000;

/** Throws `payload_too_large` when the message (its data as JSON text) is over MAX_MESSAGE_BYTES. */
export function checkMessageSize(topic: string, json: string, options: PublishOptions = {}): void {
  let extra = options.orderingKey?.length ?? 0;
  for (const [name, value] of Object.entries(options.attributes ?? {})) extra += name.length + value.length;
  // A UTF-16 code unit is at most 3 bytes in UTF-8: most messages need no byte count at all.
  if ((json.length + extra) * 3 <= MAX_MESSAGE_BYTES) return;
  let bytes = Buffer.byteLength(json, 'utf8') + Buffer.byteLength(options.orderingKey ?? '', 'utf8');
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new AppError(
      'payload_too_large',
      `A message for topic ${topic} is ${bytes} bytes, over the bus's limit of ${MAX_MESSAGE_BYTES} bytes (Pub/Sub takes 10 MB a request)`,
    );
  }
}
