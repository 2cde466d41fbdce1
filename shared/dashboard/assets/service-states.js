// @ts-check
/** @typedef {import('../api-types.ts').Conflict} Conflict */
/** @typedef {import('../api-types.ts').DriftFinding} DriftFinding */
/** @typedef {import('../api-types.ts').Link} Link */
/** @typedef {'conflict' | 'not-implemented' | 'not-designed' | 'mismatch' | 'drift' | 'pending' | 'in-sync'} StateId */
/** @typedef {{ findings: DriftFinding[], conflicts: Conflict[] }} ServiceDetails */

/**
 * What colour a service gets in the graph: the most urgent of its open conflicts, drift findings and
 * the link's sync state. Drift kinds are matched loosely (designed-but-not-implemented, …) so a new
 * kind still shows as drift instead of vanishing.
 * @type {Array<{ id: StateId, label: string, short: string, help: string }>}
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

/**
 * @param {string | undefined} kind
 * @returns {StateId}
 */
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
 * @param {DriftFinding} finding
 */
export function findingSubject(finding) {
  return finding.serviceId ?? finding.path ?? '(unknown)';
}

/** @param {DriftFinding} finding */
export function findingText(finding) {
  return finding.message ?? '';
}

/** @param {string} id */
export function stateLabel(id) {
  return STATES.find((state) => state.id === id)?.label ?? id;
}

/** @param {string} id */
export function shortStateLabel(id) {
  return STATES.find((state) => state.id === id)?.short ?? id;
}

/**
 * Per service id: its state, its drift findings and its open conflicts.
 * `link.status` out_of_sync or error means unflagged services are only known as of the last sync.
 * @param {{ link: Link | undefined, findings: DriftFinding[], openConflicts: Conflict[] }} input
 */
export function serviceStates({ link, findings, openConflicts }) {
  /** @type {Map<string, ServiceDetails>} */
  const byService = new Map();
  /** @param {string} id */
  const entry = (id) => {
    let e = byService.get(id);
    if (!e) {
      e = { findings: [], conflicts: [] };
      byService.set(id, e);
    }
    return e;
  };
  for (const finding of findings) entry(findingSubject(finding)).findings.push(finding);
  for (const conflict of openConflicts) entry(conflict.serviceId).conflicts.push(conflict);

  /** @type {StateId} */
  const quiet = link?.status === 'out_of_sync' || link?.status === 'error' ? 'pending' : 'in-sync';
  /**
   * @param {string} id
   * @returns {StateId}
   */
  const stateOf = (id) => {
    const e = byService.get(id);
    if (!e) return quiet;
    const candidates = e.findings.map((f) => driftState(f.kind));
    if (e.conflicts.length > 0) candidates.push('conflict');
    if (candidates.length === 0) return quiet;
    return candidates.sort((a, b) => (RANK.get(a) ?? 99) - (RANK.get(b) ?? 99))[0] ?? quiet;
  };
  return {
    stateOf,
    /** @type {(id: string) => ServiceDetails} */
    detailsOf: (id) => byService.get(id) ?? { findings: [], conflicts: [] },
    /** Service ids named by findings or conflicts, for services the snapshot does not hold. */
    mentioned: () => [...byService.keys()],
  };
}
