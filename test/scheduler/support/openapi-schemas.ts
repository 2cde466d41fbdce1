import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SPEC_ID = 'https://api.github.com/openapi.json';
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
type Node = unknown;
const isObject = (v: Node): v is Record<string, Node> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null type; examples and docs are dropped. */
function toJsonSchema(node: Node): Node {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: Record<string, Node> = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      key.startsWith('x-') ||
      ['example', 'examples', 'description', 'nullable', 'deprecated'].includes(key)
    )
      continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      out[key] = `${SPEC_ID}${value}`;
    else if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [p, toJsonSchema(s)]));
    } else out[key] = toJsonSchema(value);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [{ type: 'null' }, out] };
}

export interface GithubSchemas {
  /** Error lines for a response body of `operationId` with `status`; empty when valid. */
  response(operationId: string, status: number, body: unknown): string[];
  /** Error lines for a JSON request body. */
  request(operationId: string, body: unknown): string[];
  /** The spec's `default` example of an operation's response. */
  example(operationId: string, status: number): unknown;
}

let loading: Promise<GithubSchemas> | undefined;

/** Schemas and examples of GitHub's published OpenAPI description (@octokit/openapi), loaded once. */
export function loadGithubSchemas(): Promise<GithubSchemas> {
  loading ??= build();
  return loading;
}

async function build(): Promise<GithubSchemas> {
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const doc = JSON.parse(await readFile(file, 'utf8')) as {
    paths: Record<string, Record<string, Record<string, Node>>>;
    components: Record<string, Record<string, Node>>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: toJsonSchema(doc.components.schemas) } });

  const operations = new Map<string, Record<string, Node>>();
  for (const methods of Object.values(doc.paths)) {
    for (const op of Object.values(methods)) {
      if (isObject(op) && typeof op.operationId === 'string') operations.set(op.operationId, op);
    }
  }
  const deref = (node: Node): Node => {
    if (isObject(node) && typeof node.$ref === 'string') {
      const [, , section, name] = node.$ref.split('/');
      return deref(doc.components[section ?? '']?.[name ?? '']);
    }
    return node;
  };
  const json = (holder: Node) =>
    deref((deref(holder) as { content?: Record<string, Node> })?.content?.['application/json']);
  const responseOf = (operationId: string, status: number) => {
    const op = operations.get(operationId);
    if (!op) throw new Error(`no operation ${operationId}`);
    const response = (op.responses as Record<string, Node>)[String(status)];
    if (!response) throw new Error(`${operationId} does not document status ${status}`);
    return json(response) as { schema?: Node; examples?: Record<string, Node> } | undefined;
  };
  const compiled = new Map<string, ValidateFunction>();
  const run = (key: string, schema: Node, body: unknown) => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema) as object);
      compiled.set(key, validate);
    }
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'}`);
  };
  return {
    response(operationId, status, body) {
      const schema = responseOf(operationId, status)?.schema;
      return schema === undefined ? [] : run(`${operationId}:${status}`, schema, body);
    },
    request(operationId, body) {
      const schema = (json(operations.get(operationId)?.requestBody) as { schema?: Node } | undefined)
        ?.schema;
      return schema === undefined ? [] : run(`${operationId}:request`, schema, body);
    },
    example(operationId, status) {
      const example = deref(responseOf(operationId, status)?.examples?.default) as
        | { value?: unknown }
        | undefined;
      return example?.value;
    },
  };
}
