import { escapeMarkdownText as inert, type ProposedService } from '../domain/index.ts';

/** The bootstrap pull request's title and body: what is proposed, from what, and what was left out. */
export function bootstrapPullRequest(proposal: {
  services: ProposedService[];
  source: 'deterministic' | 'model';
  notes: string[];
  skipped: Array<{ path: string; reason: string }>;
}): { title: string; body: string } {
  const n = proposal.services.length;
  const title = `Bootstrap architecture definitions (${n} service${n === 1 ? '' : 's'})`;
  const lines = [
    'The Integration Bridge read this repository (README, manifests, compose, deployment manifests and',
    '`services/*`) and proposes these definitions. Merging this pull request adds them; the next sync then',
    'brings them into the design. Nothing is written to the design before the merge.',
    '',
    proposal.source === 'model'
      ? 'Descriptions, layers and dependencies were enriched by a model from the deterministic proposal; every value passed the definitions schema.'
      : 'Built from the manifests alone (no model).',
    '',
    '| service | layer | version | technologies | depends on | path |',
    '| --- | --- | --- | --- | --- | --- |',
    ...proposal.services.map(
      ({ service: s }) =>
        `| ${inert(s.name)} (\`${s.id}\`) | ${inert(s.layer ?? '')} | ${inert(s.version ?? '')} | ${inert((s.technologies ?? []).join(', '))} | ${inert((s.dependencies ?? []).join(', '))} | ${inert(s.path ?? '')} |`,
    ),
  ];
  if (proposal.notes.length)
    lines.push('', '**Notes**', '', ...proposal.notes.slice(0, 50).map((n) => `- ${inert(n)}`));
  if (proposal.skipped.length)
    lines.push(
      '',
      `**Files not read** (${proposal.skipped.length})`,
      '',
      ...proposal.skipped.slice(0, 30).map((s) => `- ${inert(s.path)}: ${inert(s.reason)}`),
    );
  return { title, body: lines.join('\n') };
}
