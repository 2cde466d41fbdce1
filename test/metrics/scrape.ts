import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { TestBridge } from '../support/bridge.ts';

export type Families = ReturnType<typeof parsePrometheusTextFormat> & { histograms: HistogramSeries };
type HistogramSeries = ReturnType<typeof parsePrometheusTextFormat>;

/**
 * GET /metrics with a bearer token, parsed with a Prometheus text parser. The parser folds a
 * histogram's samples into one unlabelled sample (it handles only unlabelled histograms), so
 * histograms are read a second time with their `# TYPE … histogram` lines left out: their
 * `_count`, `_sum` and `_bucket` series then come out as plain labelled series.
 */
export async function scrape(bridge: Pick<TestBridge, 'url'>, token: string): Promise<Families> {
  const res = await fetch(`${bridge.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${await res.text()}`);
  return parseScrape(await res.text());
}

export function parseScrape(text: string): Families {
  const families = parsePrometheusTextFormat(text);
  const untyped = text
    .split('\n')
    .filter((line) => !(line.startsWith('# TYPE ') && line.endsWith(' histogram')))
    .join('\n');
  return Object.assign(families, { histograms: parsePrometheusTextFormat(untyped) });
}

type Labels = Record<string, string>;
const matches = (have: Labels | undefined, want: Labels) =>
  Object.entries(want).every(([k, v]) => have?.[k] === v);

/** Sum of a counter's or gauge's samples whose labels include `labels` (0 when none). */
export function sampleSum(families: Families, name: string, labels: Labels = {}): number {
  // Untyped histogram series come as one family per run of lines: every family of the name counts.
  return families
    .filter((f) => f.name === name)
    .flatMap((f) => f.metrics)
    .filter((m) => matches(m.labels, labels))
    .reduce((sum, m) => sum + Number(m.value ?? 0), 0);
}

/** Sum of a histogram's observation counts whose labels include `labels`. */
export function countOf(families: Families, name: string, labels: Labels = {}): number {
  if (families.find((f) => f.name === name)?.type !== 'HISTOGRAM') return 0;
  return sampleSum(families.histograms as Families, `${name}_count`, labels);
}

/** Every label set of a family (to see that no id slipped into a label). */
export function labelSets(families: Families, name: string): Labels[] {
  return (families.find((f) => f.name === name)?.metrics ?? []).map((m) => m.labels ?? {});
}
