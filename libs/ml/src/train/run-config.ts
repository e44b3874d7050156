import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageDataset } from '../data/dataset';
import {
  FASHION_MNIST_FILES,
  FASHION_MNIST_SUBSET_DIR,
  loadFashionMnist,
} from '../data/fashion-mnist';
import {
  fingerprintDataset,
  type DatasetFiles,
  type DatasetFingerprint,
} from '../tracking/reproducibility';
import { loadImageFolder } from '../data/image-folder';
import { isImageSource, readAllImages } from '../data/image-source';
import { buildModel } from '../models/build-model';
import {
  ConfigError,
  validateExperimentConfig,
  type ExperimentConfig,
  type ImageFolderDataConfig,
  type TransferConfig,
} from '../models/config';
import type { ModelPreset } from '../models/presets';
import { loadModelFrom } from '../transfer/load-model';
import { buildTransferModel, cutModel } from '../transfer/transfer-model';
import { transferPhases } from '../transfer/phases';
import { first } from '../util/checked';
import { selectClasses } from '../data/class-subset';
import {
  trainExperiment,
  type CustomModel,
  type ModelContext,
  type StreamedDataset,
  type TrainExperimentOptions,
  type TrainExperimentResult,
} from './train-experiment';

/** What a config run records about each training run it made. */
export interface ConfigRunRecord {
  /** `train`: a plain run; `base`: the pretrained base; `transfer` / `scratch`: the comparison. */
  role: 'train' | 'base' | 'transfer' | 'scratch';
  seed: number;
  result: TrainExperimentResult;
}

/** What {@link runExperimentConfig} returns. */
export interface ConfigRunResult {
  runs: ConfigRunRecord[];
  /** Mean test accuracy over seeds of the transfer and scratch runs (transfer configs only). */
  comparison?: { seeds: number[]; transfer: number; scratch?: number; difference?: number };
}

/** Options of {@link runExperimentConfig}: the run-level fields of trainExperiment. */
export type RunConfigOptions = Pick<
  TrainExperimentOptions,
  | 'apiUrl'
  | 'apiKey'
  | 'onApiRetry'
  | 'backend'
  | 'outDir'
  | 'heartbeatMs'
  | 'explanations'
  | 'snapshots'
  | 'layerStats'
  | 'projector'
  | 'onStart'
  | 'onBatch'
  | 'onEpoch'
> & {
  /** Called once before each training run with a one-line description. */
  onRunStart?(description: string): void;
};

async function loadData(config: ExperimentConfig): Promise<ImageDataset | StreamedDataset> {
  const data = config.data;
  if (data.source === 'image-folder') return loadFolderData(config, data);
  return loadFashionMnist({ dir: data.dir });
}

/**
 * An image folder as a {@link StreamedDataset}: training and validation images are decoded
 * batch by batch while training (a set larger than memory trains), resized to the model's
 * inputShape.
 */
async function loadFolderData(
  config: ExperimentConfig,
  data: ImageFolderDataConfig,
): Promise<StreamedDataset> {
  const t = config.training;
  if (t.trainLimit || t.testLimit)
    throw new Error(
      `training.trainLimit/testLimit (--limit) apply to fashion-mnist data; with data.folder ${data.folder} use data.split or a smaller folder`,
    );
  const ds = await loadImageFolder({
    dir: data.folder,
    shape: config.preset.inputShape,
    fit: data.fit,
    labelsFile: data.labelsFile,
    onBadFile: data.onBadFile,
    split: {
      validation: data.split?.validation ?? t.validationSplit ?? 0.1,
      test: data.split?.test ?? 0,
      seed: data.split?.seed ?? t.seed ?? 42,
    },
  });
  if (!ds.test || ds.test.count === 0)
    throw new Error(
      `data.folder ${ds.source} has no test/ folder: set data.split.test (e.g. 0.1) to hold out that fraction of the training images for the evaluation`,
    );
  // The test split is read into memory: prediction, the evaluation report and the stored samples
  // work on bytes. Fine because test splits are small (hundreds to a few thousand images); the
  // training and validation images stay streamed.
  const test = await readAllImages(ds.test);
  const splits = [ds.train, ds.validation, ds.test].filter((s) => s !== undefined);
  return {
    name: ds.name,
    source: ds.source,
    classNames: ds.classNames,
    shape: ds.shape,
    train: ds.train,
    validation: ds.validation && ds.validation.count > 0 ? ds.validation : undefined,
    test,
    // A getter: files found unreadable while batches are read join those left out at load.
    get badFiles() {
      return [...ds.badFiles, ...splits.flatMap((s) => s.badFiles)];
    },
  };
}

