export { createFunctionHandlers, type FunctionHandlers } from './function-handlers.ts';
export { type LocalServer, SERVER_TIMEOUTS, type ServerTimeouts, startLocalServer } from './local-server.ts';
