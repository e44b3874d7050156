/**
 * PROJECTION jobs (requestProjection): the run's embedding projector, computed on demand from its
 * stored model, its stored test images (`test-samples.bin`) and the labels of its latest
 * evaluation (the predictions export), and stored as the run's `projector.json` artifact (what the training callback
 * stores). For runs trained before the projector, or logged from Python with a TF.js model.
 */
import { computeProjectorFiles } from '../../explain/projector';
import { TypedDocumentString } from '../../tracking/gql/graphql';
import type { GraphqlClient } from '../../tracking/graphql-client';
import { RunTracker } from '../../tracking/run-tracker';
import type { JobHandler } from './types';

/** The run's stored test images (their shape and the bytes' URL). */
export const PROJECTION_RUN_QUERY = new TypedDocumentString<
  {
    run: {
      id: string;
      samples: { count: number; height: number; width: number; channels: number } | null;
      testSamples: { url: string } | null;
    } | null;
  },
  { id: string }
>(`
  query ProjectionRun($id: ID!) {
    run(id: $id) {
      id
      samples {
        count
        height
        width
        channels
      }
      testSamples: artifact(name: "test-samples.bin") {
        url
      }
    }
  }
`);

/** What the projector projects of a stored run. */
export interface StoredSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  shape: [number, number, number];
}

// The latest evaluation's labels by sample index, from the predictions export (one streamed
// request, where GraphQL pages would be many under the API's cost limit).
async function evaluationLabels(
  client: GraphqlClient,
  runId: string,
): Promise<Map<number, number>> {
  const res = await client.http(`/runs/${encodeURIComponent(runId)}/export/predictions.json`, {
    method: 'GET',
  });
  if (res.status === 404)
    throw new Error(`run ${runId} has no evaluation: the projector needs the test labels`);
  if (!res.ok) throw new Error(`reading the predictions of run ${runId}: HTTP ${res.status}`);
  const body = (await res.json()) as { predictions?: { index: number; label: number }[] };
  return new Map((body.predictions ?? []).map((p) => [p.index, p.label]));
}

/**
 * The run's stored test images and their labels (the latest evaluation's), cut to the leading
 * samples that have both.
 * @throws naming what the run lacks (stored images, an evaluation)
 */
export async function storedSplit(client: GraphqlClient, runId: string): Promise<StoredSplit> {
  const { run } = await client.request(PROJECTION_RUN_QUERY, { id: runId });
  if (!run) throw new Error(`run ${runId} not found`);
  const { samples, testSamples } = run;
  if (!samples || !testSamples)
    throw new Error(
      `run ${runId} stored no test images (test-samples.bin): the projector needs the images its model saw`,
    );
  const labels = await evaluationLabels(client, runId);
  const res = await client.http(testSamples.url, { method: 'GET' });
  if (!res.ok) throw new Error(`downloading test-samples.bin of run ${runId}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const shape: [number, number, number] = [samples.height, samples.width, samples.channels];
  const pixels = shape[0] * shape[1] * shape[2];
  let count = Math.min(samples.count, Math.floor(bytes.length / pixels));
  // Samples are stored from index 0: keep the leading ones that have a label.
  for (let i = 0; i < count; i++)
    if (!labels.has(i)) {
      count = i;
      break;
    }
  if (count === 0) throw new Error(`run ${runId}: no stored test image has a label`);
  return {
    images: bytes.subarray(0, count * pixels),
    labels: Uint8Array.from({ length: count }, (_, i) => labels.get(i) ?? 0),
    count,
    shape,
  };
}

/** The PROJECTION handler: computes and stores `projector.json`; its result names the artifact. */
export const projectionHandler: JobHandler = {
  kind: 'PROJECTION',
  async handle(job, context) {
    const loaded = await context.model(job.runId);
    const split = await storedSplit(context.client, job.runId);
    context.log(`projecting ${split.count} test samples of run ${job.runId}`);
    const { files, index } = await computeProjectorFiles({
      model: loaded.model,
      ...split,
      classNames: loaded.classNames,
      // The training run's seed is not known here: a fixed one keeps the layout reproducible.
      seed: 42,
    });
    const tracker = await RunTracker.attach({
      apiUrl: context.client.baseUrl,
      runId: job.runId,
      client: context.client,
    });
    for (const f of files)
      await tracker.uploadArtifact(f.name, f.data, {
        kind: f.kind,
        mimeType: f.mimeType,
        metadata: f.metadata,
      });
    return {
      result: {
        artifacts: files.map((f) => f.name),
        count: index.count,
        methods: index.layouts.map((l) => l.method),
        skipped: index.skipped,
        seconds: index.timings.total ?? 0,
      },
      summary: `${index.count} points, ${index.layouts.map((l) => l.method).join(', ')}`,
    };
  },
};
