/**
 * One training run end to end, composed of small steps: the data and model, the tracked run,
 * the training loop with one callback per concern (see ./callbacks), and the result.
 */
import type * as tf from '@tensorflow/tfjs';
import { version as tfVersion } from '@tensorflow/tfjs';
import { selectBackend, type BackendSelection } from '../backend/select-backend';
import { compiledOptimizer } from '../backend/tf-internals';
import {
  FASHION_MNIST_FILES,
  FASHION_MNIST_SUBSET_DIR,
  loadFashionMnist,
} from '../data/fashion-mnist';
import { buildModel, summarizeModel } from '../models/build-model';
import { getPreset } from '../models/presets';
import {
  chooseTrainer,
  dataParallelMode,
  dataParallelUnsupported,
  type TrainerChoice,
} from './choose-trainer';
import { captureReproducibility, type Reproducibility } from '../tracking/reproducibility';
import { RunTracker } from '../tracking/run-tracker';
import type { TrainingPhase } from '../transfer/phases';
import { augmentationGridCallback } from './callbacks/augmentation-grid';
import { badFilesCallback } from './callbacks/bad-files';
import { checkpointCallback } from './callbacks/checkpoint';
import { explanationPackCallback } from './callbacks/explanation-pack';
import { modelExportCallback } from './callbacks/model-export';
import { progressCallback } from './callbacks/progress';
import { systemMetricsCallback } from './callbacks/system-metrics';
import { snapshotsCallback } from './callbacks/snapshots';
import { layerStatsCallback } from './callbacks/layer-stats';
import { projectorCallback } from './callbacks/projector';
import { testResultsCallback, type TestResultsCallback } from './callbacks/test-results';
import { trackingCallback } from './callbacks/tracking';
import { uncertaintyCallback } from './callbacks/uncertainty';
import { isStreamed, prepareExperimentData, type ExperimentData } from './experiment-data';
import type { TrainExperimentOptions, TrainExperimentResult } from './experiment-options';
import {
  describeRun,
  resolveSettings,
  type RunDescription,
  type RunSettings,
} from './run-metadata';
import { resolveRunConfig } from './resolved-config';
import { evaluateTestSplit } from './test-evaluation';
import type { TrainingCallback } from './training-callback';
import { runTrainingLoop, type TrainingLoopResult } from './training-loop';

export { BAD_FILES_ARTIFACT } from './callbacks/bad-files';
export type {
  CustomModel,
  ModelContext,
  StreamedDataset,
  TrainExperimentOptions,
  TrainExperimentResult,
} from './experiment-options';

/**
 * Runs one experiment end to end: picks the backend, loads the data, builds the preset's model,
 * trains it with early stopping, evaluates on the test split, and (with `apiUrl`) logs the run,
 * its metrics and its model artifacts to the API. A failure marks the run FAILED and rethrows.
 */
export async function trainExperiment(
  options: TrainExperimentOptions,
): Promise<TrainExperimentResult> {
  const started = performance.now();
  const preset = typeof options.preset === 'string' ? getPreset(options.preset) : options.preset;
  const selected = await selectBackend({ requested: options.backend });
  const full = options.dataset ?? (await loadFashionMnist({ dir: options.dataDir }));
  const settings = resolveSettings(options, preset);
  const data = prepareExperimentData(full, {
    seed: settings.seed,
    validationSplit: settings.validationSplit,
    trainLimit: options.trainLimit,
    testLimit: options.testLimit,
  });
  const columns = outputColumns(settings, data);
  const { custom, model, phases } = await runModel(options, settings, data);
  // Before the tracked run exists: its backend reason records the choice and its figures.
  const { choice, backend } = await runTrainer(options, {
    selected,
    settings,
    data,
    columns,
    custom,
    phases,
    model,
  });
  const resolvedConfig = runConfigOf(options, settings);
  const description = describeRun({
    settings,
    data,
    phases,
    custom: custom !== undefined,
    customHyperparameters: custom?.hyperparameters,
    options,
    resolvedConfig,
  });
  let tracker: RunTracker | undefined;
  let callbacks: ExperimentCallbacks | undefined;
  try {
    tracker = options.apiUrl
      ? await createTracker(options, {
          apiUrl: options.apiUrl,
          description,
          model,
          backend,
          resolvedConfig,
        })
      : undefined;
    callbacks = new ExperimentCallbacks(options, {
      tracker,
      backend,
      data,
      description,
      seed: settings.seed,
    });
    const loop = await runTrainingLoop(model, {
      ...fitArgs(settings, data, options),
      phases,
      encoding: columns === 1 ? 'binary' : 'one-hot',
      trainer: choice.trainer,
      callbacks: callbacks.list,
      evaluate: (m) =>
        evaluateTestSplit(m, {
          split: data.test,
          shape: data.shape,
          classNames: full.classNames,
          columns,
        }),
    });
    await tracker?.finish();
    return experimentResult(loop, { tracker, backend, started, callbacks });
  } catch (err) {
    await abandonRun(options, tracker, err);
    throw err;
  } finally {
    callbacks?.stop();
    tracker?.detach();
    disposeModel(model);
    await choice.trainer?.dispose();
  }
}