function targetData(
  config: ExperimentConfig,
  full: ImageDataset | StreamedDataset,
  seed: number,
): ImageDataset | StreamedDataset {
  const data = config.data;
  if (isImageSource(full.train)) return full;
  // In memory: a streamed dataset's train split is an ImageSource, ruled out just above.
  const inMemory = full as ImageDataset;
  if (data.source !== 'fashion-mnist' || (!data.classes && !data.trainPerClass)) return inMemory;
  return selectClasses(inMemory, {
    classes: data.classes ?? inMemory.classNames.map((_, i) => i),
    trainPerClass: data.trainPerClass,
    seed,
  });
}

/** The files a config's data come from (fingerprinted once for every run of the config). */
function datasetFiles(config: ExperimentConfig): DatasetFiles {
  const data = config.data;
  if (data.source === 'image-folder') return { root: data.folder };
  return {
    root: data.dir ?? FASHION_MNIST_SUBSET_DIR,
    files: Object.values(FASHION_MNIST_FILES),
  };
}

/** Run-level extras of every run of a config: the config itself and the dataset fingerprint. */
interface ConfigRunContext {
  dataset: Promise<DatasetFingerprint | null> | null;
}

function baseOptions(
  config: ExperimentConfig,
  options: RunConfigOptions,
  seed: number,
  context: ConfigRunContext = { dataset: null },
) {
  const t = config.training;
  return {
    ...options,
    experimentConfig: { source: config.source, data: config.data, transfer: config.transfer },
    reproducibility: { dataset: context.dataset },
    preset: config.preset,
    epochs: t.epochs,
    batchSize: t.batchSize,
    learningRate: t.learningRate,
    seed,
    patience: t.patience,
    validationSplit: t.validationSplit,
    trainLimit: t.trainLimit,
    testLimit: t.testLimit,
    uncertaintyPasses: t.uncertaintyPasses,
    augmentation: t.augmentation,
    project: config.project,
    tags: config.tags,
    notes: config.notes,
  } satisfies Partial<TrainExperimentOptions>;
}

// Validation rejects pretraining with folder data; this guards the type.
function inMemory(d: ImageDataset | StreamedDataset): ImageDataset {
  if (isImageSource(d.train))
    throw new Error('pretraining a base on other classes needs fashion-mnist data');
  return d as ImageDataset;
}

/** The config's head on `base` (the transfer and the from-scratch model alike). */
function headOn(
  base: tf.LayersModel,
  o: { preset: ModelPreset; transfer: TransferConfig; ctx: ModelContext; freezeBase: boolean },
): { model: tf.LayersModel; binary: boolean } {
  const binary = o.preset.loss === 'binaryCrossentropy';
  const { model } = buildTransferModel({
    base,
    numClasses: o.ctx.numClasses,
    binary,
    ...o.transfer.head,
    optimizer: { type: o.preset.optimizer.type, learningRate: o.ctx.learningRate },
    seed: o.ctx.seed,
    freezeBase: o.freezeBase,
  });
  return { model, binary };
}

