// Every error the API reports is a GraphQLError with extensions.code, so clients can branch
// on the code instead of parsing messages.
import { GraphQLError } from 'graphql';

/** The error codes of the API (see schema.graphql). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  STEP_CONFLICT: 'STEP_CONFLICT',
  INVALID_METRIC_VALUE: 'INVALID_METRIC_VALUE',
  INVALID_STATE: 'INVALID_STATE',
  ARTIFACT_TOO_LARGE: 'ARTIFACT_TOO_LARGE',
  QUERY_SYNTAX_ERROR: 'QUERY_SYNTAX_ERROR',
  /** No credential, or one the server does not accept (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid credential whose role is too low for the operation (HTTP 403). */
  FORBIDDEN: 'FORBIDDEN',
  /** Too many requests for this key or address (HTTP 429, Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
} as const;
/** One of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Builds a GraphQLError carrying `code` (and extra fields) in its extensions. */
export function apiError(
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** BAD_USER_INPUT for malformed input. */
export function badInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return apiError(ErrorCode.BAD_USER_INPUT, message, extra);
}

/** NOT_FOUND naming the missing entity and id. */
export function notFound(entity: string, id: string): GraphQLError {
  return apiError(ErrorCode.NOT_FOUND, `${entity} not found: ${id}`, { entity, id });
}

/** UNAUTHENTICATED: a credential is needed (or the one sent was refused). */
export function unauthenticated(
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return apiError(ErrorCode.UNAUTHENTICATED, message, extra);
}

/** FORBIDDEN: the caller's role is too low. */
export function forbidden(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return apiError(ErrorCode.FORBIDDEN, message, extra);
}

/** The HTTP status that answers an error code on the non-GraphQL routes. */
export function httpStatusOf(code: string): number {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.INVALID_STATE:
    case ErrorCode.STEP_CONFLICT:
      return 409;
    case ErrorCode.ARTIFACT_TOO_LARGE:
      return 413;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return 400;
  }
}

/** The code of an error thrown by the API, if any. */
export function errorCode(err: unknown): string | undefined {
  if (err instanceof GraphQLError) return err.extensions.code as string | undefined;
  return undefined;
}

/** True for a Prisma unique-constraint violation (a concurrent insert won the race). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
