/** `name = expression` in a body. */
interface HclArgument {
  kind: 'argument';
  name: string;
  /** The expression's source text. */
  expression: string;
  line: number;
}

/** `type "label" ... { body }`. */
export interface HclBlock {
  kind: 'block';
  type: string;
  labels: string[];
  body: HclItem[];
  line: number;
}

export type HclItem = HclArgument | HclBlock;

const IDENTIFIER = /[A-Za-z_][\w-]*/y;
const HEREDOC = /<<-?([A-Za-z_][\w-]*)\r?\n/y;

/**
 * The structure of HCL native syntax: which names are arguments and which are blocks, with line
 * numbers. hcl2json's JSON cannot tell `x { a = 1 }` from `x = [{ a = 1 }]` (both become
 * `"x": [{"a": 1}]`), and that difference is what the provider schema check is about. Expressions
 * are skipped, not parsed (strings, templates, heredocs, comments and brackets are balanced).
 */
export function hclStructure(text: string, file = 'input'): HclItem[] {
  let pos = 0;
  const lineAt = (at: number) => text.slice(0, at).split('\n').length;
  const fail = (what: string): never => {
    throw new Error(`${file}:${lineAt(pos)}: ${what}`);
  };
  const match = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = pos;
    const found = pattern.exec(text);
    if (found) pos += found[0].length;
    return found;
  };
  const skipComment = (): boolean => {
    if (text[pos] === '#' || text.startsWith('//', pos)) {
      while (pos < text.length && text[pos] !== '\n') pos++;
      return true;
    }
    if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      if (end === -1) fail('unterminated comment');
      pos = end + 2;
      return true;
    }
    return false;
  };
  /** Spaces and comments; newlines too when `lines`. */
  const skipSpace = (lines: boolean) => {
    while (pos < text.length) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\r' || (lines && c === '\n')) pos++;
      else if (!skipComment()) return;
    }
  };
  /** From an opening quote to past its closing one, through `${ ... }` and `%{ ... }` templates. */
  const skipString = () => {
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') pos += 2;
      else if (text.startsWith('$${', pos) || text.startsWith('%%{', pos)) pos += 3;
      else if (text.startsWith('${', pos) || text.startsWith('%{', pos)) {
        pos += 2;
        skipExpression('}');
        if (text[pos] !== '}') fail('unterminated template');
        pos++;
      } else if (text[pos] === '\n') fail('newline in a quoted string');
      else pos++;
    }
    if (pos >= text.length) fail('unterminated string');
    pos++;
  };
  const skipHeredoc = (marker: string) => {
    while (pos < text.length) {
      const end = text.indexOf('\n', pos);
      const line = text.slice(pos, end === -1 ? text.length : end);
      pos = end === -1 ? text.length : end + 1;
      if (line.trim() === marker) return;
    }
    fail(`heredoc ${marker} not terminated`);
  };
  /**
   * An expression up to (not past) a newline or a closing `}` at bracket depth 0; inside a template
   * (`until` = '}'), newlines do not end it.
   */
  const skipExpression = (until?: '}') => {
    const open: string[] = [];
    while (pos < text.length) {
      const c = text[pos] ?? '';
      if (open.length === 0 && (c === '}' || (c === '\n' && until === undefined))) return;
      if (skipComment()) continue;
      const heredoc = c === '<' ? match(HEREDOC) : null;
      if (heredoc) skipHeredoc(heredoc[1] ?? '');
      else if (c === '"') skipString();
      else if (c === '(' || c === '[' || c === '{') {
        open.push(c);
        pos++;
      } else if (c === ')' || c === ']' || c === '}') {
        const expected = { ')': '(', ']': '[', '}': '{' }[c];
        if (open.pop() !== expected) fail(`unbalanced ${c}`);
        pos++;
      } else pos++;
    }
  };
  const readLabel = (): string | undefined => {
    if (text[pos] === '"') {
      const start = pos;
      skipString();
      return JSON.parse(text.slice(start, pos)) as string;
    }
    return match(IDENTIFIER)?.[0];
  };
  const parseBody = (closing: boolean): HclItem[] => {
    const items: HclItem[] = [];
    for (;;) {
      skipSpace(true);
      if (pos >= text.length) {
        if (closing) fail('missing }');
        return items;
      }
      if (text[pos] === '}') {
        if (!closing) fail('unexpected }');
        pos++;
        return items;
      }
      const line = lineAt(pos);
      const name = match(IDENTIFIER)?.[0] ?? fail(`unexpected ${JSON.stringify(text[pos])}`);
      skipSpace(false);
      if (text[pos] === '=' && text[pos + 1] !== '=') {
        pos++;
        skipSpace(false);
        const start = pos;
        skipExpression();
        items.push({ kind: 'argument', name, expression: text.slice(start, pos).trim(), line });
        continue;
      }
      const labels: string[] = [];
      while (text[pos] !== '{') {
        labels.push(readLabel() ?? fail(`expected = or a block after ${name}`));
        skipSpace(false);
      }
      pos++;
      items.push({ kind: 'block', type: name, labels, body: parseBody(true), line });
    }
  };
  return parseBody(false);
}
