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

/** `pageSize` (1..100, default 20) and `pageToken` from the query string. */
export function paging(req: HttpRequest): { pageSize: number; pageToken?: string } {
  const rawSize = req.query.get('pageSize');
  const pageSize = rawSize === null ? 20 : Number(rawSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new AppError('validation_failed', 'pageSize: an integer from 1 to 100', {
      details: { fields: [{ field: 'pageSize', message: 'an integer from 1 to 100' }] },
    });
  }
  const pageToken = req.query.get('pageToken') ?? undefined;
  return pageToken ? { pageSize, pageToken } : { pageSize };
}
