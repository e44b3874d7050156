/**
 * IMAGE jobs: an uploaded image or a stored sample, explained by the run's model (top-k, CAM,
 * the asked methods with their faithfulness, one layer's activations), with the steps that
 * fitted the image to the model input.
 */
import { z } from 'zod';
import { CAM_METHODS, EXPLAIN_METHODS, type ExplainMethodName } from '../explain-methods';
import { computeExplanation, imageForModel, type ExplainJobParams } from '../explain-image';
import type { ClaimedJob, JobHandler } from './types';

/** The job's parameters as the API stores them (JSON): checked before any work. */
const jobParamsSchema = z.object({
  method: z.enum(CAM_METHODS),
  methods: z
    .array(z.enum(EXPLAIN_METHODS as [ExplainMethodName, ...ExplainMethodName[]]))
    .optional(),
  classIndex: z.number().int().nullable(),
  layer: z.string().nullable(),
  topK: z.number().int().positive(),
  activationsLayer: z.string().nullable(),
}) satisfies z.ZodType<ExplainJobParams>;

/** The parameters of a claimed job; a shape the worker does not know fails the job, saying why. */
export function jobParams(job: Pick<ClaimedJob, 'id' | 'params'>): ExplainJobParams {
  const parsed = jobParamsSchema.safeParse(job.params);
  if (!parsed.success)
    throw new Error(
      `job ${job.id} has parameters this worker does not understand: ${parsed.error.message}`,
    );
  return parsed.data;
}

/** Largest result the API stores (its LIMITS.explanationResult), in bytes of JSON. */
export const MAX_RESULT_BYTES = 48 * 1024 * 1024;

/**
 * Checks a result fits what the API stores, so an oversized one fails with a reason a person
 * can act on rather than the API's generic refusal.
 * @throws naming the size, the limit and what to ask instead
 */
export function checkResultSize(result: unknown, maxBytes = MAX_RESULT_BYTES): void {
  const bytes = Buffer.byteLength(JSON.stringify(result));
  if (bytes > maxBytes)
    throw new Error(
      `the explanation is ${(bytes / 2 ** 20).toFixed(1)} MiB of JSON, over the ${(maxBytes / 2 ** 20).toFixed(0)} MiB the API stores: ask for fewer methods`,
    );
}

/** The IMAGE handler. */
export const imageHandler: JobHandler = {
  kind: 'IMAGE',
  async handle(job, context) {
    const params = jobParams(job);
    const loaded = await context.model(job.runId);
    const res = await context.client.http(`/explain-jobs/${encodeURIComponent(job.id)}/image`, {
      method: 'GET',
    });
    if (!res.ok) throw new Error(`downloading the image of job ${job.id}: HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { image, conversion } = await imageForModel(loaded.model, bytes);
    try {
      const result = await computeExplanation(loaded.model, image, params, loaded.classNames);
      const methods = result.methods.map((m) => m.method).join(', ');
      checkResultSize(result);
      return {
        result: { ...result, conversion },
        summary: `${params.method}${methods ? `; ${methods}` : ''}`,
      };
    } finally {
      image.dispose();
    }
  },
};
