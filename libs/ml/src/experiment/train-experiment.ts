import * as tf from '@tensorflow/tfjs';
import { loadFashionMnist } from '../data/fashion-mnist';
import { splitValidation, type ImageDataset, type ImageSplit } from '../data/dataset';
import { isImageSource, type ImageSource } from '../data/image-source';
import type { BadImageFile } from '../data/image-folder';
import { selectBackend, type BackendSelection } from '../backend/select-backend';
import { getPreset, type ModelPreset } from '../models/presets';
import { buildModel, summarizeModel } from '../models/build-model';
import {
  serializeModel,
  writeModelDir,
  WEIGHTS_FILE,
  type SerializedModel,
} from '../models/serialize-model';
import type { BatchInfo, EpochLogs } from '../train/fit';
import {
  fitPhases,
  PHASE_CODE,
  type PhaseMarker,
  type PhaseName,
  type TrainingPhase,
} from '../transfer/phases';
import {
  evaluateClassification,
  type ClassificationReport,
} from '../evaluation/classification-metrics';
import type { GraphqlClient, RetryInfo } from '../tracking/graphql-client';
import { RunTracker } from '../tracking/run-tracker';
import { predictSplit } from './predict-split';
import { tryLogExplanationPack, type ExplanationPackOptions } from './explanation-pack';
import type { AugmentationConfig } from '../data/augment';
import { logAugmentationGrid } from './log-augmentation';
import { logRunUncertainty } from './log-uncertainty';

/**
 * A dataset whose training and validation images are read batch by batch (an image folder), so
 * a set larger than memory trains; the test split is in memory, since prediction, evaluation and
 * the stored samples work on bytes.
 */
export interface StreamedDataset {
  /** Short name, e.g. the folder's name. */
  name: string;
  /** Where the data came from (a directory). */
  source: string;
  /** Human-readable class names, indexed by label. */
  classNames: string[];
  /** `[height, width, channels]` of every image. */
  shape: [number, number, number];
  train: ImageSource;
  /** Validation images; without them val_* metrics and early stopping are skipped. */
  validation?: ImageSource;
  test: ImageSplit;
  /**
   * Image files left out as unreadable. Read when the run starts (recorded as the
   * hyperparameter `badFiles` and in the notes) and again at its end (files met while reading
   * batches too: a tracked run then stores every one, with its reason, as `bad-files.json`).
   */
  readonly badFiles?: readonly BadImageFile[];
}

/** What a custom model factory ({@link TrainExperimentOptions.createModel}) is given. */
export interface ModelContext {
  /** Number of classes of the dataset. */
  numClasses: number;
  /** Image shape `[height, width, channels]`. */
  shape: [number, number, number];
  seed: number;
  learningRate: number;
  /** Number of training images (after the validation split). */
  trainSize: number;
}

/** What a custom model factory returns. */
export interface CustomModel {
  /** The compiled model; trainExperiment disposes it. */
  model: tf.LayersModel;
  /** Training in phases (transfer learning: head, then fine-tune); default one phase of `epochs`. */
  phases?: TrainingPhase[];
  /** Recorded with the run's hyperparameters (e.g. the transfer settings). */
  hyperparameters?: Record<string, unknown>;
}

