export {
  AppError,
  ERROR_STATUS,
  type ErrorBody,
  type ErrorCode,
  isAppError,
  toAppError,
} from './app-error.ts';
