import { AppError, isAppError } from '../../errors/index.ts';

/** gRPC status codes the Google clients attach to their errors as `code`. */
export const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Maps a Google client error to an AppError. The client's own message can carry resource names and
 * console links, so it stays in `cause` (for the log) and the AppError message says what happened.
 */
export function toServiceError(err: unknown, what: string): AppError {
  if (isAppError(err)) return err;
  switch (grpcCode(err)) {
    case GRPC.INVALID_ARGUMENT:
      return new AppError('bad_request', `${what}: rejected as invalid`, { cause: err });
    case GRPC.NOT_FOUND:
      return new AppError('not_found', `${what}: not found`, { cause: err });
    case GRPC.ALREADY_EXISTS:
      return new AppError('conflict', `${what}: already exists`, { cause: err });
    case GRPC.ABORTED:
      return new AppError('conflict', `${what}: aborted by a concurrent change`, { cause: err });
    case GRPC.PERMISSION_DENIED:
    case GRPC.UNAUTHENTICATED:
      return new AppError('upstream_failed', `${what}: permission denied`, { cause: err });
    case GRPC.UNAVAILABLE:
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.RESOURCE_EXHAUSTED:
      return new AppError('unavailable', `${what}: service unavailable, retry later`, { cause: err });
    default:
      return new AppError('upstream_failed', `${what}: failed`, { cause: err });
  }
}
