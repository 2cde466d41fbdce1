export {
  AppError,
  ERRORS,
  type ErrorCode,
  isAppError,
  toAppError,
} from './app-error.ts';
