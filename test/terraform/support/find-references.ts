import { getExpressionAst, wrapTerraformExpression } from '@cdktf/hcl2json';
import { isBody } from './terraform-model.ts';

interface AstNode {
  type: string;
  children?: AstNode[];
  meta?: {
    traversal?: Array<{ type: string; segment?: string }>;
    keyVar?: string;
    valVar?: string;
  };
}

/**
 * Names an expression reads (`var.x`, `local.x`, `google_pubsub_topic.topic`, `each.value`, ...): the
 * leading name segments of every scope traversal, skipping `for` variables.
 * hcl2json's own getReferencesInExpression does not look inside a `for` body, so this walks the AST.
 */
export async function findReferences(file: string, expression: string): Promise<string[]> {
  const quoted = expression.startsWith('"') ? expression : `"${expression}"`;
  const ast = (await getExpressionAst(file, wrapTerraformExpression(quoted).wrap)) as AstNode | null;
  const out: string[] = [];
  const walk = (node: AstNode, scope: ReadonlySet<string>): void => {
    if (node.type === 'scopeTraversal') {
      const names: string[] = [];
      for (const part of node.meta?.traversal ?? []) {
        if (part.type !== 'nameTraversal' || part.segment === undefined) break;
        names.push(part.segment);
      }
      const head = names[0];
      if (head !== undefined && !scope.has(head)) out.push(names.join('.'));
    }
    const inner =
      node.type === 'for'
        ? new Set([...scope, node.meta?.keyVar ?? '', node.meta?.valVar ?? ''].filter((v) => v !== ''))
        : scope;
    for (const child of node.children ?? []) walk(child, inner);
  };
  if (ast) walk(ast, new Set());
  return out;
}

/** Every string in a parsed body that holds an interpolation or directive, with where it sits. */
export function expressionStrings(
  value: unknown,
  path: string[] = [],
): Array<{ path: string; text: string }> {
  if (typeof value === 'string') {
    return value.includes('${') || value.includes('%{') ? [{ path: path.join('.'), text: value }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => expressionStrings(v, [...path, String(i)]));
  if (isBody(value)) return Object.entries(value).flatMap(([k, v]) => expressionStrings(v, [...path, k]));
  return [];
}
