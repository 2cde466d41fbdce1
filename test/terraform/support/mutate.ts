import type { CheckName } from './all-checks.ts';

/** One edit of the module that breaks what a check guards; the check must name it. */
export interface Mutation {
  name: string;
  file: string;
  from: string | RegExp;
  to: string;
  check: CheckName;
  reported: RegExp;
}

export function mutate(sources: Record<string, string>, m: Mutation): Record<string, string> {
  const text = sources[m.file];
  if (text === undefined) throw new Error(`no ${m.file}`);
  const found = typeof m.from === 'string' ? text.includes(m.from) : m.from.test(text);
  if (!found) throw new Error(`mutation "${m.name}": ${String(m.from)} not found in ${m.file}`);
  return { ...sources, [m.file]: text.replace(m.from, m.to) };
}