/** Everything one training run needs; every field but `preset` has a default. */
export interface TrainExperimentOptions {
  /** Preset name (e.g. `fmnist-cnn`) or a full preset object. */
  preset: string | ModelPreset;
  /** Epochs (default: the preset's). */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Seed of initial weights, split and shuffles (default 42). */
  seed?: number;
  /** Fraction of the training set held out for validation (default 0.1). */
  validationSplit?: number;
  /** Early-stopping patience in epochs on val_loss (default 3). */
  patience?: number;
  /** Directory with the four Fashion-MNIST IDX files (default: the committed subset). */
  dataDir?: string;
  /**
   * A dataset already in memory (e.g. a class subset), or a {@link StreamedDataset} read in
   * batches (its own validation split: `validationSplit`, `trainLimit` and `testLimit` do not
   * apply); replaces `dataDir`.
   */
  dataset?: ImageDataset | StreamedDataset;
  /**
   * Builds the model instead of the preset (transfer learning), possibly with training phases.
   * The preset still gives the defaults (epochs, batch size, loss) and the run's preset name.
   */
  createModel?(context: ModelContext): CustomModel | Promise<CustomModel>;
  /** Use only the first N training images (quick runs and tests). */
  trainLimit?: number;
  /** Use only the first N test images. */
  testLimit?: number;
  /** Backend name to force (`--backend`). */
  backend?: string;
  /** API origin to log the run to; without it the run is not tracked. */
  apiUrl?: string;
  /** API key of the tracking client (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Told before each retry of the tracking client (the API is down or overloaded). */
  onApiRetry?(info: RetryInfo): void;
  /** The tracking client (default: one made from apiUrl, apiKey and onApiRetry). */
  client?: GraphqlClient;
  /** Project of the run (default `default`). */
  project?: string;
  /** Run name (default: generated by the API). */
  runName?: string;
  tags?: string[];
  notes?: string;
  /**
   * Store at most this many evaluated test images with the run (artifact `test-samples.bin`,
   * shown by the dashboard next to the predictions). Default: every one that fits in 8 MiB
   * (the whole Fashion-MNIST test split); 0 stores none.
   */
  maxSampleImages?: number;
  /**
   * The explanation pack stored with a tracked run after its evaluation (CAMs, activations,
   * filters, saliency, LIME of a few test samples; see explanation-pack.ts). `{ samples: 0 }`
   * disables it.
   */
  explanations?: ExplanationPackOptions;
  /**
   * Random augmentation of the training batches; a tracked run also stores a grid of augmented
   * images (artifact `augmentation-grid.png`).
   */
  augmentation?: AugmentationConfig;
  /**
   * Stochastic passes T of the uncertainty evaluation stored with a tracked run whose model is
   * random at prediction (MC dropout, variational latent; see log-uncertainty.ts). Default 100;
   * 0 disables it.
   */
  uncertaintyPasses?: number;
  /** Also write model.json + weights.bin to this directory. */
  outDir?: string;
  /** Heartbeat period of the tracked run in ms (default 10 s). */
  heartbeatMs?: number;
  /** Log the training loss every N batches (default 20) so curves move during an epoch. */
  batchLogEvery?: number;
  /** Progress hooks for the terminal. */
  onStart?(info: {
    runId?: string;
    backend: BackendSelection;
    epochs: number;
    batchesPerEpoch: number;
    trainCount: number;
  }): void;
  onBatch?(info: BatchInfo): void;
  onEpoch?(epoch: number, logs: EpochLogs): void;
}

/** The outcome of {@link trainExperiment}. */
export interface TrainExperimentResult {
  runId?: string;
  backend: BackendSelection;
  history: EpochLogs[];
  bestEpoch: number;
  testAccuracy: number;
  testLoss: number;
  /** Classification report of the test split (also stored with the run as its evaluation). */
  testReport: ClassificationReport;
  /** Id of the evaluation stored with the run (tracked runs only). */
  evaluationId?: string;
  /** Where each training phase started (one `train` phase unless the model came with phases). */
  phases: PhaseMarker[];
  /** Phase of each epoch of `history`. */
  epochPhases: PhaseName[];
  /** Mean training throughput over epochs, images/s. */
  trainImagesPerSec: number;
  wallSeconds: number;
}

/** Name of the artifact listing a streamed run's unreadable image files (path and reason). */
export const BAD_FILES_ARTIFACT = 'bad-files.json';
/** Unreadable files named in a run's hyperparameters and notes (bad-files.json lists all). */
const MAX_LISTED_BAD_FILES = 20;

