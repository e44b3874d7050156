// HTTP routes of on-demand explanations (an image upload is a poor fit for GraphQL):
//   POST /runs/:runId/explain?method=&methods=&classIndex=&layer=&topK=&activationsLayer=&wait=
//        body: raw image/png or image/jpeg, or multipart/form-data with an `image` file (and the
//        parameters as fields). 200 { job, cached } when done (from the cache or within `wait`
//        seconds), 202 { job, pollUrl } + Location while a worker computes it, 422 when it failed.
//   GET  /explain-jobs/:id          200 { job } in any state
//   GET  /explain-jobs/:id/image    the uploaded image (what the worker downloads)
// Errors are JSON { code, message, error: { code, message } } like the artifact routes.
import { pipeToResponse } from '../artifact/artifact.routes';
import { Router, type Request, type Response } from 'express';
import { guardOf } from '../auth/http-guard';
import { HttpProblem, sendHttpError, sendJsonError } from '../common/http-errors';
import { badInput } from '../common/errors';
import { setDownloadHeaders } from '../common/download-headers';
import { parseExplainParams } from './explain-image';
import { ExplanationJobStatus, type ExplainJobService } from './explain-job.service';

/** Longest long-poll a client may ask for, in seconds. */
export const MAX_WAIT_S = 60;

/**
 * Reads the whole body, refusing it with 413 past `limit` bytes (declared by Content-Length or
 * counted while streaming).
 */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpProblem(
      413,
      'IMAGE_TOO_LARGE',
      `The upload is larger than the limit of ${limit} bytes (MAX_EXPLAIN_IMAGE_BYTES)`,
      { limit },
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Image bytes and form fields of a multipart body (parsed by the platform's fetch Response). */
async function readMultipart(
  body: Buffer,
  contentType: string,
): Promise<{ image: Uint8Array; fields: Record<string, string> }> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch (err) {
    throw badInput(`The multipart body is malformed: ${(err as Error).message}`, {
      field: 'image',
    });
  }
  const fields: Record<string, string> = {};
  let image: Uint8Array | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (!image && (name === 'image' || name === 'file'))
      image = new Uint8Array(await value.arrayBuffer());
  }
  if (!image) throw badInput('The multipart body has no "image" file field', { field: 'image' });
  return { image, fields };
}

function query(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v;
  return out;
}

function waitMs(raw: unknown, defaultS: number): number {
  if (raw === undefined || raw === '') return defaultS * 1000;
  const s = typeof raw === 'string' ? Number(raw) : NaN;
  if (!(s >= 0 && s <= MAX_WAIT_S))
    throw badInput(`wait must be a number of seconds from 0 to ${MAX_WAIT_S}, got ${String(raw)}`, {
      field: 'wait',
    });
  return s * 1000;
}

/** Express router of the explain routes. */
export function explainJobRoutes(jobs: ExplainJobService): Router {
  const router = Router();

  router.post('/runs/:runId/explain', async (req: Request<{ runId: string }>, res: Response) => {
    try {
      // Explaining stores the upload and spends a worker's time: editors of the run's project.
      await guardOf(res).requireRun(req.params.runId, 'editor');
      const contentType = (String(req.headers['content-type'] ?? '').split(';')[0] ?? '')
        .trim()
        .toLowerCase();
      const multipart = contentType === 'multipart/form-data';
      if (!multipart && contentType !== 'image/png' && contentType !== 'image/jpeg')
        throw new HttpProblem(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Send the image as the body with Content-Type image/png or image/jpeg, or as the "image" field of multipart/form-data (got ${contentType || 'no Content-Type'})`,
        );
      // Cheap checks before the body is read: parameters, run, stored model.
      const fromQuery = query(req);
      if (!multipart) parseExplainParams(fromQuery);
      const model = await jobs.modelOf(req.params.runId);
      const body = await readBody(req, jobs.options.maxImageBytes);
      let image: Uint8Array = body;
      let raw = fromQuery;
      if (multipart) {
        const parsed = await readMultipart(body, String(req.headers['content-type']));
        image = parsed.image;
        raw = { ...fromQuery, ...parsed.fields };
      }
      const params = parseExplainParams(raw);
      const wait = waitMs(raw.wait, jobs.options.waitS);
      const { job, cached } = await jobs.submit(req.params.runId, model, image, params, wait);
      if (job.status === ExplanationJobStatus.DONE) {
        res.status(200).json({ job, cached });
      } else if (job.status === ExplanationJobStatus.FAILED) {
        sendJsonError(res, 422, 'EXPLANATION_FAILED', job.error ?? 'explanation failed', { job });
      } else {
        res.setHeader('Location', job.url);
        res.status(202).json({ job, cached: false, pollUrl: job.url });
      }
    } catch (err) {
      // The client may still be sending a large body: do not keep the connection.
      if (!req.complete) res.setHeader('Connection', 'close');
      sendHttpError(res, err, 'explain route');
    }
  });

  router.get('/explain-jobs/:id', async (req: Request<{ id: string }>, res: Response) => {
    try {
      await guardOf(res).requireExplanationJob(req.params.id, 'viewer');
      const wait = waitMs(req.query.wait, 0);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ job: await jobs.waitFor(req.params.id, wait) });
    } catch (err) {
      sendHttpError(res, err, 'explain route');
    }
  });

  router.get('/explain-jobs/:id/image', async (req: Request<{ id: string }>, res: Response) => {
    try {
      await guardOf(res).requireExplanationJob(req.params.id, 'viewer');
      const { stream, mimeType, bytes } = await jobs.image(req.params.id);
      setDownloadHeaders(res, mimeType, `explain-${req.params.id}`);
      res.setHeader('Content-Length', String(bytes));
      // Content-addressed: the bytes behind a job never change.
      // private: the image is only for callers who may read the run.
      res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
      pipeToResponse(stream, res);
    } catch (err) {
      sendHttpError(res, err, 'explain route');
    }
  });

  return router;
}
