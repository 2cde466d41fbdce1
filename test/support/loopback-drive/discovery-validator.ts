import type { DiscoveryDocument, DiscoveryMethod, DiscoveryParameter, DiscoverySchema } from './discovery.ts';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function resolve(doc: DiscoveryDocument, schema: DiscoverySchema): DiscoverySchema | undefined {
  return schema.$ref ? doc.schemas[schema.$ref] : schema;
}

function checkString(value: string, schema: DiscoverySchema, path: string): string[] {
  if ((schema.format === 'int64' || schema.format === 'uint64') && !/^-?\d+$/.test(value)) {
    return [`${path}: ${JSON.stringify(value)} is not an ${schema.format} string`];
  }
  if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
    return [`${path}: ${JSON.stringify(value)} is not an RFC 3339 date-time`];
  }
  if (schema.enum && !schema.enum.includes(value))
    return [`${path}: ${JSON.stringify(value)} is not one of the enum`];
  return [];
}

/**
 * Checks a JSON value against a discovery-document schema, recursively: every property must be
 * declared (or allowed by `additionalProperties`) and of the declared type. Returns the problems.
 */
export function validateDiscoveryValue(
  doc: DiscoveryDocument,
  schemaOrRef: DiscoverySchema,
  value: unknown,
  path = '$',
): string[] {
  const schema = resolve(doc, schemaOrRef);
  if (!schema) return [`${path}: unknown schema $ref ${schemaOrRef.$ref}`];
  const type = schema.type;
  if (type === 'any') return [];
  if (value === null || value === undefined) return [`${path}: is ${value} (Google omits absent fields)`];
  switch (type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const errors: string[] = [];
      for (const [key, child] of Object.entries(value)) {
        const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
        if (!childSchema) errors.push(`${path}.${key}: unknown property of ${schema.id ?? 'object'}`);
        else errors.push(...validateDiscoveryValue(doc, childSchema, child, `${path}.${key}`));
      }
      return errors;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      return value.flatMap((item, i) =>
        validateDiscoveryValue(doc, schema.items ?? {}, item, `${path}[${i}]`),
      );
    case 'string':
      return typeof value === 'string' ? checkString(value, schema, path) : [`${path}: expected a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    default:
      return [`${path}: schema has unsupported type ${String(type)}`];
  }
}

function checkParameter(name: string, p: DiscoveryParameter, value: string): string | undefined {
  if (p.type === 'boolean' && value !== 'true' && value !== 'false') return `${name} must be true or false`;
  if (p.type === 'integer' && !/^-?\d+$/.test(value)) return `${name} must be an integer`;
  if (p.enum && !p.enum.includes(value)) return `${name} must be one of ${p.enum.join(', ')}`;
  return undefined;
}

/**
 * Checks a request's query against the method's parameters plus the API-wide ones (alt, fields...);
 * `extra` lists protocol parameters of the upload endpoints (uploadType). Returns the first problem.
 */
export function validateQuery(
  doc: DiscoveryDocument,
  method: DiscoveryMethod,
  query: URLSearchParams,
  extra: Record<string, DiscoveryParameter> = {},
): string | undefined {
  const params = { ...doc.parameters, ...method.parameters, ...extra };
  for (const [name, value] of query) {
    const p = params[name];
    if (!p || method.path.includes(`{${name}}`)) return `unknown query parameter ${name}`;
    const problem = checkParameter(name, p, value);
    if (problem) return problem;
  }
  for (const [name, p] of Object.entries(method.parameters ?? {})) {
    if (p.required && !method.path.includes(`{${name}}`) && !query.has(name)) return `${name} is required`;
  }
  return undefined;
}
