import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates request and response bodies against GitHub's published OpenAPI description
 * (`@octokit/openapi`, api.github.com), so the loopback server cannot drift from the real API.
 *
 * OpenAPI 3.0 is not JSON Schema: `nullable: true` is rewritten to a `null` type (or an `anyOf`
 * with null when there is no `type`, and `null` is added to an `enum`); examples, descriptions and
 * `x-*` extensions are dropped. Ajv runs non-strict, so unknown formats are ignored.
 */
export interface OpenapiValidator {
  /** The operation's `operationId`, or undefined when the spec has no such method + path template. */
  operationId(method: string, template: string): string | undefined;
  /** Path template of a concrete path (`/repos/o/r/pulls` → `/repos/{owner}/{repo}/pulls`). */
  templateOf(method: string, path: string): string | undefined;
  /** Error lines; empty when valid. A status the operation does not document gives one error. */
  validateResponse(method: string, template: string, status: number, body: unknown): string[];
  /** Error lines for a JSON request body; empty when valid or when the operation takes no body. */
  validateRequest(method: string, template: string, body: unknown): string[];
}

const SPEC_ID = 'https://api.github.com/openapi.json';
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAPI 3.0 schema → JSON Schema (see the module comment). */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || key === 'example' || key === 'examples' || key === 'description') continue;
    if (key === 'nullable' || key === 'discriminator' || key === 'deprecated') continue;
    if ((key === 'properties' || key === 'patternProperties') && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [p, toJsonSchema(s)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (node.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rewriteRefs(v),
    ]),
  );
}

/** A final `{ref}`-like parameter may hold slashes (`git/ref/heads/feature/x`), as GitHub accepts. */
function templateRegex(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  const pattern = parts.map((p, i) =>
    i === 0 ? p : `${i === parts.length - 1 && p === '' ? '.+' : '[^/]+'}${p}`,
  );
  return new RegExp(`^${pattern.join('')}$`);
}

let loading: Promise<OpenapiValidator> | undefined;

/** Loads and prepares the spec once per process (about a second; the file is 13 MB). */
export function loadOpenapiValidator(): Promise<OpenapiValidator> {
  loading ??= build();
  return loading;
}

async function build(): Promise<OpenapiValidator> {
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const doc = JSON.parse(await readFile(file, 'utf8')) as {
    paths: Record<string, Record<string, JsonObject>>;
    components: { schemas: JsonObject; responses: Record<string, JsonObject> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: toJsonSchema(doc.components.schemas) } });

  // Most literal characters first, so `/repos/{owner}/{repo}/pulls` wins over a greedy shorter template.
  const templates = Object.keys(doc.paths)
    .map((t) => ({ template: t, regex: templateRegex(t), literal: t.replace(/\{[^}]+\}/g, '').length }))
    .sort((a, b) => b.literal - a.literal);
  const compiled = new Map<string, ValidateFunction | null>();

  const operation = (method: string, template: string) => doc.paths[template]?.[method.toLowerCase()];

  const compile = (key: string, schema: Json | undefined): ValidateFunction | null => {
    if (!compiled.has(key)) {
      compiled.set(
        key,
        schema === undefined ? null : ajv.compile(rewriteRefs(toJsonSchema(schema)) as object),
      );
    }
    return compiled.get(key)!;
  };

  const run = (validate: ValidateFunction, body: unknown): string[] =>
    validate(body)
      ? []
      : (validate.errors ?? [])
          .slice(0, 10)
          .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);

  return {
    operationId: (method, template) => operation(method, template)?.operationId as string | undefined,
    templateOf: (method, path) =>
      templates.find((t) => t.regex.test(path) && operation(method, t.template))?.template,
    validateResponse(method, template, status, body) {
      const op = operation(method, template);
      if (!op) return [`${method} ${template} is not an operation of the GitHub REST API`];
      // Any GET may answer a conditional request with an empty 304, documented or not.
      if (status === 304) return body === undefined || body === '' ? [] : ['a 304 answer must have no body'];
      const responses = op.responses as Record<string, JsonObject>;
      let response = responses[String(status)] ?? responses.default;
      if (!response && status >= 400) {
        // GitHub answers any operation with 401, 403, 5xx… in its basic error shape, documented or not.
        return run(compile('basic-error', { $ref: '#/components/schemas/basic-error' })!, body);
      }
      if (!response) return [`${method} ${template} does not document status ${status}`];
      const ref = response.$ref;
      if (typeof ref === 'string') response = doc.components.responses[ref.split('/').pop()!]!;
      const content = response.content as Record<string, { schema?: Json }> | undefined;
      const schema = content?.['application/json']?.schema;
      if (schema === undefined) {
        return body === undefined || body === ''
          ? []
          : [`status ${status} of ${method} ${template} has no body`];
      }
      return run(compile(`res ${method} ${template} ${status}`, schema)!, body);
    },
    validateRequest(method, template, body) {
      const op = operation(method, template);
      if (!op) return [`${method} ${template} is not an operation of the GitHub REST API`];
      const requestBody = op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
      const validate = compile(
        `req ${method} ${template}`,
        requestBody?.content?.['application/json']?.schema,
      );
      return validate ? run(validate, body) : [];
    },
  };
}

/** Test helper: throws with every mismatch when `body` is not what GitHub documents. */
export async function assertGithubResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
): Promise<void> {
  const v = await loadOpenapiValidator();
  const template = path.includes('{') ? path : v.templateOf(method, path.split('?')[0]!);
  if (!template) throw new Error(`${method} ${path} matches no operation of the GitHub REST API`);
  const errors = v.validateResponse(method, template, status, body);
  if (errors.length > 0) throw new Error(`${method} ${template} ${status}:\n  ${errors.join('\n  ')}`);
}
