// @ts-check
import { h, s } from './dom.js';
import { GHOST_LAYER, layoutGraph, SIZE } from './graph-layout.js';
import { STATES, shortStateLabel, stateLabel } from './service-states.js';

/** @typedef {import('../api-types.ts').Service} Service */
/** @typedef {import('./graph-layout.js').PlacedNode} PlacedNode */
/** @typedef {ReturnType<typeof import('./service-states.js').serviceStates>} ServiceStates */

/**
 * @param {string} text
 * @param {number} max
 */
const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * @param {PlacedNode} node
 * @param {string} state
 * @param {Map<string, string>} names
 */
function describe(node, state, names) {
  const svc = node.service;
  const parts = [`${svc.name ?? svc.id}: ${stateLabel(state)}.`];
  if (node.ghost) parts.push('Not in the last synced snapshot.');
  else {
    parts.push(`Layer ${node.layer}.`);
    if (svc.version) parts.push(`Version ${svc.version}.`);
    if (svc.status) parts.push(`Status ${svc.status}.`);
    const deps = (svc.dependencies ?? []).map((d) => names.get(d) ?? d);
    parts.push(deps.length ? `Depends on ${deps.join(', ')}.` : 'No dependencies.');
  }
  return parts.join(' ');
}

/**
 * The architecture as an SVG: layers as columns, services as focusable nodes (Enter or click shows
 * details through `onSelect`), dependencies as arrows from a service to what it depends on.
 * @param {{ services: Service[], states: ServiceStates, caption: string, onSelect: (id: string) => void }} input
 */
export function renderGraph({ services, states, caption, onSelect }) {
  const layout = layoutGraph(services, states.mentioned());
  const names = new Map(services.map((svc) => [svc.id, svc.name ?? svc.id]));
  const svg = s('svg', {
    class: 'graph',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: 'group',
    'aria-roledescription': 'architecture graph',
  });
  // Fits the column on a laptop screen, but never shrinks below 70% (then it scrolls). CSSOM
  // properties are allowed under the page's CSP; style attributes are not.
  svg.style.minWidth = `${Math.round(layout.width * 0.7)}px`;
  svg.append(
    s('title', {}, caption),
    s(
      'desc',
      {},
      `${services.length} services in ${layout.bands.filter((b) => !b.ghost).length} layers, ` +
        `${layout.edges.length} dependencies. Arrows point from a service to what it depends on.`,
    ),
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: 'arrowhead',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { class: 'arrowhead', d: 'M 0 0 L 10 5 L 0 10 z' }),
      ),
    ),
  );

  const bands = s('g', { class: 'bands', 'aria-hidden': 'true' });
  for (const band of layout.bands) {
    bands.append(
      s('rect', {
        class: `band${band.index % 2 ? ' band-alt' : ''}${band.ghost ? ' band-ghost' : ''}`,
        x: band.x,
        y: SIZE.pad / 2,
        width: SIZE.colW - 6,
        height: layout.height - SIZE.pad,
        rx: 10,
      }),
      s('text', { class: 'band-label', x: band.x + (SIZE.colW - 6) / 2, y: 34 }, clip(band.layer, 26)),
    );
  }

  const edges = s('g', { class: 'edges' });
  for (const edge of layout.edges) {
    edges.append(
      s(
        'path',
        {
          class: 'edge',
          d: edge.d,
          'marker-end': 'url(#arrowhead)',
          'data-from': edge.from,
          'data-to': edge.to,
        },
        s('title', {}, `${names.get(edge.from) ?? edge.from} depends on ${names.get(edge.to) ?? edge.to}`),
      ),
    );
  }

  const nodes = s('g', { class: 'nodes' });
  for (const node of layout.nodes) {
    const state = states.stateOf(node.id);
    const svc = node.service;
    const label = describe(node, state, names);
    const inactive = svc.status === 'inactive' || svc.status === 'deprecated';
    const g = s(
      'g',
      {
        class: `node state-${state}${inactive ? ' inactive' : ''}${node.ghost ? ' ghost' : ''}`,
        transform: `translate(${node.x} ${node.y})`,
        tabindex: 0,
        role: 'button',
        'aria-label': label,
        'data-service-id': node.id,
        'data-state': state,
        'data-ghost': node.ghost ? 'true' : null,
      },
      s('title', {}, label),
      s('rect', { class: 'node-box', width: SIZE.nodeW, height: SIZE.nodeH, rx: 8 }),
      s('rect', { class: 'node-stripe', width: 6, height: SIZE.nodeH - 2, x: 1, y: 1, rx: 3 }),
      s('text', { class: 'node-name', x: 16, y: 23 }, clip(svc.name ?? node.id, 22)),
      s(
        'text',
        { class: 'node-meta', x: 16, y: 43 },
        clip(
          node.ghost ? node.id : [svc.version && `v${svc.version}`, svc.status].filter(Boolean).join(' · '),
          30,
        ),
      ),
      s('text', { class: 'node-state', x: 16, y: 63 }, clip(shortStateLabel(state), 28)),
    );
    const select = () => {
      for (const el of svg.querySelectorAll('.node.selected')) el.classList.remove('selected');
      g.classList.add('selected');
      for (const path of /** @type {NodeListOf<SVGPathElement>} */ (svg.querySelectorAll('.edge'))) {
        path.classList.toggle('related', path.dataset.from === node.id || path.dataset.to === node.id);
      }
      onSelect(node.id);
    };
    g.addEventListener('click', select);
    g.addEventListener('focus', select);
    g.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        select();
      }
    });
    nodes.append(g);
  }
  svg.append(bands, edges, nodes);
  return svg;
}

/**
 * What each colour and line means, with how many services are in each state.
 * @param {Map<string, number>} counts
 */
export function renderLegend(counts) {
  /**
   * @param {string} swatchClass
   * @param {string} label
   * @param {string} help
   */
  const item = (swatchClass, label, help) =>
    h(
      'li',
      {},
      h('span', { class: `swatch ${swatchClass}`, 'aria-hidden': 'true' }),
      h('span', {}, h('strong', {}, label), h('span', { class: 'legend-help' }, help)),
    );
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    STATES.map((state) =>
      item(`state-${state.id}`, `${state.label} (${counts.get(state.id) ?? 0})`, state.help),
    ),
    item('swatch-inactive', 'Dashed outline', 'inactive or deprecated service'),
    item('swatch-ghost', GHOST_LAYER, 'named by a dependency, drift finding or conflict only'),
    item('swatch-edge', 'Arrow A → B', 'A depends on B'),
  );
}
