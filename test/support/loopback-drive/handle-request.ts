import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHANGE_ROUTES } from './change-routes.ts';
import { discoveryMethod } from './discovery.ts';
import { validateDiscoveryValue, validateQuery } from './discovery-validator.ts';
import { applyFieldsMask, type FieldsMask, maskProblems, parseFieldsMask } from './fields-mask.ts';
import { FILE_ROUTES } from './file-routes.ts';
import { GoogleApiError, parseJsonBody, sendError, sendJson } from './http-io.ts';
import type { LoopbackContext, Route } from './route-types.ts';

const ROUTES: Route[] = [...FILE_ROUTES, ...CHANGE_ROUTES];

const UPLOAD_PARAMS = { uploadType: { type: 'string', enum: ['media', 'multipart', 'resumable'] } };

function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.httpMethod !== method) continue;
    const params = Object.fromEntries(
      Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
    );
    return { route, params };
  }
  if (pathMatched) throw new GoogleApiError(405, 'httpMethodNotAllowed', `Method ${method} not allowed`);
  throw new GoogleApiError(404, 'notFound', `Not Found: ${path}`);
}

/**
 * One API request: route, check the query, `fields` and JSON body against the discovery document
 * (400s like Drive's), run the handler, mask and validate the JSON response. A response that does not
 * match the schema becomes a 500 and lands in `schemaErrors`, so a test sees it.
 */
export function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  ctx: LoopbackContext,
  schemaErrors: string[],
): void {
  const { route, params } = findRoute(req.method ?? 'GET', url.pathname);
  const method = discoveryMethod(route.doc, route.resource, route.method);
  // The discovery document lists only alt=json; alt=media is allowed where supportsMediaDownload is set.
  const alt = url.searchParams.get('alt');
  if (alt === 'media' && !method.supportsMediaDownload) {
    throw new GoogleApiError(400, 'invalidParameter', `${method.id} does not support alt=media`, 'alt');
  }
  const query = new URLSearchParams(url.searchParams);
  if (alt === 'media') query.delete('alt');
  const problem = validateQuery(route.doc, method, query, route.upload ? UPLOAD_PARAMS : {});
  if (problem) throw new GoogleApiError(400, 'invalidParameter', problem);
  if (route.upload && !url.searchParams.has('uploadType')) {
    throw new GoogleApiError(400, 'required', 'Required: uploadType', 'uploadType');
  }

  let mask: FieldsMask | null = null;
  if (method.response) {
    try {
      mask = parseFieldsMask(url.searchParams.get('fields') ?? route.defaultFields);
    } catch (err) {
      throw new GoogleApiError(400, 'invalidParameter', (err as Error).message, 'fields');
    }
    const unknown = maskProblems(route.doc, method.response, mask);
    if (unknown.length > 0) {
      throw new GoogleApiError(
        400,
        'invalidParameter',
        `Invalid field selection ${unknown.join(', ')}`,
        'fields',
      );
    }
  }

  let json: Record<string, unknown> = {};
  if (method.request && !route.upload) {
    const parsed = parseJsonBody(body);
    const errors = validateDiscoveryValue(route.doc, method.request, parsed);
    if (errors.length > 0)
      throw new GoogleApiError(400, 'invalid', `Invalid request body: ${errors.join('; ')}`);
    json = parsed as Record<string, unknown>;
  }

  const result = route.handle({ params, query: url.searchParams, headers: req.headers, body, json }, ctx);
  if ('empty' in result) {
    res.writeHead(204).end();
    return;
  }
  if ('media' in result) {
    res.writeHead(200, {
      'content-type': result.contentType,
      'content-length': Buffer.byteLength(result.media),
    });
    res.end(result.media);
    return;
  }
  const value = method.response ? applyFieldsMask(result.json, mask) : result.json;
  const errors = method.response ? validateDiscoveryValue(route.doc, method.response, value) : [];
  if (errors.length > 0) {
    schemaErrors.push(...errors.map((e) => `${method.id}: ${e}`));
    sendError(
      res,
      new GoogleApiError(500, 'backendError', `Loopback response violates the discovery schema`),
    );
    return;
  }
  sendJson(res, result.status ?? 200, value, result.headers);
}
