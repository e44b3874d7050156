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

/** The code of an error thrown by the API, if any. */
export function errorCode(err: unknown): string | undefined {
  if (err instanceof GraphQLError) return err.extensions.code as string | undefined;
  return undefined;
}

/** True for a Prisma unique-constraint violation (a concurrent insert won the race). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