/** The transfer model factory: load the base, cut it, freeze it, put the head on. */
function transferFactory(
  preset: ModelPreset,
  transfer: TransferConfig,
  baseSource: string,
  /** Set when the base was pretrained by this config: the run that trained it. */
  pretrainedBy?: { runId?: string; classes: number[] },
): (ctx: ModelContext) => Promise<CustomModel> {
  return async (ctx) => {
    const base = cutModel(await loadModelFrom(baseSource), transfer.cutLayer);
    const { model, binary } = headOn(base, { preset, transfer, ctx, freezeBase: true });
    const fineTuneLearningRate = transfer.fineTuneLearningRate ?? 1e-4;
    return {
      model,
      phases: transferPhases({
        base,
        headEpochs: transfer.headEpochs,
        fineTuneEpochs: transfer.fineTuneEpochs,
        fineTuneOptimizer: { type: preset.optimizer.type, learningRate: fineTuneLearningRate },
        unfreeze: transfer.unfreeze,
        binary,
      }),
      hyperparameters: {
        transfer: {
          // A pretrained base lives in a temporary folder: record the run that trained it instead.
          base: pretrainedBy
            ? `pretrained here on classes ${pretrainedBy.classes.join(', ')}`
            : baseSource,
          ...(pretrainedBy?.runId ? { baseRunId: pretrainedBy.runId } : {}),
          cutLayer: first(base.outputLayers, 'an output layer of the base').name,
          head: transfer.head ?? {},
          headEpochs: transfer.headEpochs,
          fineTuneEpochs: transfer.fineTuneEpochs,
          fineTuneLearningRate,
          unfreeze: transfer.unfreeze ?? 'all',
        },
      },
    };
  };
}

/**
 * The from-scratch baseline: the same architecture as the transfer model (the base's layers up
 * to the cut, the same head) with fresh weights, everything trainable, trained for
 * headEpochs + fineTuneEpochs epochs at the head's learning rate.
 */
function scratchFactory(
  preset: ModelPreset,
  transfer: TransferConfig,
  baseSource: string | undefined,
): (ctx: ModelContext) => Promise<CustomModel> {
  return async (ctx) => {
    let full: tf.LayersModel;
    if (baseSource === undefined) {
      // The seed the pretrained base started from: both runs begin at the same weights.
      full = buildModel(preset, { seed: ctx.seed, numClasses: ctx.numClasses });
    } else {
      // Same topology as the given base, initialised afresh (its initialisers, no weights).
      const loaded = await loadModelFrom(baseSource);
      const modelTopology = loaded.toJSON(
        undefined,
        false,
      ) as tf.io.ModelArtifacts['modelTopology'];
      loaded.dispose();
      full = await tf.models.modelFromJSON({ modelTopology } as tf.io.ModelJSON);
    }
    const base = cutModel(full, transfer.cutLayer);
    const { model } = headOn(base, { preset, transfer, ctx, freezeBase: false });
    return {
      model,
      phases: [{ name: 'train', epochs: transfer.headEpochs + transfer.fineTuneEpochs }],
      hyperparameters: {
        scratch: {
          sameArchitectureAs: 'transfer',
          cutLayer: first(base.outputLayers, 'an output layer of the base').name,
        },
      },
    };
  };
}

/** What {@link transferRuns} needs for one seed. */
interface TransferSeedArgs {
  config: ExperimentConfig;
  options: RunConfigOptions;
  full: ImageDataset | StreamedDataset;
  transfer: TransferConfig;
  seed: number;
  /** Where a base pretrained here is kept when there is no `outDir`. */
  scratchDir: string;
  context: ConfigRunContext;
}

/**
 * One seed of a transfer config: the base pretraining when asked, the transfer run and, with
 * `compareWithScratch`, the same architecture trained from scratch on the same images.
 */
