// HTTP routes for artifact bytes (GraphQL is a poor fit for large binary bodies).
//   PUT /runs/:runId/artifacts/:name?kind=...&metadata=<json>[&attempt=N]   raw body, Content-Type = mime type
//   GET /runs/:runId/artifacts/:name                            bytes, ETag = "sha256", 304,
//       one `Range: bytes=a-b` (206), or a 302 to a presigned URL with ARTIFACTS_PRESIGN=1
// The bytes come from the artifact store (local folder or object storage), always after the
// permission check.
import type { Readable } from 'node:stream';
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

/** A header value as one string (null when absent). */
function headerText(value: string | number | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * The one byte range a GET asks for (express's range parser), null for the whole body (no
 * Range header, a malformed one, or several ranges: served whole, as RFC 9110 allows).
 */
function byteRange(
  req: Request,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!req.headers.range) return null;
  const ranges = req.range(size, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === -2 || ranges === undefined || ranges.type !== 'bytes' || ranges.length !== 1)
    return null;
  const [first] = ranges;
  return first ? { start: first.start, end: first.end } : null;
}

/** Streams stored bytes into the response; a store error mid-body ends the connection. */
export function pipeToResponse(stream: Readable, res: Response): void {
  stream.on('error', (err) => {
    if (!res.headersSent) sendHttpError(res, err, 'artifact route');
    else res.destroy(err);
  });
  // A client that goes away stops the read (and frees an object-storage connection).
  res.on('close', () => stream.destroy());
  stream.pipe(res);
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
          attempt: req.query.attempt === undefined ? null : String(req.query.attempt),
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
        const { artifact } = await artifacts.locate(req.params.runId, req.params.name);
        res.setHeader('ETag', `"${artifact.sha256}"`);
        // The same name may be re-uploaded with new bytes: always revalidate (cheap with the ETag).
        res.setHeader('Cache-Control', 'no-cache');
        if (matchesEtag(req.headers['if-none-match'], artifact.sha256)) {
          res.status(304).end();
          return;
        }
        // Passive types inline, anything else (HTML, SVG, ...) as an octet-stream download; sandboxed.
        const contentType = setDownloadHeaders(res, artifact.mimeType, artifact.name);
        const presigned = await artifacts.presignedUrl(artifact.sha256, {
          contentType,
          contentDisposition: headerText(res.getHeader('Content-Disposition')),
        });
        if (presigned) {
          // The URL expires: the redirect itself must not be cached.
          res.setHeader('Cache-Control', 'no-store');
          res.redirect(302, presigned);
          return;
        }
        res.setHeader('Accept-Ranges', 'bytes');
        const range = byteRange(req, artifact.bytes);
        if (range === 'unsatisfiable') {
          res.setHeader('Content-Range', `bytes */${artifact.bytes}`);
          res.status(416).end();
          return;
        }
        const stream = await artifacts.open(artifact.sha256, range ?? undefined);
        if (range) {
          res.status(206);
          res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${artifact.bytes}`);
          res.setHeader('Content-Length', String(range.end - range.start + 1));
        } else res.setHeader('Content-Length', String(artifact.bytes));
        pipeToResponse(stream, res);
      } catch (err) {
        sendHttpError(res, err, 'artifact route');
      }
    },
  );

  return router;
}
