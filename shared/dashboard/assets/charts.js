// @ts-check
/**
 * Time-series charts drawn with uPlot (loaded as the global `uPlot` from vendor/uplot.iife.min.js),
 * each with its figures as a table for screen readers and for reading exact values.
 */
import { formatDate, h } from './dom.js';

/** @type {WeakMap<HTMLElement, UPlot>} */
const drawn = new WeakMap();

/**
 * @typedef {object} ChartSpec
 * @property {string} title
 * @property {string} unit shown on the y axis and in the table's headers
 * @property {Array<{ label: string, stroke: string }>} series
 * @property {number[]} times bucket starts, in seconds since the epoch
 * @property {Array<Array<number | null>>} values one list per series, aligned with `times`
 * @property {(value: number) => string} [format] how a value reads in the table
 */

/**
 * Replaces `container`'s chart (the previous one is destroyed, not leaked) with one drawn from `spec`.
 * @param {HTMLElement} container
 * @param {ChartSpec} spec
 */
export function timeChart(container, spec) {
  drawn.get(container)?.destroy();
  container.replaceChildren();
  const plotArea = h('div', { class: 'chart-plot', role: 'img', 'aria-label': `${spec.title} chart` });
  container.append(h('h4', {}, spec.title), plotArea, figuresTable(spec));
  /** @type {UPlotOptions} */
  const options = {
    width: Math.max(320, Math.floor(container.clientWidth || 640) - 8),
    height: 220,
    series: [
      {},
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 5 },
      })),
    ],
    axes: [{}, { label: spec.unit, size: 60 }],
    scales: { x: { time: true } },
    legend: { show: true },
  };
  /** @type {UPlotData} */
  const data = [spec.times, ...spec.values];
  drawn.set(container, new uPlot(options, data, plotArea));
}

/** @param {ChartSpec} spec */
function figuresTable(spec) {
  const format = spec.format ?? ((v) => String(v));
  return h(
    'details',
    { class: 'chart-figures' },
    h('summary', {}, `${spec.title}: figures`),
    h(
      'table',
      { class: 'data compact' },
      h('caption', { class: 'visually-hidden' }, spec.title),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'From'),
          spec.series.map((s) => h('th', { scope: 'col' }, `${s.label} (${spec.unit})`)),
        ),
      ),
      h(
        'tbody',
        {},
        spec.times.map((t, i) =>
          h(
            'tr',
            {},
            h('td', {}, formatDate(new Date(t * 1000))),
            spec.values.map((list) => {
              const v = list[i];
              return h('td', {}, v === null || v === undefined ? '—' : format(v));
            }),
          ),
        ),
      ),
    ),
  );
}
