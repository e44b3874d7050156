/** The explanation pack of a run stored earlier: its model over HTTP, its test split from disk. */
import { existsSync } from 'node:fs';
import { selectBackend } from '../../backend/select-backend';
import type { ImageSplit } from '../../data/dataset';
import { loadFashionMnist } from '../../data/fashion-mnist';
import { predictSplit } from '../../evaluation/predict-split';
import { loadModelFromApi } from '../../tracking/api-model';
import { recordedDatasetInfo } from '../../tracking/dataset-info';
import { graphql } from '../../tracking/gql';
import type { StoredRunQuery } from '../../tracking/gql/graphql';
import { createGraphqlClient, type GraphqlClient } from '../../tracking/graphql-client';
import { RunTracker } from '../../tracking/run-tracker';
import { logExplanationPack, type ExplanationPackResult } from './log';
import type { ExplanationPackOptions } from './options';
import { EXPLANATION_INDEX_NAME } from './types';

/** Options of {@link explainStoredRun}. */
export interface ExplainStoredRunOptions {
  /** API origin, e.g. `http://localhost:4000`. */
  apiUrl: string;
  /** API key (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Id of a run with a stored model (`model.json` artifact). */
  runId: string;
  /** Fashion-MNIST directory (default: the run's recorded source when it exists, else the subset). */
  dataDir?: string;
  /** Backend to force. */
  backend?: string;
  options?: ExplanationPackOptions;
}

const STORED_RUN = graphql(`
  query StoredRun($id: ID!) {
    run(id: $id) {
      id
      status
      datasetInfo
      modelJson: artifact(name: "model.json") {
        url
      }
      # The value of EXPLANATION_INDEX_NAME: a typed document cannot interpolate a constant.
      packIndex: artifact(name: "explain.index.json") {
        name
      }
    }
  }
`);

/** What the API tells of the run. */
type StoredRun = NonNullable<StoredRunQuery['run']>;

/**
 * Computes the explanation pack of a stored run (`npm run explain -- pack --run ID`): loads its
 * model over HTTP from the `model.json` artifact, predicts the test split again and stores the
 * pack with the run. A run still QUEUED or RUNNING gets an earlier pack replaced file by file;
 * a finished run only gains a pack it does not have yet (its artifacts are immutable).
 */
export async function explainStoredRun(
  options: ExplainStoredRunOptions,
): Promise<ExplanationPackResult | null> {
  const client = createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
  const { run, modelUrl } = await packableRun(client, options.runId);
  const info = recordedDatasetInfo(run.datasetInfo);
  const recorded = info.source;
  const dataDir =
    options.dataDir ??
    (recorded && recorded.startsWith('/') && existsSync(recorded) ? recorded : undefined);
  await selectBackend({ requested: options.backend });
  const dataset = await loadFashionMnist({ dir: dataDir });
  // The run may have been evaluated on the first N test images only (--test-limit).
  const n = Math.min(dataset.test.count, info.testCount ?? dataset.test.count);
  const shape: [number, number, number] = [dataset.height, dataset.width, dataset.channels];
  const pixels = shape[0] * shape[1] * shape[2];
  const split: ImageSplit = {
    images: dataset.test.images.subarray(0, n * pixels),
    labels: dataset.test.labels.subarray(0, n),
    count: n,
  };
  const model = await loadModelFromApi(client, modelUrl);
  try {
    const out = model.outputs[0]?.shape[1] ?? dataset.classNames.length;
    const probabilities = predictSplit(model, split, { shape, numClasses: out });
    const tracker = await RunTracker.attach({ apiUrl: options.apiUrl, runId: run.id, client });
    return await logExplanationPack(tracker, {
      model,
      split,
      shape,
      probabilities,
      classNames: dataset.classNames,
      options: options.options,
    });
  } finally {
    model.dispose();
  }
}

/**
 * The run and the URL of its model, checked before any work: it exists, has a model, can still
 * take a pack, and was trained on a dataset this command loads.
 */
async function packableRun(
  client: GraphqlClient,
  runId: string,
): Promise<{ run: StoredRun; modelUrl: string }> {
  const { run } = await client.request(STORED_RUN, { id: runId });
  if (!run) throw new Error(`run ${runId} not found at ${client.baseUrl}`);
  const { modelJson } = run;
  if (!modelJson) throw new Error(`run ${run.id} has no stored model (no model.json artifact)`);
  // The API never replaces an artifact of a finished run: say so before any work is done.
  const finished =
    run.status === 'COMPLETED' || run.status === 'FAILED' || run.status === 'CANCELLED';
  if (finished && run.packIndex)
    throw new Error(
      `run ${run.id} is ${run.status} and already has an explanation pack (${EXPLANATION_INDEX_NAME}); the artifacts of a finished run cannot be replaced`,
    );
  const datasetName = recordedDatasetInfo(run.datasetInfo).name ?? 'fashion-mnist';
  if (datasetName !== 'fashion-mnist')
    throw new Error(`run ${run.id} was trained on "${datasetName}", which pack does not load yet`);
  return { run, modelUrl: modelJson.url };
}