async function transferRuns(args: TransferSeedArgs): Promise<ConfigRunRecord[]> {
  const { config, options, full, transfer, seed, scratchDir, context } = args;
  const name = config.name ?? config.preset.name;
  const out: ConfigRunRecord[] = [];
  let baseSource: string;
  let pretrained: { runId?: string; classes: number[] } | undefined;
  if (typeof transfer.base === 'string') {
    baseSource = transfer.base;
  } else {
    const { classes, epochs } = transfer.base.pretrain;
    baseSource = options.outDir
      ? path.join(options.outDir, `base-seed${seed}`)
      : path.join(scratchDir, `seed${seed}`);
    options.onRunStart?.(`${name} base on classes ${classes.join(', ')}, seed ${seed}`);
    const result = await trainExperiment({
      ...baseOptions(config, options, seed, context),
      // The base sees every training image of its classes, never the target classes.
      dataset: selectClasses(inMemory(full), { classes, seed }),
      epochs: epochs ?? config.preset.epochs,
      validationSplit: 0.1,
      runName: `${name} base (classes ${classes.join(',')}) seed ${seed}`,
      tags: [...(config.tags ?? []), 'base'],
      outDir: baseSource,
    });
    out.push({ role: 'base', seed, result });
    pretrained = { runId: result.runId, classes };
  }
  const target = targetData(config, full, seed);
  options.onRunStart?.(`${name} transfer from ${baseSource}, seed ${seed}`);
  const t = await trainExperiment({
    ...baseOptions(config, options, seed, context),
    dataset: target,
    createModel: transferFactory(config.preset, transfer, baseSource, pretrained),
    runName: `${name} transfer seed ${seed}`,
    tags: [...(config.tags ?? []), 'transfer'],
    outDir: options.outDir && path.join(options.outDir, `transfer-seed${seed}`),
  });
  out.push({ role: 'transfer', seed, result: t });
  if (transfer.compareWithScratch) {
    options.onRunStart?.(`${name} from scratch (same architecture), seed ${seed}`);
    const s = await trainExperiment({
      ...baseOptions(config, options, seed, context),
      dataset: target,
      createModel: scratchFactory(config.preset, transfer, pretrained ? undefined : baseSource),
      runName: `${name} scratch seed ${seed}`,
      tags: [...(config.tags ?? []), 'scratch'],
      outDir: options.outDir && path.join(options.outDir, `scratch-seed${seed}`),
    });
    out.push({ role: 'scratch', seed, result: s });
  }

  return out;
}

/**
 * Runs an experiment config: one training run, or for a `transfer:` config (per seed) the base
 * pretraining when asked, the transfer run and, with `compareWithScratch`, the same architecture
 * trained from scratch on the same images. With `apiUrl` every run is logged to the API.
 */
export async function runExperimentConfig(
  config: ExperimentConfig,
  options: RunConfigOptions = {},
): Promise<ConfigRunResult> {
  const full = await loadData(config);
  // Hashed once for every run of the config (only tracked runs record it); unreadable: none.
  const context: ConfigRunContext = {
    dataset: options.apiUrl
      ? fingerprintDataset(datasetFiles(config)).catch((err: unknown) => {
          console.warn(`dataset fingerprint left out: ${(err as Error).message}`);
          return null;
        })
      : null,
  };
  const seeds = config.training.seeds ?? [config.training.seed ?? 42];
  const runs: ConfigRunRecord[] = [];
  const name = config.name ?? config.preset.name;
  const transfer = config.transfer;
  if (!transfer) {
    for (const seed of seeds) {
      options.onRunStart?.(`${name}, seed ${seed}`);
      const result = await trainExperiment({
        ...baseOptions(config, options, seed, context),
        dataset: targetData(config, full, seed),
        runName: seeds.length > 1 ? `${name} seed ${seed}` : config.name,
      });
      runs.push({ role: 'train', seed, result });
    }
    return { runs };
  }
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'convscope-base-'));
  try {
    for (const seed of seeds)
      runs.push(
        ...(await transferRuns({ config, options, full, transfer, seed, scratchDir, context })),
      );
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
  const mean = (role: ConfigRunRecord['role']) => {
    const acc = runs.filter((r) => r.role === role).map((r) => r.result.testAccuracy);
    return acc.length ? acc.reduce((a, b) => a + b, 0) / acc.length : undefined;
  };
  const transferMean = mean('transfer')!;
  const scratchMean = mean('scratch');
  return {
    runs,
    comparison: {
      seeds,
      transfer: transferMean,
      scratch: scratchMean,
      difference: scratchMean === undefined ? undefined : transferMean - scratchMean,
    },
  };
}

