// Internal errors (anything that carries none of the API's codes: bugs, database and disk
// failures) are logged in full under a short random id and answered with that id only: their
// messages can hold absolute source paths and code excerpts (Prisma's do), which a client must
// never see. The id lets an operator find the log line.
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { formatLimitError, type RequestLimits } from './request-limits';

/** The code of every internal error. */
export const INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR';

/** Logs `err` under a fresh id; returns the id and the only message a client gets. */
export function reportInternalError(
  err: unknown,
  where: string,
): { errorId: string; message: string } {
  const errorId = randomBytes(5).toString('hex');
  console.error(`[api] internal error ${errorId} in ${where}:`, err);
  return { errorId, message: `Internal error ${errorId}` };
}

/**
 * Answers an HTTP route's internal error: 500 `{ code, message, errorId, error }` (the shape of
 * the routes' other errors), or cuts the connection when the body had already started.
 */
export function sendInternalError(res: Response, err: unknown, where: string): void {
  const { errorId, message } = reportInternalError(err, where);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = { code: INTERNAL_SERVER_ERROR, message, errorId };
  res.status(500).json({ ...body, error: body });
}

/** True when internal errors may carry their message and stack: API_DEBUG_ERRORS=1 outside production. */
export function debugErrorsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.API_DEBUG_ERRORS === '1' && env.NODE_ENV !== 'production';
}

/**
 * Apollo's formatError: limit rejections re-coded (see request-limits.ts), internal errors
 * reduced to `{ message: "Internal error <id>", extensions: { code, errorId } }` (plus the
 * GraphQL path), and no stack trace on any error unless debugging.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { limits: RequestLimits; debug: boolean },
): GraphQLFormattedError {
  const limited = formatLimitError(formatted, error, options.limits);
  if (limited) return limited;
  const code = formatted.extensions?.code;
  if (code === undefined || code === INTERNAL_SERVER_ERROR) {
    const { errorId, message } = reportInternalError(
      unwrapResolverError(error),
      formatted.path ? `resolver ${formatted.path.join('.')}` : 'graphql',
    );
    return {
      message,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: INTERNAL_SERVER_ERROR,
        errorId,
        ...(options.debug
          ? { debugMessage: formatted.message, stacktrace: formatted.extensions?.stacktrace }
          : {}),
      },
    };
  }
  if (!options.debug && formatted.extensions && 'stacktrace' in formatted.extensions) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions;
    return { ...formatted, extensions };
  }
  return formatted;
}
