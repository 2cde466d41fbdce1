/**
 * What colour a service gets in the graph: the most urgent of its open conflicts, drift findings and
 * the link's sync state. Drift kinds are matched loosely (designed-but-not-implemented, …) so a new
 * kind still shows as drift instead of vanishing.
 */
export const STATES = [
  {
    id: 'conflict',
    label: 'Open conflict',
    short: 'Open conflict',
    help: 'both sides changed it; pick a side below',
  },
  {
    id: 'not-implemented',
    label: 'Designed, not implemented',
    short: 'Not implemented',
    help: 'in the design, not in the code',
  },
  {
    id: 'not-designed',
    label: 'Implemented, not designed',
    short: 'Not designed',
    help: 'in the code, not in the design',
  },
  {
    id: 'mismatch',
    label: 'Version / technology mismatch',
    short: 'Mismatch',
    help: 'design and code disagree',
  },
  { id: 'drift', label: 'Other drift', short: 'Drift', help: 'see the drift findings' },
  { id: 'pending', label: 'Awaiting sync', short: 'Awaiting sync', help: 'changes not synced yet' },
  { id: 'in-sync', label: 'In sync', short: 'In sync', help: 'both sides agree' },
];

const RANK = new Map(STATES.map((state, i) => [state.id, i]));

export function driftState(kind) {
  const k = String(kind ?? '').toLowerCase();
  if (/not[-_ ]?(yet[-_ ]?)?implemented|missing[-_ ]?implementation/.test(k)) return 'not-implemented';
  if (/not[-_ ]?designed|undesigned|missing[-_ ]?design/.test(k)) return 'not-designed';
  if (/mismatch|version|technolog/.test(k)) return 'mismatch';
  return 'drift';
}

/**
 * The node a drift finding belongs to: its service, or for code no service claims
 * (implemented-not-designed) its folder, drawn as a node outside the snapshot.
 */
export function findingSubject(finding) {
  return finding.serviceId ?? finding.path ?? '(unknown)';
}

/** A finding's text: the engine writes `message`; `detail` is accepted too. */
export function findingText(finding) {
  return finding.message ?? finding.detail ?? '';
}

export function stateLabel(id) {
  return STATES.find((state) => state.id === id)?.label ?? id;
}

export function shortStateLabel(id) {
  return STATES.find((state) => state.id === id)?.short ?? id;
}

/**
 * Per service id: its state, its drift findings and its open conflicts.
 * `link.status` out_of_sync or error means unflagged services are only known as of the last sync.
 */
export function serviceStates({ link, findings, openConflicts }) {
  const byService = new Map();
  const entry = (id) => {
    if (!byService.has(id)) byService.set(id, { findings: [], conflicts: [] });
    return byService.get(id);
  };
  for (const finding of findings) entry(findingSubject(finding)).findings.push(finding);
  for (const conflict of openConflicts) entry(conflict.serviceId).conflicts.push(conflict);

  const quiet = link?.status === 'out_of_sync' || link?.status === 'error' ? 'pending' : 'in-sync';
  const stateOf = (id) => {
    const e = byService.get(id);
    if (!e) return quiet;
    const candidates = e.findings.map((f) => driftState(f.kind));
    if (e.conflicts.length > 0) candidates.push('conflict');
    if (candidates.length === 0) return quiet;
    return candidates.sort((a, b) => (RANK.get(a) ?? 99) - (RANK.get(b) ?? 99))[0];
  };
  return {
    stateOf,
    detailsOf: (id) => byService.get(id) ?? { findings: [], conflicts: [] },
    /** Service ids named by findings or conflicts, for services the snapshot does not hold. */
    mentioned: () => [...byService.keys()],
  };
}