function limitSplit<T extends { images: Uint8Array; labels: Uint8Array; count: number }>(
  s: T,
  n: number | undefined,
  pixels: number,
): T {
  if (!n || n >= s.count) return s;
  return {
    ...s,
    images: s.images.subarray(0, n * pixels),
    labels: s.labels.subarray(0, n),
    count: n,
  };
}

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
  const backend = await selectBackend({ requested: options.backend });
  const full = options.dataset ?? (await loadFashionMnist({ dir: options.dataDir }));
  const seed = options.seed ?? 42;
  const epochs = options.epochs ?? preset.epochs;
  const batchSize = options.batchSize ?? preset.batchSize;
  const learningRate = options.learningRate ?? preset.optimizer.learningRate;
  const validationSplit = options.validationSplit ?? 0.1;
  const patience = options.patience ?? 3;
  let train: ImageSplit | ImageSource;
  let validation: ImageSplit | ImageSource | undefined;
  let test: ImageSplit;
  let shape: [number, number, number];
  const streamed = isStreamed(full);
  if (streamed) {
    if (options.trainLimit || options.testLimit)
      throw new Error('trainLimit and testLimit apply to in-memory datasets, not to streamed ones');
    ({ train, validation, test, shape } = full);
  } else {
    shape = [full.height, full.width, full.channels];
    const pixels = full.height * full.width * full.channels;
    ({ train, validation } = splitValidation(limitSplit(full.train, options.trainLimit, pixels), {
      fraction: validationSplit,
      seed,
      pixelsPerImage: pixels,
    }));
    test = limitSplit(full.test, options.testLimit, pixels);
  }
  const badAtStart = streamed ? [...(full.badFiles ?? [])] : [];
  const numClasses = full.classNames.length;
  // A one-unit sigmoid model: 0/1 labels, one probability column.
  const binary = preset.loss === 'binaryCrossentropy';
  if (binary && numClasses !== 2)
    throw new Error(
      `preset ${preset.name} is binary (one sigmoid unit) but the dataset has ${numClasses} classes`,
    );
  const encoding = binary ? ('binary' as const) : ('one-hot' as const);
  const outputColumns = binary ? 1 : numClasses;

  const custom = options.createModel
    ? await options.createModel({ numClasses, shape, seed, learningRate, trainSize: train.count })
    : undefined;
  const model =
    custom?.model ?? buildModel(preset, { numClasses, seed, learningRate, trainSize: train.count });
  const phases: TrainingPhase[] = custom?.phases ?? [{ name: 'train', epochs }];
  const multiPhase = phases.filter((p) => p.epochs > 0).length > 1;
  // Planned boundaries, 1-based like the metric steps (the head phase never stops early).
  const plannedPhases: { phase: PhaseName; startEpoch: number; epochs: number }[] = [];
  for (const p of phases)
    if (p.epochs > 0)
      plannedPhases.push({
        phase: p.name,
        startEpoch: plannedPhases.reduce((s, q) => s + q.epochs, 0) + 1,
        epochs: p.epochs,
      });
  const totalEpochs = plannedPhases.reduce((s, q) => s + q.epochs, 0);
  // The API bounds hyperparameters and notes (64 KiB each): the first files are listed there,
  // bad-files.json holds every one.
  const listedBad = badAtStart
    .slice(0, MAX_LISTED_BAD_FILES)
    .map((b) => ({ path: b.path.slice(0, 500), reason: String(b.reason).slice(0, 200) }));
  const hyperparameters = {
    preset: preset.name,
    epochs,
    batchSize,
    learningRate,
    optimizer: preset.optimizer.type,
    loss: preset.loss,
    seed,
    // A streamed dataset brings its validation split; the fraction is the caller's to record.
    ...(streamed ? {} : { validationSplit }),
    patience,
    ...(custom ? { epochs: totalEpochs } : {}),
    ...(multiPhase ? { phases: plannedPhases } : {}),
    ...(options.augmentation ? { augmentation: options.augmentation } : {}),
    ...custom?.hyperparameters,
    ...(badAtStart.length ? { badFiles: listedBad.map((b) => b.path) } : {}),
    ...(badAtStart.length > listedBad.length ? { badFileCount: badAtStart.length } : {}),
  };
  const badNote = badAtStart.length
    ? `Skipped ${badAtStart.length} unreadable image file(s): ${listedBad.map((b) => `${b.path} (${b.reason})`).join('; ')}` +
      (badAtStart.length > listedBad.length
        ? `; and ${badAtStart.length - listedBad.length} more (bad-files.json lists them all).`
        : '.')
    : undefined;
  const phaseNote = multiPhase
    ? plannedPhases.map((p) => `${p.phase} from epoch ${p.startEpoch}`).join('; ')
    : undefined;
  const datasetInfo = {
    name: full.name,
    source: full.source,
    classNames: full.classNames,
    shape,
    trainCount: train.count,
    validationCount: validation?.count ?? 0,
    testCount: test.count,
  };
  let tracker: RunTracker | undefined;
  let evaluationId: string | undefined;
  try {
    if (options.apiUrl) {
      tracker = await RunTracker.create({
        apiUrl: options.apiUrl,
        apiKey: options.apiKey,
        onRetry: options.onApiRetry,
        client: options.client,
        project: options.project ?? 'default',
        name: options.runName,
        hyperparameters,
        tags: options.tags,
        notes:
          [options.notes, phaseNote && `Phases: ${phaseNote}.`, badNote]
            .filter(Boolean)
            .join('\n') || undefined,
        modelSummary: summarizeModel(model),
        datasetInfo,
        backend: backend.backend,
        backendReason: backend.reason,
        heartbeatMs: options.heartbeatMs,
      });
    }
    if (tracker && options.augmentation)
      await logAugmentationGrid(tracker, {
        images: train,
        shape,
        config: options.augmentation,
        seed,
      });
    const logEvery = options.batchLogEvery ?? 20;
    let currentPhase: PhaseName = phases[0]?.name ?? 'train';
    const fit = await fitPhases(model, {
      phases,
      train,
      validation,
      shape,
      numClasses,
      encoding,
      batchSize,
      seed,
      earlyStoppingPatience: patience,
      augmentation: options.augmentation,
      // Best checkpoint: stored with the run whenever val_loss improves, so a worker that dies
      // later still leaves its best model behind.
      onBestCheckpoint: tracker
        ? async (epoch, _logs, m) =>
            uploadModel(tracker!, await serializeModel(m), { checkpointEpoch: epoch + 1 })
        : undefined,
      onPhaseStart: (marker) => {
        currentPhase = marker.phase;
      },
      callbacks: {
        onTrainBegin: (info) => options.onStart?.({ runId: tracker?.runId, backend, ...info }),
        onBatchEnd: async (info) => {
          options.onBatch?.(info);
          if (tracker && info.step % logEvery === 0)
            await tracker.log({ name: 'batch_loss', step: info.step, value: info.loss });
        },
        onEpochEnd: async (epoch, logs) => {
          options.onEpoch?.(epoch, logs);
          if (tracker) {
            const step = epoch + 1;
            await tracker.log(
              Object.entries(logs)
                .filter(([, v]) => typeof v === 'number')
                .map(([name, value]) => ({ name, step, value: value as number })),
            );
            // Which phase this epoch belongs to (0 head, 1 fine-tune), so curves can mark the boundary.
            if (multiPhase)
              await tracker.log({ name: 'phase', step, value: PHASE_CODE[currentPhase] });
            await tracker.flush();
          }
        },
      },
    });
    // One pass over the test split: its probabilities give the report, test_accuracy and test_loss.
    const probabilities = predictSplit(model, test, { shape, numClasses: outputColumns });
    const testLabels = Int32Array.from(test.labels);
    const testReport = evaluateClassification({
      labels: testLabels,
      probabilities,
      numClasses: outputColumns,
      classNames: full.classNames,
    });
    const testEval = {
      accuracy: testReport.accuracy,
      loss: crossEntropy(testLabels, probabilities, outputColumns),
    };
    const serialized = await serializeModel(model);
    if (options.outDir) await writeModelDir(options.outDir, serialized);
    if (tracker) {
      const lastStep = fit.history.length;
      await tracker.log([
        { name: 'test_accuracy', step: lastStep, value: testEval.accuracy },
        { name: 'test_loss', step: lastStep, value: testEval.loss },
      ]);
      await tracker.flush();
      // Images first: once the evaluation is visible, the dashboard can show its samples.
      await tracker.logSamples({
        split: 'test',
        images: test.images,
        count: test.count,
        shape,
        maxSamples: options.maxSampleImages,
      });
      evaluationId = (
        await tracker.logEvaluation({
          split: 'test',
          labels: testLabels,
          probabilities,
          numClasses: outputColumns,
          classNames: full.classNames,
          report: testReport,
        })
      ).id;
      await uploadModel(tracker, serialized, { bestEpoch: fit.bestEpoch + 1, final: true });
      await logRunUncertainty(tracker, model, {
        split: test,
        shape,
        classNames: full.classNames,
        passes: options.uncertaintyPasses,
      });
      const badFiles = streamed ? (full.badFiles ?? []) : [];
      if (badFiles.length > 0)
        await tracker.uploadArtifact(
          BAD_FILES_ARTIFACT,
          new TextEncoder().encode(JSON.stringify(badFiles, null, 2)),
          {
            kind: 'report',
            mimeType: 'application/json',
            metadata: { description: 'image files skipped as unreadable', count: badFiles.length },
          },
        );
      await tryLogExplanationPack(tracker, {
        model,
        split: test,
        shape,
        probabilities,
        classNames: full.classNames,
        options: options.explanations,
      });
      await tracker.finish();
    }
    const rates = fit.history.map((h) => h.train_images_per_s);
    return {
      runId: tracker?.runId,
      backend,
      history: fit.history,
      bestEpoch: fit.bestEpoch,
      phases: fit.phases,
      epochPhases: fit.epochPhases,
      testAccuracy: testEval.accuracy,
      testLoss: testEval.loss,
      testReport,
      evaluationId,
      trainImagesPerSec: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
      wallSeconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    await tracker?.fail(err).catch(() => undefined);
    throw err;
  } finally {
    tracker?.detach();
    // The optimizer is not owned by the model (compile was given an instance): free its slots too.
    const optimizer = (model as unknown as { optimizer_?: tf.Optimizer }).optimizer_;
    model.dispose();
    optimizer?.dispose();
  }
}