/**
 * After a failure: marks the run FAILED, or (failRunOnError false: a queue worker, whose queue
 * decides) only sends the points logged so far.
 */
async function abandonRun(
  options: TrainExperimentOptions,
  tracker: RunTracker | undefined,
  err: unknown,
): Promise<void> {
  if (options.failRunOnError === false) await tracker?.flush().catch(() => undefined);
  else await tracker?.fail(err).catch(() => undefined);
}

/** The run's model: the custom one of `createModel`, else the preset's; and its phases. */
async function runModel(
  options: TrainExperimentOptions,
  settings: RunSettings,
  data: ExperimentData,
) {
  const custom = options.createModel
    ? await options.createModel({
        numClasses: data.full.classNames.length,
        shape: data.shape,
        seed: settings.seed,
        learningRate: settings.learningRate,
        trainSize: data.train.count,
      })
    : undefined;
  const model = custom?.model ?? buildModel(settings.preset, modelArgs(settings, data));
  const phases: TrainingPhase[] = custom?.phases ?? [{ name: 'train', epochs: settings.epochs }];
  return { custom, model, phases };
}

/**
 * One thread or data parallelism (train/choose-trainer.ts), and the backend selection with the
 * choice added to its reason.
 */
async function runTrainer(
  options: TrainExperimentOptions,
  run: {
    selected: BackendSelection;
    settings: RunSettings;
    data: ExperimentData;
    columns: number;
    custom: unknown;
    phases: TrainingPhase[];
    /** Disposed when choosing fails (the caller's finally is not reached yet). */
    model: tf.LayersModel;
  },
): Promise<{ choice: TrainerChoice; backend: BackendSelection }> {
  const { selected, settings, data } = run;
  const choice = await chooseTrainer({
    mode: dataParallelMode(options.dataParallel),
    backend: selected,
    preset: settings.preset,
    model: modelArgs(settings, data),
    unsupported: dataParallelUnsupported({
      preset: settings.preset,
      customModel: run.custom !== undefined,
      augmentation: options.augmentation !== undefined,
      phases: run.phases.length,
    }),
    train: data.train,
    batchSize: settings.batchSize,
    steps: settings.epochs * Math.ceil(data.train.count / settings.batchSize),
    encoding: run.columns === 1 ? 'binary' : 'one-hot',
  }).catch((err: unknown) => {
    disposeModel(run.model);
    throw err;
  });
  const backend = choice.note
    ? { ...selected, reason: `${selected.reason}; ${choice.note}` }
    : selected;
  return { choice, backend };
}

/** The run's resolved config: the settings after defaults, and the config's data and transfer. */
function runConfigOf(options: TrainExperimentOptions, settings: RunSettings) {
  return resolveRunConfig({
    preset: settings.preset,
    training: {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
      patience: settings.patience,
      validationSplit: settings.validationSplit,
      trainLimit: options.trainLimit,
      testLimit: options.testLimit,
      // The uncertainty callback's default (used only by models random at prediction).
      uncertaintyPasses: options.uncertaintyPasses ?? 100,
      augmentation: options.augmentation,
    },
    data: options.experimentConfig?.data,
    dataDir: options.dataDir,
    transfer: options.experimentConfig?.transfer,
  });
}

