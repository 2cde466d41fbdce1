// @ts-check
import { fill, h, safeLink, time } from './dom.js';
import { renderGraph, renderLegend } from './graph.js';
import {
  driftState,
  findingSubject,
  findingText,
  STATES,
  serviceStates,
  stateLabel,
} from './service-states.js';

/** @typedef {import('../api-types.ts').Conflict} Conflict */
/** @typedef {import('../api-types.ts').Drift} Drift */
/** @typedef {import('../api-types.ts').Link} Link */
/** @typedef {import('../api-types.ts').Service} Service */

/**
 * A long documentation address shown by its last path segment (the full address is the link).
 * @param {string} url
 */
function docLabel(url) {
  return (url.split(/[?#]/)[0] ?? '').split('/').filter(Boolean).pop() ?? url;
}

/**
 * @param {Service} service
 * @param {import('./service-states.js').StateId} state
 * @param {import('./service-states.js').ServiceDetails} details
 */
function serviceDetails(service, state, details) {
  /**
   * @param {string} label
   * @param {import('./dom.js').Child} value
   */
  const row = (label, value) => [
    h('dt', {}, label),
    h('dd', {}, value ?? h('span', { class: 'muted' }, '—')),
  ];
  const list = (/** @type {string[] | undefined} */ items) => (items?.length ? items.join(', ') : undefined);
  return h(
    'div',
    {},
    h(
      'h4',
      {},
      service.name ?? service.id,
      ' ',
      h('span', { class: `badge badge-state state-${state}` }, stateLabel(state)),
    ),
    h(
      'dl',
      { class: 'facts' },
      row('Id', h('code', {}, service.id)),
      row('Layer', service.layer),
      row('Version', service.version),
      row('Status', service.status),
      row('Technologies', list(service.technologies)),
      row('Code path', service.path && h('code', {}, service.path)),
      row('Depends on', list(service.dependencies)),
      row(
        'Documentation',
        service.documentationUrl && safeLink(service.documentationUrl, docLabel(service.documentationUrl)),
      ),
      row(
        'Drift',
        details.findings.length
          ? h(
              'ul',
              {},
              details.findings.map((f) =>
                h('li', {}, h('strong', {}, f.kind), findingText(f) ? `: ${findingText(f)}` : ''),
              ),
            )
          : undefined,
      ),
      row(
        'Open conflicts',
        details.conflicts.length
          ? h(
              'ul',
              {},
              details.conflicts.map((c) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#conflict-${c.id}` }, c.field ? `field ${c.field}` : 'whole service'),
                  ` (${c.kind})`,
                ),
              ),
            )
          : undefined,
      ),
    ),
  );
}

/**
 * The graph, its legend, the drift findings and a details panel for the focused service.
 * @param {HTMLElement} container
 * @param {{ link: Link, services: Service[], drift: Drift, openConflicts: Conflict[] }} data
 */
export function renderArchitecture(container, { link, services, drift, openConflicts }) {
  const findings = Array.isArray(drift?.findings) ? drift.findings : [];
  const states = serviceStates({ link, findings, openConflicts });
  const byId = new Map(services.map((svc) => [svc.id, svc]));
  const detailsPanel = h(
    'div',
    { class: 'service-details', id: 'service-details', 'aria-live': 'polite' },
    h('h4', {}, 'Service details'),
    h(
      'p',
      { class: 'muted' },
      'Focus or click a service in the graph (Tab moves between services) to see its details here.',
    ),
  );

  const counts = new Map(STATES.map((state) => [state.id, 0]));
  const ids = new Set([...services.map((svc) => svc.id), ...states.mentioned()]);
  for (const id of ids) counts.set(states.stateOf(id), (counts.get(states.stateOf(id)) ?? 0) + 1);

  const graph =
    ids.size === 0
      ? h(
          'p',
          { class: 'empty' },
          'No synced snapshot yet: the graph appears after the first successful sync.',
        )
      : h(
          'div',
          { class: 'graph-scroll' },
          renderGraph({
            services,
            states,
            caption: `Architecture of ${link.id}`,
            onSelect: (id) =>
              fill(
                detailsPanel,
                serviceDetails(byId.get(id) ?? { id, name: id }, states.stateOf(id), states.detailsOf(id)),
              ),
          }),
        );

  const findingsList = findings.length
    ? h(
        'table',
        { class: 'data' },
        h(
          'caption',
          {},
          `Drift findings${drift?.computedAt ? ', computed ' : ''}`,
          drift?.computedAt ? time(drift.computedAt) : '',
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Service'),
            h('th', { scope: 'col' }, 'Kind'),
            h('th', { scope: 'col' }, 'Detail'),
          ),
        ),
        h(
          'tbody',
          {},
          findings.map((f) =>
            h(
              'tr',
              {},
              h('td', {}, byId.get(findingSubject(f))?.name ?? findingSubject(f)),
              h('td', {}, h('span', { class: `badge badge-state state-${driftState(f.kind)}` }, f.kind)),
              h('td', {}, findingText(f)),
            ),
          ),
        ),
      )
    : h(
        'p',
        { class: 'muted' },
        drift?.computedAt ? ['No drift found as of ', time(drift.computedAt), '.'] : 'No drift report yet.',
      );

  fill(
    container,
    h(
      'div',
      { class: 'graph-area' },
      h('div', {}, graph, renderLegend(counts)),
      h('aside', { class: 'graph-side' }, detailsPanel),
    ),
    findingsList,
  );
}
