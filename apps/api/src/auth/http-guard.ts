// The caller of every HTTP request, resolved before GraphQL and the artifact, sample, export
// and explain routes run, and the AccessGuard those routes use.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { sendHttpError } from '../common/http-errors';
import { AccessGuard } from './access.guard';
import type { AccessRepository } from './access.repository';
import { ANONYMOUS, type Principal, type PrincipalResolver } from './principal';

interface Locals {
  principal?: Principal;
  guard?: AccessGuard;
}

/** Resolves the caller (401 for a refused key) and puts a guard on the response locals. */
export function principalMiddleware(
  principals: PrincipalResolver,
  access: AccessRepository,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    principals.fromHeaders(req.headers).then(
      (principal) => {
        const locals = res.locals as Locals;
        locals.principal = principal;
        locals.guard = new AccessGuard(principal, access);
        next();
      },
      (err: unknown) => {
        // GraphQL clients read `errors`; everything else reads `code` (see sendHttpError).
        if (req.path === '/graphql' && err instanceof GraphQLError) {
          res.status(401).json({
            errors: [{ message: err.message, extensions: { code: err.extensions.code } }],
          });
          return;
        }
        sendHttpError(res, err, 'authentication');
      },
    );
  };
}

/** The caller of a request (anonymous if the middleware did not run). */
export function principalOf(res: Response): Principal {
  return (res.locals as Locals).principal ?? ANONYMOUS;
}

/** The guard of a request; routes call it before reading or writing. */
export function guardOf(res: Response): AccessGuard {
  const locals = res.locals as Locals;
  if (!locals.guard) throw new Error('principalMiddleware must run before this route');
  return locals.guard;
}