/**
 * What the tracked run records about how it was made. A part that cannot be read (an
 * unreadable dataset file) leaves the record out with a warning: it never stops the run.
 */
async function runReproducibility(
  options: TrainExperimentOptions,
  run: { resolvedConfig: Record<string, unknown>; backend: string },
): Promise<Reproducibility | undefined> {
  if (options.reproducibility === false) return undefined;
  const given = options.reproducibility ?? {};
  // Without a dataset of the caller's, the data are the Fashion-MNIST files of dataDir.
  const dataset =
    given.dataset !== undefined
      ? given.dataset
      : options.dataset
        ? null
        : {
            root: options.dataDir ?? FASHION_MNIST_SUBSET_DIR,
            files: Object.values(FASHION_MNIST_FILES),
          };
  try {
    return await captureReproducibility({
      configFile: options.experimentConfig?.source,
      resolvedConfig: run.resolvedConfig,
      dataset,
      cwd: given.cwd,
      argv: given.argv,
      tfjs: tfVersion.tfjs,
      backend: run.backend,
    });
  } catch (err) {
    console.warn(`reproducibility record left out: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * Output columns of the model: one for a one-unit sigmoid model (0/1 labels, one probability
 * column), else the class count.
 */
function outputColumns(settings: RunSettings, data: ExperimentData): number {
  const numClasses = data.full.classNames.length;
  if (settings.preset.loss !== 'binaryCrossentropy') return numClasses;
  if (numClasses !== 2)
    throw new Error(
      `preset ${settings.preset.name} is binary (one sigmoid unit) but the dataset has ${numClasses} classes`,
    );
  return 1;
}

function modelArgs(settings: RunSettings, data: ExperimentData) {
  return {
    numClasses: data.full.classNames.length,
    seed: settings.seed,
    learningRate: settings.learningRate,
    trainSize: data.train.count,
  };
}

function fitArgs(settings: RunSettings, data: ExperimentData, options: TrainExperimentOptions) {
  return {
    train: data.train,
    validation: data.validation,
    shape: data.shape,
    numClasses: data.full.classNames.length,
    batchSize: settings.batchSize,
    seed: settings.seed,
    earlyStoppingPatience: settings.patience,
    augmentation: options.augmentation,
  };
}

/** Creates the tracked run (its heartbeat starts with it), with its reproducibility record. */
async function createTracker(
  options: TrainExperimentOptions,
  run: {
    apiUrl: string;
    description: RunDescription;
    model: tf.LayersModel;
    backend: BackendSelection;
    resolvedConfig: Record<string, unknown>;
  },
): Promise<RunTracker> {
  const { description, backend } = run;
  if (options.runId !== undefined)
    return RunTracker.adopt({
      apiUrl: run.apiUrl,
      apiKey: options.apiKey,
      onRetry: options.onApiRetry,
      client: options.client,
      runId: options.runId,
      workerId: options.workerId,
      attempt: options.attempt,
      backend: backend.backend,
      backendReason: backend.reason,
      heartbeatMs: options.heartbeatMs,
    });
  const reproducibility = await runReproducibility(options, {
    resolvedConfig: run.resolvedConfig,
    backend: backend.backend,
  });
  return RunTracker.create({
    apiUrl: run.apiUrl,
    apiKey: options.apiKey,
    onRetry: options.onApiRetry,
    client: options.client,
    project: options.project ?? 'default',
    name: options.runName,
    hyperparameters: description.hyperparameters,
    tags: options.tags,
    notes: description.notes,
    modelSummary: summarizeModel(run.model),
    datasetInfo: description.datasetInfo,
    backend: backend.backend,
    backendReason: backend.reason,
    heartbeatMs: options.heartbeatMs,
    reproducibility,
  });
}

/**
 * Ends training at the next batch, epoch start or epoch end once `signal` aborts (first in the
 * list, so nothing else runs for that batch); the loop rejects with the signal's reason.
 */
export function abortCallback(signal: AbortSignal): TrainingCallback {
  const check = () => signal.throwIfAborted();
  return {
    name: 'abort',
    onEpochBegin: check,
    onBatchEnd: check,
    onEpochEnd: check,
    onTrainEnd: check,
  };
}

/**
 * The callbacks of a run, in call order. The order is the order of the uploads: at the start the
 * augmentation grid before the terminal's onStart; per epoch the best checkpoint, then the
 * terminal, then the metrics; at the end the local copy, the test results, the final model, the
 * uncertainty, the unreadable files and last the explanation pack.
 */
class ExperimentCallbacks {
  readonly list: (TrainingCallback | undefined)[];
  private readonly testResults?: TestResultsCallback;
  private readonly system?: ReturnType<typeof systemMetricsCallback>;

  constructor(
    options: TrainExperimentOptions,
    run: {
      tracker?: RunTracker;
      backend: BackendSelection;
      data: ExperimentData;
      description: RunDescription;
      seed: number;
    },
  ) {
    const { tracker, data } = run;
    this.testResults = tracker && testResultsCallback(tracker, options);
    this.system =
      tracker && options.systemMetrics !== false
        ? systemMetricsCallback(tracker, { ...options.systemMetrics })
        : undefined;
    this.list = [
      options.signal ? abortCallback(options.signal) : undefined,
      tracker && options.augmentation
        ? augmentationGridCallback(tracker, {
            images: data.train,
            shape: data.shape,
            config: options.augmentation,
            seed: run.seed,
          })
        : undefined,
      options.outDir ? modelExportCallback(options.outDir) : undefined,
      this.testResults,
      tracker && checkpointCallback(tracker),
      progressCallback({ hooks: options, backend: run.backend, runId: tracker?.runId }),
      this.system,
      tracker &&
        trackingCallback(tracker, {
          batchLogEvery: options.batchLogEvery,
          logPhase: run.description.multiPhase,
          flushEveryMs: options.flushEveryMs,
        }),
      tracker && uncertaintyCallback(tracker, { passes: options.uncertaintyPasses }),
      tracker &&
        badFilesCallback(tracker, () => (isStreamed(data.full) ? (data.full.badFiles ?? []) : [])),
      tracker && explanationPackCallback(tracker, options.explanations),
      tracker && options.snapshots !== false
        ? snapshotsCallback(tracker, { data, seed: run.seed, options: options.snapshots ?? {} })
        : undefined,
      tracker && options.layerStats !== false
        ? layerStatsCallback(tracker, {
            data,
            seed: run.seed,
            options: { rescale: options.augmentation?.rescale, ...options.layerStats },
          })
        : undefined,
      tracker && options.projector !== false
        ? projectorCallback(tracker, { data, seed: run.seed, options: options.projector ?? {} })
        : undefined,
    ];
  }

  /** Stops what runs on timers (the system sampler), also when training failed. */
  stop(): void {
    this.system?.stop();
  }

  /** Id of the evaluation stored with the run (tracked runs, after training). */
  get evaluationId(): string | undefined {
    return this.testResults?.evaluationId;
  }
}

function experimentResult(
  loop: TrainingLoopResult,
  run: {
    tracker?: RunTracker;
    backend: BackendSelection;
    started: number;
    callbacks: ExperimentCallbacks;
  },
): TrainExperimentResult {
  const { fit, test } = loop;
  // evaluate is always given, so the loop always has the test evaluation.
  if (!test) throw new Error('the training loop returned no test evaluation');
  const rates = fit.history.map((h) => h.train_images_per_s);
  return {
    runId: run.tracker?.runId,
    backend: run.backend,
    history: fit.history,
    bestEpoch: fit.bestEpoch,
    phases: fit.phases,
    epochPhases: fit.epochPhases,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    testReport: test.report,
    evaluationId: run.callbacks.evaluationId,
    trainImagesPerSec: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
    wallSeconds: (performance.now() - run.started) / 1000,
  };
}

/** Frees the model and its optimizer's slots (compile was given an optimizer instance, which the model does not own). */
function disposeModel(model: tf.LayersModel): void {
  const optimizer = compiledOptimizer(model);
  model.dispose();
  optimizer?.dispose();
}