/** Options of {@link trainQueuedRun}: a config run's options plus the queued run and its stop. */
export type QueuedRunOptions = RunConfigOptions &
  Pick<TrainExperimentOptions, 'client' | 'failRunOnError' | 'systemMetrics'> & {
    /** The queued run to train into. */
    runId: string;
    /** The queue worker holding its job. */
    workerId?: string;
    /** The job attempt that worker holds (claimJob's attempt). */
    attempt?: number;
    /** Cancel or lost lease: training stops within a batch. */
    signal?: AbortSignal;
  };

/** Hyperparameter overrides that are fields of the config's `training:` section. */
const TRAINING_KEYS = new Set([
  'epochs',
  'batchSize',
  'learningRate',
  'seed',
  'patience',
  'validationSplit',
  'trainLimit',
  'testLimit',
  'uncertaintyPasses',
  'augmentation',
]);

/**
 * A queued run's experiment file with its flat hyperparameter overrides applied (training
 * fields into `training:`, `optimizer` into `model.optimizer.type`), validated.
 * @throws ConfigError naming the field: a job that can never run (not worth a retry)
 */
export function queuedRunConfig(file: unknown, hyperparameters?: unknown): ExperimentConfig {
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new ConfigError('config', 'expected an experiment file object');
  const raw = { ...(file as Record<string, unknown>) };
  if (hyperparameters !== undefined && hyperparameters !== null) {
    if (typeof hyperparameters !== 'object' || Array.isArray(hyperparameters))
      throw new ConfigError('hyperparameters', 'expected an object of overrides');
    const training = { ...(raw.training as Record<string, unknown> | undefined) };
    for (const [key, value] of Object.entries(hyperparameters)) {
      if (TRAINING_KEYS.has(key)) training[key] = value;
      else if (key === 'optimizer') {
        const model = { ...(raw.model as Record<string, unknown> | undefined) };
        model.optimizer = { ...(model.optimizer as object | undefined), type: value };
        raw.model = model;
      } else
        throw new ConfigError(
          `hyperparameters.${key}`,
          `unknown hyperparameter; allowed: ${[...TRAINING_KEYS, 'optimizer'].join(', ')}`,
        );
    }
    raw.training = training;
  }
  const config = validateExperimentConfig(raw);
  if ((config.training.seeds?.length ?? 1) > 1)
    throw new ConfigError('training.seeds', 'a queued run trains one seed; queue one run per seed');
  if (config.transfer && typeof config.transfer.base !== 'string')
    throw new ConfigError(
      'transfer.base',
      'a queued run cannot pretrain its base; give a model path or URL',
    );
  if (config.transfer?.compareWithScratch)
    throw new ConfigError(
      'transfer.compareWithScratch',
      'a queued run trains one run; queue the scratch run separately',
    );
  return config;
}

/**
 * Trains one queued run (a worker's TRAIN job) into the existing run `runId`: a plain config,
 * or a transfer config from a given base. The run's project, name and tags are the queued run's.
 */
export async function trainQueuedRun(
  config: ExperimentConfig,
  options: QueuedRunOptions,
): Promise<TrainExperimentResult> {
  const full = await loadData(config);
  const seed = config.training.seeds?.[0] ?? config.training.seed ?? 42;
  const context: ConfigRunContext = {
    dataset: options.apiUrl ? fingerprintDataset(datasetFiles(config)).catch(() => null) : null,
  };
  const transfer = config.transfer;
  const base = transfer?.base;
  return trainExperiment({
    ...baseOptions(config, options, seed, context),
    dataset: targetData(config, full, seed),
    createModel:
      transfer && typeof base === 'string'
        ? transferFactory(config.preset, transfer, base)
        : undefined,
  });
}
