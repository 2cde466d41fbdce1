export { logRequestError } from './log-request-error.ts';
export { fromExpressRequest, fromNodeRequest, readStreamBody, sendNodeResponse } from './node-adapter.ts';
export { errorResponse, json, methodNotAllowed, serializeBody } from './responses.ts';
export type { BodyOptions, HttpHandler, HttpRequest, HttpResponse } from './types.ts';
