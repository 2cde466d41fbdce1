export {
  createLogger,
  type LogFields,
  type Logger,
  type LogLevel,
  traceIdFromHeaders,
} from './logger.ts';
export { REDACTED } from './redact.ts';
