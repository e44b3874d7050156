// HTTP download routes for a run's data (see artifact.routes.ts for the error style):
//   GET /runs/:runId/export/metrics.csv | metrics.json     every point: name, step, value, time
//   GET /runs/:runId/export/evaluation.json                latest evaluation with its report
//   GET /runs/:runId/export/predictions.csv | .json        latest evaluation's samples
// Bodies are streamed page by page with backpressure; errors before the first byte are JSON
// { code, message } (404 RUN_NOT_FOUND / EVALUATION_NOT_FOUND).
import { Router, type Request, type Response } from 'express';
import { guardOf } from '../auth/http-guard';
import { sendHttpError } from '../common/http-errors';
import { setSandboxHeaders } from '../common/download-headers';
import type { ExportDocument, ExportService } from './export.service';

/** Writes the document's chunks, waiting for 'drain' when the socket buffer is full. */
async function stream(res: Response, doc: ExportDocument): Promise<void> {
  res.status(200);
  setSandboxHeaders(res);
  res.setHeader('Content-Type', doc.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${doc.filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for await (const chunk of doc.chunks) {
    if (closed) return; // client went away: stop reading pages
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

/** Express router serving the export downloads. */
export function exportRoutes(exports: ExportService): Router {
  const router = Router();
  const handle =
    (make: (runId: string) => Promise<ExportDocument>) =>
    async (req: Request<{ runId: string }>, res: Response): Promise<void> => {
      let doc: ExportDocument;
      try {
        await guardOf(res).requireRun(req.params.runId, 'viewer');
        doc = await make(req.params.runId);
      } catch (err) {
        sendHttpError(res, err, 'export route');
        return;
      }
      try {
        await stream(res, doc);
      } catch (err) {
        // Headers (and part of the body) may be out already: cut the connection so the client sees a truncated download.
        if (!res.headersSent) sendHttpError(res, err, 'export route');
        else {
          console.error('[api] export stream failed', err);
          res.destroy(err as Error);
        }
      }
    };
  router.get(
    '/runs/:runId/export/metrics.csv',
    handle((id) => exports.metrics(id, 'csv')),
  );
  router.get(
    '/runs/:runId/export/metrics.json',
    handle((id) => exports.metrics(id, 'json')),
  );
  router.get(
    '/runs/:runId/export/evaluation.json',
    handle((id) => exports.evaluation(id)),
  );
  router.get(
    '/runs/:runId/export/predictions.csv',
    handle((id) => exports.predictions(id, 'csv')),
  );
  router.get(
    '/runs/:runId/export/predictions.json',
    handle((id) => exports.predictions(id, 'json')),
  );
  return router;
}
