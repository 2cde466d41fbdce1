// @ts-check
/** @typedef {import('../api-types.ts').Service} Service */
/** @typedef {{ id: string, service: Service, layer: string, ghost: boolean }} GraphNode */
/** @typedef {GraphNode & { col: number, x: number, y: number }} PlacedNode */
/** @typedef {{ layer: string, x: number, index: number, count: number, ghost: boolean }} Band */
/** @typedef {{ from: string, to: string, d: string }} Edge */

/**
 * Places services in columns, one per layer (in the order layers first appear), and routes each
 * dependency as a curve from the dependent service to the one it depends on.
 */
export const SIZE = { colW: 216, nodeW: 186, nodeH: 74, rowGap: 20, head: 46, pad: 14 };

const NO_LAYER = 'No layer';
export const GHOST_LAYER = 'Not in the snapshot';

/**
 * `services` from the base snapshot; `extraIds` are ids mentioned elsewhere (drift, conflicts).
 * @param {Service[]} services
 * @param {string[]} [extraIds]
 * @returns {{ nodes: PlacedNode[], edges: Edge[], bands: Band[], width: number, height: number }}
 */
export function layoutGraph(services, extraIds = []) {
  const known = new Map(services.map((service) => [service.id, service]));
  /** @type {Set<string>} */
  const ghosts = new Set();
  for (const id of extraIds) if (id && !known.has(id)) ghosts.add(id);
  for (const service of services) {
    for (const dep of service.dependencies ?? []) if (!known.has(dep)) ghosts.add(dep);
  }

  /** @type {Map<string, GraphNode[]>} */
  const columns = new Map();
  /** @param {GraphNode} node */
  const place = (node) => {
    const column = columns.get(node.layer);
    if (column) column.push(node);
    else columns.set(node.layer, [node]);
  };
  for (const service of services) {
    place({ id: service.id, service, layer: service.layer?.trim() || NO_LAYER, ghost: false });
  }
  // Layers without a name and ids the snapshot lacks go last, so named layers keep their order.
  for (const name of [NO_LAYER]) {
    const nodes = columns.get(name);
    if (nodes) {
      columns.delete(name);
      columns.set(name, nodes);
    }
  }
  for (const id of ghosts) place({ id, service: { id, name: id }, layer: GHOST_LAYER, ghost: true });

  const { colW, nodeW, nodeH, rowGap, head, pad } = SIZE;
  /** @type {Map<string, PlacedNode>} */
  const nodes = new Map();
  /** @type {Band[]} */
  const bands = [];
  let col = 0;
  let maxRows = 0;
  for (const [layer, members] of columns) {
    const x = pad + col * colW;
    bands.push({ layer, x, index: col, count: members.length, ghost: layer === GHOST_LAYER });
    members.forEach((node, row) => {
      nodes.set(node.id, {
        ...node,
        col,
        x: x + (colW - nodeW) / 2,
        y: head + pad + row * (nodeH + rowGap),
      });
    });
    maxRows = Math.max(maxRows, members.length);
    col += 1;
  }
  const width = pad * 2 + Math.max(col, 1) * colW;
  let height = head + pad * 2 + Math.max(maxRows, 1) * (nodeH + rowGap) - rowGap;

  /** @type {Edge[]} */
  const edges = [];
  let lanes = 0;
  for (const service of services) {
    for (const dep of new Set(service.dependencies ?? [])) {
      const from = nodes.get(service.id);
      const to = nodes.get(dep);
      if (!from || !to || from === to) continue;
      if (Math.abs(from.col - to.col) > 1) {
        // A dependency that skips a column would run under that column's nodes: route it in a lane
        // below them instead.
        const [lo, hi] = from.col < to.col ? [from.col, to.col] : [to.col, from.col];
        const bottom = Math.max(
          ...[...nodes.values()].filter((n) => n.col > lo && n.col < hi).map((n) => n.y + nodeH),
        );
        const laneY = bottom + rowGap / 2 + 10 * lanes;
        lanes += 1;
        height = Math.max(height, laneY + pad * 2);
        edges.push({ from: from.id, to: to.id, d: lanePath(from, to, laneY) });
      } else {
        edges.push({ from: from.id, to: to.id, d: edgePath(from, to) });
      }
    }
  }
  return { nodes: [...nodes.values()], edges, bands, width, height };
}

/**
 * @param {PlacedNode} a
 * @param {PlacedNode} b
 * @param {number} laneY
 */
function lanePath(a, b, laneY) {
  const { nodeW, nodeH } = SIZE;
  const forward = b.col > a.col;
  const sx = a.x + nodeW / 2 + (forward ? 30 : -30);
  const ex = b.x + nodeW / 2 + (forward ? -30 : 30);
  const turn = forward ? 40 : -40;
  return `M ${sx} ${a.y + nodeH} C ${sx} ${laneY}, ${sx} ${laneY}, ${sx + turn} ${laneY} L ${ex - turn} ${laneY} C ${ex} ${laneY}, ${ex} ${laneY}, ${ex} ${b.y + nodeH + 2}`;
}

/**
 * @param {PlacedNode} a
 * @param {PlacedNode} b
 */
function edgePath(a, b) {
  const { nodeW, nodeH } = SIZE;
  const ay = a.y + nodeH / 2;
  const by = b.y + nodeH / 2;
  if (a.col === b.col) {
    const x = a.x + nodeW;
    const bulge = 28 + Math.abs(by - ay) * 0.18;
    return `M ${x} ${ay} C ${x + bulge} ${ay}, ${x + bulge} ${by}, ${x + 2} ${by}`;
  }
  const forward = b.col > a.col;
  const sx = forward ? a.x + nodeW : a.x;
  const ex = forward ? b.x - 2 : b.x + nodeW + 2;
  const mid = (ex - sx) / 2;
  return `M ${sx} ${ay} C ${sx + mid} ${ay}, ${ex - mid} ${by}, ${ex} ${by}`;
}
