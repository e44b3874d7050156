/** The options and result of `trainExperiment`, and what a custom model factory gets. */
import type * as tf from '@tensorflow/tfjs';
import type { BackendSelection } from '../backend/select-backend';
import type { AugmentationConfig } from '../data/augment';
import type { ImageDataset, ImageSplit } from '../data/dataset';
import type { BadImageFile } from '../data/image-folder';
import type { ImageSource } from '../data/image-source';
import type { ClassificationReport } from '@convscope/metrics';
import type { ExplanationPackOptions } from '../explain/pack/explanation-pack';
import type { DataConfig, TransferConfig } from '../models/config';
import type { ModelPreset } from '../models/presets';
import type { DatasetFiles, DatasetFingerprint } from '../tracking/reproducibility';
import type { SystemReader } from './callbacks/system-metrics';
import type { SnapshotOptions } from './callbacks/snapshots';
import type { LayerStatsOptions } from './callbacks/layer-stats';
import type { ProjectorOptions } from './callbacks/projector';
import type { GraphqlClient, RetryInfo } from '../tracking/graphql-client';
import type { PhaseMarker, PhaseName, TrainingPhase } from '../transfer/phases';
import type { BatchInfo, EpochLogs } from './fit';

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
  /**
   * Data parallelism over worker threads (wasm replicas, see train/choose-trainer.ts): 'auto'
   * measures it against one thread at start where the backend is 'wasm'; 'on' and 'off' force
   * it. Default: `$CONVSCOPE_DATA_PARALLEL`, else 'auto'.
   */
  dataParallel?: 'auto' | 'on' | 'off';
  /** API origin to log the run to; without it the run is not tracked. */
  apiUrl?: string;
  /** API key of the tracking client (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Told before each retry of the tracking client (the API is down or overloaded). */
  onApiRetry?(info: RetryInfo): void;
  /** The tracking client (default: one made from apiUrl, apiKey and onApiRetry). */
  client?: GraphqlClient;
  /**
   * An existing run to train into (a queued run a worker claimed; needs `apiUrl`): the tracker
   * adopts it (RunTracker.adopt) instead of creating one, so project, name and tags are the run's.
   */
  runId?: string;
  /** The queue worker holding `runId`'s job (the run is started with startQueuedRun). */
  workerId?: string;
  /** The job attempt that worker holds (claimJob's attempt): stale attempts are refused. */
  attempt?: number;
  /**
   * Stops training within a batch once aborted: the run rejects with the signal's reason (a
   * worker's cancel or lost lease). What happens to the tracked run then: see failRunOnError.
   */
  signal?: AbortSignal;
  /**
   * Mark the tracked run FAILED when training throws (default true). A worker passes false:
   * the queue decides (retry, FAILED, CANCELLED), and the logged points are flushed first.
   */
  failRunOnError?: boolean;
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
   * filters, saliency, LIME of a few test samples; see explain/pack). `{ samples: 0 }`
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
   * random at prediction (MC dropout, variational latent; see uncertainty/log-uncertainty.ts). Default 100;
   * 0 disables it.
   */
  uncertaintyPasses?: number;
  /** Also write model.json + weights.bin to this directory. */
  outDir?: string;
  /** Heartbeat period of the tracked run in ms (default 10 s). */
  heartbeatMs?: number;
  /** Log the training loss every N batches (default 20) so curves move during an epoch. */
  batchLogEvery?: number;
  /**
   * Longest time between two flushes of logged points while batches run, in ms (default 2000;
   * 0: only at epoch ends).
   */
  flushEveryMs?: number;
  /**
   * The config this run comes from (set by runExperimentConfig): its file is recorded with the
   * run, its data and transfer sections join the resolved config (hyperparameters `data.*`,
   * `transfer.*`).
   */
  experimentConfig?: { source?: string; data?: DataConfig; transfer?: TransferConfig };
  /**
   * What a tracked run records about how it was made (Run.reproducibility; see
   * tracking/reproducibility.ts); `false` records nothing. `dataset`: the files to fingerprint
   * (default: the Fashion-MNIST files when the data came from `dataDir` or the subset), or a
   * fingerprint already computed; `argv` default process.argv; `cwd` (the git checkout) default
   * the working directory.
   */
  reproducibility?:
    | false
    | {
        dataset?: DatasetFiles | DatasetFingerprint | Promise<DatasetFingerprint | null> | null;
        argv?: readonly string[];
        cwd?: string;
      };
  /**
   * System metrics of a tracked run (`system/...`, see callbacks/system-metrics.ts): sampled
   * every `intervalMs` (default 5000); `false` samples none.
   */
  systemMetrics?: false | { intervalMs?: number; reader?: SystemReader };
  /** Training snapshots of a tracked run (see callbacks/snapshots.ts); `false` stores none. */
  snapshots?: false | SnapshotOptions;
  /** Per-layer histograms and gradient statistics (see callbacks/layer-stats.ts); `false`: none. */
  layerStats?: false | LayerStatsOptions;
  /** The embedding projector after training (see callbacks/projector.ts); `false`: none. */
  projector?: false | ProjectorOptions;
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

/** The outcome of `trainExperiment`. */
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
