/**
 * A small GraphQL parser for the queries the GitHub provider sends: one operation (`query`, or the
 * `{ … }` shorthand), variable definitions (types are read and ignored), fields with aliases and
 * arguments, nested selection sets and inline fragments (`... on Blob { … }`).
 *
 * Not supported (a parse error says so): named fragments, directives (`@include`), block strings
 * (`"""…"""`), subscriptions, several operations in one document.
 */
export type GqlValue =
  | string
  | number
  | boolean
  | null
  | { variable: string }
  | { enum: string }
  | GqlValue[]
  | { object: Record<string, GqlValue> };

export interface GqlField {
  kind: 'field';
  alias: string;
  name: string;
  args: Record<string, GqlValue>;
  selections?: GqlSelection[];
}

export interface GqlInlineFragment {
  kind: 'inline';
  typeCondition: string;
  selections: GqlSelection[];
}

export type GqlSelection = GqlField | GqlInlineFragment;

export interface GqlOperation {
  type: 'query' | 'mutation';
  selections: GqlSelection[];
}

export class GqlSyntaxError extends Error {}

const TOKEN =
  /\s*(?:#[^\n]*\s*)*(\.\.\.|[{}():!$=[\],@]|"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*)/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^[\s,]*$/.test(source.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(source);
    if (!m) throw new GqlSyntaxError(`Parse error near "${source.slice(at, at + 20)}"`);
    if (m[1] !== ',') tokens.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

export function parseGraphql(source: string): GqlOperation {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw new GqlSyntaxError('Unexpected end of document');
    return t;
  };
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new GqlSyntaxError(`Expected "${t}", got "${got}"`);
  };
  const isName = (t: string | undefined) => t !== undefined && /^[_A-Za-z]/.test(t);

  const value = (): GqlValue => {
    const t = next();
    if (t === '$') return { variable: next() };
    if (t.startsWith('"')) return JSON.parse(t) as string;
    if (t === '[') {
      const list: GqlValue[] = [];
      while (peek() !== ']') list.push(value());
      next();
      return list;
    }
    if (t === '{') {
      const object: Record<string, GqlValue> = {};
      while (peek() !== '}') {
        const key = next();
        expect(':');
        object[key] = value();
      }
      next();
      return { object };
    }
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (/^-?\d/.test(t)) return Number(t);
    if (isName(t)) return { enum: t };
    throw new GqlSyntaxError(`Unexpected "${t}"`);
  };

  const selectionSet = (): GqlSelection[] => {
    expect('{');
    const out: GqlSelection[] = [];
    while (peek() !== '}') {
      if (peek() === '...') {
        next();
        if (next() !== 'on') throw new GqlSyntaxError('Named fragments are not supported');
        const typeCondition = next();
        out.push({ kind: 'inline', typeCondition, selections: selectionSet() });
        continue;
      }
      let alias = next();
      if (!isName(alias)) throw new GqlSyntaxError(`Expected a field, got "${alias}"`);
      let name = alias;
      if (peek() === ':') {
        next();
        name = next();
      }
      const args: Record<string, GqlValue> = {};
      if (peek() === '(') {
        next();
        while (peek() !== ')') {
          const key = next();
          expect(':');
          args[key] = value();
        }
        next();
      }
      if (peek() === '@') throw new GqlSyntaxError('Directives are not supported');
      const field: GqlField = { kind: 'field', alias, name, args };
      if (peek() === '{') field.selections = selectionSet();
      out.push(field);
      alias = '';
    }
    next();
    return out;
  };

  let type: GqlOperation['type'] = 'query';
  if (peek() === 'query' || peek() === 'mutation') {
    type = next() as GqlOperation['type'];
    if (isName(peek())) next();
    if (peek() === '(') {
      // Variable definitions: `($owner: String!, $n: Int = 1)`; types and defaults are skipped.
      let depth = 0;
      do {
        const t = next();
        if (t === '(') depth++;
        if (t === ')') depth--;
      } while (depth > 0);
    }
  } else if (peek() !== '{') {
    throw new GqlSyntaxError(`Only queries and mutations are supported, got "${peek()}"`);
  }
  const selections = selectionSet();
  if (i !== tokens.length) throw new GqlSyntaxError('Only one operation per document is supported');
  return { type, selections };
}
