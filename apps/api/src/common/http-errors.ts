// One JSON error shape for every non-GraphQL route: `{ code, message, error: { code, message } }`
// with the HTTP status of the code. Internal errors go to internal-error.ts (logged by id, answered
// with that id only).
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { httpStatusOf } from './errors';
import { sendInternalError } from './internal-error';

/** An HTTP-only failure (size, media type) with its status and code. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Extension fields that are safe and useful to echo to HTTP clients. */
const ECHOED = [
  'field',
  'reason',
  'artifact',
  'imageChannels',
  'modelChannels',
  'required',
  'role',
  'status',
  'limit',
];

/** Writes `{ code, message, ...extra, error }` with `status`. */
export function sendJsonError(
  res: Response,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  if (status === 413) res.setHeader('Connection', 'close');
  res.status(status).json({ code, message, ...extra, error: { code, message, ...extra } });
}

/**
 * Answers a route's failure. API errors keep their code (404s name what is missing:
 * RUN_NOT_FOUND, ARTIFACT_NOT_FOUND, …); anything else is a 500 carrying only an error id.
 */
export function sendHttpError(res: Response, err: unknown, where: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpProblem)
    return sendJsonError(res, err.status, err.code, err.message, err.extra);
  const code = err instanceof GraphQLError ? err.extensions.code : undefined;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    const ext = (err as GraphQLError).extensions as Record<string, unknown>;
    const extra: Record<string, unknown> = {};
    for (const k of ECHOED) if (ext[k] !== undefined) extra[k] = ext[k];
    if (typeof ext.retryAfterS === 'number') res.setHeader('Retry-After', String(ext.retryAfterS));
    // 404s name what is missing; 409s may carry a precise reason (e.g. MODEL_NOT_FOUND).
    const httpCode =
      code === 'NOT_FOUND'
        ? `${String(ext.entity ?? 'RUN').toUpperCase()}_NOT_FOUND`
        : code === 'INVALID_STATE' && typeof ext.reason === 'string'
          ? ext.reason
          : code;
    return sendJsonError(res, httpStatusOf(code), httpCode, (err as Error).message, extra);
  }
  sendInternalError(res, err, where);
}
