export {
  createLogger,
  type LogFields,
  type Logger,
  type LogLevel,
  newTraceId,
  traceIdFromHeaders,
} from './logger.ts';
export { REDACTED } from './redact.ts';
