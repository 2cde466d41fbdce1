import type { ConflictRecord } from '../../../shared/records/index.ts';
import type { ResilientBridge } from './resilient-bridge.ts';
import type { World } from './world.ts';

/** An edit a person made on one side that the bridge accepted (its event or sync was taken in). */
export interface AcceptedEdit {
  side: 'design' | 'definitions';
  serviceId: string;
  field: 'version' | 'name' | 'status';
  value: string;
}

type ApiLike = Pick<ResilientBridge, 'api'>;

/**
 * The suite's invariant: every accepted edit is either in both places (the design file in Drive and
 * the definition on GitHub's main branch), or recorded as an open conflict holding both values.
 * Returns a description of each edit's fate for the test's own assertions.
 */
export async function assertEveryEditAccounted(
  world: World,
  bridge: ApiLike,
  linkId: string,
  edits: readonly AcceptedEdit[],
  /** Where the definitions must hold the edits: `main`, or `bridge/<link>` under the pull-request policy. */
  ref = 'main',
): Promise<Array<'both' | 'open-conflict'>> {
  const design = world.design();
  const definitions = world.definitions(ref);
  const open = await bridge.api<{ items: ConflictRecord[] }>(
    'GET',
    `/api/v1/links/${linkId}/conflicts?state=open`,
  );
  if (open.status !== 200) throw new Error(`conflicts not readable: ${open.status}`);
  const problems: string[] = [];
  const fates = edits.map((edit) => {
    const inDesign = design.components.find((c) => c.service_id === edit.serviceId)?.[edit.field];
    const inDefinitions = definitions.get(edit.serviceId)?.[edit.field];
    if (inDesign === edit.value && inDefinitions === edit.value) return 'both' as const;
    const conflict = open.body.items.find(
      (c) =>
        c.serviceId === edit.serviceId &&
        (c.field === edit.field || c.field === null) &&
        c.design !== undefined &&
        c.definitions !== undefined &&
        (c.design === edit.value || c.definitions === edit.value),
    );
    if (conflict) return 'open-conflict' as const;
    problems.push(
      `${edit.side} edit ${edit.serviceId}.${edit.field}=${edit.value} is lost: design has ${String(inDesign)}, definitions have ${String(inDefinitions)}, and no open conflict records it`,
    );
    return 'lost' as never;
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return fates;
}
