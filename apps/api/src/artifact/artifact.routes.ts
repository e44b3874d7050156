// HTTP routes for artifact bytes (GraphQL is a poor fit for large binary bodies).
//   PUT /runs/:runId/artifacts/:name?kind=...&metadata=<json>   raw body, Content-Type = mime type
//   GET /runs/:runId/artifacts/:name                            bytes, ETag = "sha256", 304
import fs from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { guardOf } from '../auth/http-guard';
import { sendHttpError } from '../common/http-errors';
import { setDownloadHeaders } from '../common/download-headers';
import type { ArtifactService } from './artifact.service';

/** True if an If-None-Match header matches the ETag. */
function matchesEtag(header: string | undefined, sha256: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .some((tag) => tag.trim().replace(/^W\//, '').replace(/"/g, '') === sha256);
}

/** Express router serving artifact uploads and downloads. */
export function artifactRoutes(artifacts: ArtifactService): Router {
  const router = Router();

  router.put(
    '/runs/:runId/artifacts/:name',
    async (req: Request<{ runId: string; name: string }>, res: Response) => {
      try {
        await guardOf(res).requireRun(req.params.runId, 'editor');
        const length = req.headers['content-length'];
        const { artifact, created } = await artifacts.upload({
          runId: req.params.runId,
          name: req.params.name,
          kind: typeof req.query.kind === 'string' ? req.query.kind : null,
          metadata: typeof req.query.metadata === 'string' ? req.query.metadata : null,
          mimeType: req.headers['content-type'] ?? null,
          contentLength: length !== undefined ? Number(length) : null,
          body: req,
        });
        res.setHeader('ETag', `"${artifact.sha256}"`);
        res.status(201).json({ ...artifact, created });
      } catch (err) {
        // Drain nothing more: the client may still be sending a huge body.
        if (!req.complete) req.unpipe();
        sendHttpError(res, err, 'artifact route');
      }
    },
  );

  router.get(
    '/runs/:runId/artifacts/:name',
    async (req: Request<{ runId: string; name: string }>, res: Response) => {
      try {
        await guardOf(res).requireRun(req.params.runId, 'viewer');
        const { artifact, filePath } = await artifacts.locate(req.params.runId, req.params.name);
        res.setHeader('ETag', `"${artifact.sha256}"`);
        // The same name may be re-uploaded with new bytes: always revalidate (cheap with the ETag).
        res.setHeader('Cache-Control', 'no-cache');
        if (matchesEtag(req.headers['if-none-match'], artifact.sha256)) {
          res.status(304).end();
          return;
        }
        // Passive types inline, anything else (HTML, SVG, ...) as an octet-stream download; sandboxed.
        setDownloadHeaders(res, artifact.mimeType, artifact.name);
        res.setHeader('Content-Length', String(artifact.bytes));
        const stream = fs.createReadStream(filePath);
        stream.on('error', (err) => {
          if (!res.headersSent) sendHttpError(res, err, 'artifact route');
          else res.destroy(err);
        });
        stream.pipe(res);
      } catch (err) {
        sendHttpError(res, err, 'artifact route');
      }
    },
  );

  return router;
}
