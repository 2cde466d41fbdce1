export { logRequestError } from './log-request-error.ts';
export { fromExpressRequest, fromNodeRequest, sendNodeResponse } from './node-adapter.ts';
export { errorResponse, json, methodNotAllowed } from './responses.ts';
export type { HttpHandler, HttpRequest, HttpResponse } from './types.ts';
