export {
  createLogger,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  traceIdFromHeaders,
} from './logger.ts';
export { REDACTED, redact, SecretRegistry } from './redact.ts';
