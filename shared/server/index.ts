export { createFunctionHandlers, type FunctionHandlers } from './function-handlers.ts';
export { type LocalServer, startLocalServer } from './local-server.ts';
