import { EXIT } from '../api-client.ts';
import { type Command, enc, need, print } from '../command.ts';

interface Suggestion {
  conflictId: string;
  choice: 'design' | 'definitions' | 'merged';
  value?: unknown;
  rationale: string;
  source: 'policy' | 'model';
  reason?: string;
  apply: { take: string; value?: unknown };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we neutralise
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Text from the server (a model's rationale, a side's value) with control characters shown, not sent to the terminal. */
const plain = (text: string) =>
  text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function describe(s: Suggestion): string {
  const what =
    s.choice === 'merged' ? `a merged value: ${plain(JSON.stringify(s.value ?? null))}` : `take ${s.choice}`;
  const source = s.source === 'model' ? 'from a model, checked like a resolution' : 'from the policy';
  const lines = [`suggestion for ${s.conflictId}: ${what} (${source})`, `  ${plain(s.rationale)}`];
  if (s.reason) lines.push(`  (model not used: ${plain(s.reason)})`);
  return `${lines.join('\n')}\n`;
}

/**
 * `conflicts suggest <link> <conflict> [--apply]`: prints the suggested resolution; `--apply` then
 * settles the conflict with it through the ordinary resolve route (nothing else ever applies one).
 */
const suggest: Command = {
  options: { apply: { type: 'boolean' } },
  args: ['<link>', '<conflict>'],
  async run(args, io) {
    const link = need(args, 2, 'link id');
    const conflict = need(args, 3, 'conflict id');
    const base = `/api/v1/links/${enc(link)}/conflicts/${enc(conflict)}`;
    const suggestion = await io.api.request<Suggestion>('GET', `${base}/suggestion`);
    if (!args.flags.apply) {
      print(io, args, suggestion, () => describe(suggestion));
      return EXIT.ok;
    }
    if (!args.flags.json) io.out(describe(suggestion));
    const resolved = await io.api.request<{ operationId: string }>(
      'POST',
      `${base}/resolve`,
      suggestion.apply,
    );
    print(
      io,
      args,
      { suggestion, resolved },
      () => `applied: resolved ${conflict}; sync ${resolved.operationId} queued\n`,
    );
    return EXIT.ok;
  },
};

export const SUGGEST_COMMANDS: Record<string, Command> = { 'conflicts suggest': suggest };
