import { createHash, randomUUID } from 'node:crypto';

const PREFIX = 'op_';
const LENGTH = 20;

/** A fresh id for a run the API or a scheduled job queues. */
export function newOperationId(): string {
  return `${PREFIX}${randomUUID().replaceAll('-', '').slice(0, LENGTH)}`;
}

function derived(...parts: string[]): string {
  return `${PREFIX}${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, LENGTH)}`;
}

/**
 * The run an event (a webhook or a Drive change) starts for one link: derived from the message, so
 * every redelivery of that message continues the same operation instead of starting another.
 */
export function eventOperationId(messageId: string, linkId: string): string {
  return derived('event', messageId, linkId);
}

/**
 * The run that replays `operationId` after it gave up. Derived, so redeliveries of the replayed
 * message continue one replay; a replay that gives up in turn is replayed by the next one in line.
 */
export function replayOperationId(operationId: string): string {
  return derived('replay', operationId);
}
