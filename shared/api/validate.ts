import type { z } from 'zod';
import { AppError } from '../errors/index.ts';
import type { HttpRequest } from '../http/index.ts';

const MAX_JSON_BODY = 1024 * 1024;

function describeIssues(error: z.ZodError): {
  message: string;
  fields: Array<{ field: string; message: string }>;
} {
  const fields = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  return { message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
}

/** Parses and validates a JSON body; 400 names each bad field and why. An empty body is `{}`. */
export async function readJson<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.output<S>> {
  const raw = await req.body(MAX_JSON_BODY);
  let value: unknown = {};
  if (raw.length > 0) {
    const type = req.headers['content-type'] ?? 'application/json';
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      throw new AppError('unsupported_media_type', 'Send the body as application/json');
    }
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      throw new AppError('bad_request', 'Body is not valid JSON');
    }
  }
  return parseWith(schema, value);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    throw new AppError('validation_failed', message, { details: { fields } });
  }
  return parsed.data;
}

/** A 400 `validation_failed` for one field, in the same shape as schema failures. */
export function fieldError(field: string, message: string, cause?: unknown): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, {
    details: { fields: [{ field, message }] },
    cause,
  });
}

/** Parses one query parameter with `schema`; a failure names the parameter. */
export function queryParam<S extends z.ZodType>(req: HttpRequest, name: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(req.query.get(name) ?? undefined);
  if (!parsed.success) throw fieldError(name, parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** `pageSize` (1..100, default 20) and `pageToken` from the query string. */
export function paging(req: HttpRequest): { pageSize: number; pageToken?: string } {
  const rawSize = req.query.get('pageSize');
  const pageSize = rawSize === null ? 20 : Number(rawSize);
  if (rawSize === '' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw fieldError('pageSize', 'an integer from 1 to 100');
  }
  const pageToken = req.query.get('pageToken') ?? undefined;
  return pageToken ? { pageSize, pageToken } : { pageSize };
}

/**
 * Runs a paged query; the store refuses a cursor that names no document (`bad_request`), which the
 * caller sees as a bad `pageToken` rather than an internal detail.
 */
export async function withPageToken<T>(page: { pageToken?: string }, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    if (page.pageToken && err instanceof AppError && err.code === 'bad_request') {
      throw fieldError('pageToken', 'not a page token from this list (start again without it)', err);
    }
    throw err;
  }
}
