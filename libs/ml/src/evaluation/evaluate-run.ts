import { existsSync } from 'node:fs';
import { selectBackend, type BackendSelection } from '../backend/select-backend';
import { loadFashionMnist } from '../data/fashion-mnist';
import { evaluateClassification, type ClassificationReport } from '@convscope/metrics';
import { createGraphqlClient } from '../tracking/graphql-client';
import { loadModelFromApi } from '../tracking/api-model';
import { recordedDatasetInfo } from '../tracking/dataset-info';
import { graphql } from '../tracking/gql';
import { RunTracker } from '../tracking/run-tracker';
import { predictSplit } from './predict-split';

/** Options of {@link evaluateStoredRun}. */
export interface EvaluateStoredRunOptions {
  /** API origin, e.g. `http://localhost:4000`. */
  apiUrl: string;
  /** API key (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Id of a run with a stored model (`model.json` artifact). */
  runId: string;
  /** Directory with the Fashion-MNIST IDX files; default: the run's recorded source when it
   *  still exists, else the committed subset. */
  dataDir?: string;
  /** Backend to force (default: the best available). */
  backend?: string;
  /** Store at most this many of the evaluated images (default: all that fit in 8 MiB; 0: none). */
  maxSampleImages?: number;
}

/** What {@link evaluateStoredRun} returns. */
export interface EvaluateStoredRunResult {
  evaluationId: string;
  report: ClassificationReport;
  backend: BackendSelection;
  dataSource: string;
}

const RUN_FOR_EVALUATION = graphql(`
  query RunForEvaluation($id: ID!) {
    run(id: $id) {
      id
      status
      datasetInfo
      modelJson: artifact(name: "model.json") {
        url
      }
      testSamples: artifact(name: "test-samples.bin") {
        name
      }
    }
  }
`);

/**
 * Name of the samples artifact a later evaluation of `run` stores: `<split>-samples.bin`, or
 * `<split>-samples-<UTC timestamp>.bin` when the run is finished and already has images (the
 * API keeps a finished run's artifacts and serves the newest samples of a split).
 */
export function samplesNameFor(
  run: { status: string; artifacts: { name: string }[] },
  split: string,
  now = new Date(),
): string {
  const base = `${split}-samples.bin`;
  const finished =
    run.status === 'COMPLETED' || run.status === 'FAILED' || run.status === 'CANCELLED';
  if (!finished || !run.artifacts.some((a) => a.name === base)) return base;
  return `${split}-samples-${now.toISOString().replace(/[^0-9]/g, '')}.bin`;
}

/**
 * Evaluates a run's stored model again on the test split and stores the result as a new
 * evaluation of the same run (`npm run evaluate -- --run ID`). The model is loaded over HTTP
 * from the run's `model.json` artifact, exactly as any client would load it.
 */
export async function evaluateStoredRun(
  options: EvaluateStoredRunOptions,
): Promise<EvaluateStoredRunResult> {
  const client = createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
  const { run } = await client.request(RUN_FOR_EVALUATION, { id: options.runId });
  if (!run) throw new Error(`run ${options.runId} not found at ${client.baseUrl}`);
  const { modelJson } = run;
  if (!modelJson) throw new Error(`run ${run.id} has no stored model (no model.json artifact)`);
  const info = recordedDatasetInfo(run.datasetInfo);
  const datasetName = info.name ?? 'fashion-mnist';
  if (datasetName !== 'fashion-mnist')
    throw new Error(
      `run ${run.id} was trained on "${datasetName}", which evaluate does not load yet`,
    );
  const recorded = info.source;
  const dataDir =
    options.dataDir ??
    (recorded && recorded.startsWith('/') && existsSync(recorded) ? recorded : undefined);

  const backend = await selectBackend({ requested: options.backend });
  const dataset = await loadFashionMnist({ dir: dataDir });
  const model = await loadModelFromApi(client, modelJson.url);
  try {
    const shape: [number, number, number] = [dataset.height, dataset.width, dataset.channels];
    const numClasses = dataset.classNames.length;
    const probabilities = predictSplit(model, dataset.test, { shape, numClasses });
    const labels = Int32Array.from(dataset.test.labels);
    const report = evaluateClassification({
      labels,
      probabilities,
      numClasses,
      classNames: dataset.classNames,
    });
    const tracker = await RunTracker.attach({ apiUrl: options.apiUrl, runId: run.id, client });
    // The images become the run's newest samples, so they match this (the newest) evaluation.
    // A finished run's artifacts are never replaced: its images then go under a new name.
    await tracker.logSamples({
      name: samplesNameFor(
        { status: run.status, artifacts: run.testSamples ? [run.testSamples] : [] },
        'test',
      ),
      split: 'test',
      images: dataset.test.images,
      count: dataset.test.count,
      shape,
      maxSamples: options.maxSampleImages,
    });
    const stored = await tracker.logEvaluation({
      split: 'test',
      labels,
      probabilities,
      numClasses,
      classNames: dataset.classNames,
      report,
    });
    return { evaluationId: stored.id, report, backend, dataSource: dataset.source };
  } finally {
    model.dispose();
  }
}
