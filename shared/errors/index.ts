export {
  AppError,
  ERRORS,
  type ErrorBody,
  type ErrorCode,
  isAppError,
  toAppError,
} from './app-error.ts';
