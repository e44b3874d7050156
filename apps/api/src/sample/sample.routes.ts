// HTTP route for sample images (an <img> needs a URL, not a GraphQL field):
//   GET /runs/:runId/samples/:index.png?scale=N&split=test   PNG, ETag = "sha256-index-scale", 304
import { Router, type Request, type Response } from 'express';
import { guardOf } from '../auth/http-guard';
import { sendHttpError } from '../common/http-errors';
import { badInput } from '../common/errors';
import { setSandboxHeaders } from '../common/download-headers';
import { parseScale, type SampleService } from './sample.service';

/** True if an If-None-Match header lists `etag` (quoted) or is `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Express router serving one evaluated sample image as PNG. */
export function sampleRoutes(samples: SampleService): Router {
  const router = Router();
  router.get(
    '/runs/:runId/samples/:file',
    async (req: Request<{ runId: string; file: string }>, res: Response) => {
      try {
        await guardOf(res).requireRun(req.params.runId, 'viewer');
        const m = /^(\d{1,9})\.png$/.exec(req.params.file);
        if (!m)
          throw badInput(
            `Sample must be requested as <index>.png with a non-negative integer index, got ${req.params.file}`,
            { field: 'index' },
          );
        const split = typeof req.query.split === 'string' ? req.query.split : 'test';
        if (!/^[\w.-]{1,100}$/.test(split))
          throw badInput(`split must be 1-100 letters, digits, '.', '_' or '-'`, {
            field: 'split',
          });
        const scale = parseScale(req.query.scale);
        const { etag, png } = await samples.png(req.params.runId, Number(m[1]), {
          split,
          scale,
          ifNoneMatch: (tag) => matches(req.headers['if-none-match'], tag),
        });
        res.setHeader('ETag', etag);
        // The samples artifact may be replaced by a later evaluation: revalidate (a cheap 304).
        res.setHeader('Cache-Control', 'no-cache');
        if (!png) {
          res.status(304).end();
          return;
        }
        setSandboxHeaders(res);
        res.setHeader('Content-Type', 'image/png');
        res.setHeader('Content-Length', String(png.length));
        res.end(png);
      } catch (err) {
        sendHttpError(res, err, 'sample route');
      }
    },
  );
  return router;
}