function isStreamed(d: ImageDataset | StreamedDataset): d is StreamedDataset {
  return isImageSource(d.train);
}

/**
 * Mean categorical cross-entropy of one-hot labels (binary cross-entropy of 0/1 labels when there
 * is one column), with the probabilities clipped to [1e-7, 1 - 1e-7] in float32 like the
 * training loop's evaluation (evaluateSplit).
 */
function crossEntropy(labels: Int32Array, probabilities: Float32Array, numClasses: number): number {
  const lo = Math.fround(1e-7);
  const hi = Math.fround(1 - 1e-7);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p =
      numClasses === 1
        ? labels[i] === 1
          ? probabilities[i]
          : 1 - probabilities[i]
        : probabilities[i * numClasses + labels[i]];
    sum -= Math.log(Math.min(hi, Math.max(lo, p)));
  }
  return sum / labels.length;
}

/** Stores a model with the run as `weights.bin` then `model.json` (the manifest must never name a missing file). */
async function uploadModel(
  tracker: RunTracker,
  model: SerializedModel,
  info: Record<string, unknown>,
): Promise<void> {
  const metadata = { format: 'tfjs-layers-model', tfjs: tf.version.tfjs, ...info };
  await tracker.uploadArtifact(WEIGHTS_FILE, model.weights, {
    kind: 'model',
    mimeType: 'application/octet-stream',
    metadata,
  });
  await tracker.uploadArtifact('model.json', model.modelJson, {
    kind: 'model',
    mimeType: 'application/json',
    metadata,
  });
}
