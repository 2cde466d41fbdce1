export { type LocalServer, type ServerTimeouts, startLocalServer } from './local-server.ts';
