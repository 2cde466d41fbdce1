import type { Link, Operation } from '../../../shared/records/index.ts';
import type { AcceptedEdit } from './invariant.ts';
import { eventually, type ResilientBridge } from './resilient-bridge.ts';
import type { World } from './world.ts';

/** One edit on each side, in different services, so one sync writes both GitHub and Drive. */
export const TWO_SIDED_EDITS: readonly AcceptedEdit[] = [
  { side: 'design', serviceId: 'core', field: 'version', value: '2.3.0' },
  { side: 'definitions', serviceId: 'auth', field: 'version', value: '1.4.0' },
];

export function applyEdits(world: World, edits: readonly AcceptedEdit[]): void {
  for (const e of edits) {
    if (e.side === 'design') world.editDesign(e.serviceId, e.field, e.value);
    else world.editDefinition(e.serviceId, e.field, e.value);
  }
}

/** Waits until the operation finished (through however many redeliveries); returns it. */
export function finished(
  bridge: ResilientBridge,
  operationId: string,
  timeoutMs = 15_000,
): Promise<Operation> {
  return eventually(
    `operation ${operationId} to finish`,
    async () => {
      const op = await bridge.operation(operationId);
      return op.status === 'succeeded' || op.status === 'failed' ? op : undefined;
    },
    timeoutMs,
  );
}

export async function linkOf(bridge: ResilientBridge, id: string): Promise<Link> {
  return (await bridge.api<Link>('GET', `/api/v1/links/${id}`)).body;
}
