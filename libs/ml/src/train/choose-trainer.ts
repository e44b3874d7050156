/**
 * Whether `npm run train` trains on one thread or with the data-parallel trainer (worker threads
 * on the wasm backend), and why. In 'auto' mode (the default) the data-parallel trainer is used
 * where the selected backend is plain 'wasm', more than one core is available and it measures
 * faster than one thread on the run's own first batches.
 */
import { availableParallelism } from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import type { BackendSelection } from '../backend/select-backend';
import { compiledOptimizer } from '../backend/tf-internals';
import type { ImageSplit } from '../data/dataset';
import {
  createMemorySource,
  isImageSource,
  type ImageBatch,
  type ImageSource,
} from '../data/image-source';
import { buildModel } from '../models/build-model';
import type { ModelPreset } from '../models/presets';
import { batchTensors, type LabelEncoding } from './batches';
import {
  createDataParallelTrainer,
  defaultWorkerCount,
  type DataParallelOptions,
  type DataParallelTrainer,
} from './data-parallel';
import { dataParallelBatchTrainer, type DisposableBatchTrainer } from './data-parallel-loop';

/** 'on' and 'off' force the choice; 'auto' measures (see the module comment). */
export type DataParallelMode = 'auto' | 'on' | 'off';

/** The environment variable that sets the mode when the options do not. */
export const DATA_PARALLEL_ENV = 'CONVSCOPE_DATA_PARALLEL';

const MODES: readonly string[] = ['auto', 'on', 'off'];

/**
 * Fewest optimizer steps for which 'auto' considers data parallelism: starting the workers and
 * measuring both paths takes a few seconds, which a shorter run cannot win back (and short test
 * runs keep the single-threaded path, bit for bit as before).
 */
export const AUTO_MIN_STEPS = 200;

/**
 * The mode: `option` if given, else `$CONVSCOPE_DATA_PARALLEL`, else 'auto'.
 * @throws RangeError for a value that is not auto, on or off
 */
export function dataParallelMode(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
): DataParallelMode {
  const value = option ?? env[DATA_PARALLEL_ENV] ?? 'auto';
  if (!MODES.includes(value))
    throw new RangeError(
      `data parallelism must be auto, on or off (${option === undefined ? DATA_PARALLEL_ENV : 'dataParallel'}=${value})`,
    );
  return value as DataParallelMode;
}

/** Layers whose result would change with the batch split over replicas. */
const BATCH_DEPENDENT = new Set(['batchNormalization']);

/**
 * Why the data-parallel trainer cannot train this run the way one thread would, or null when it
 * can. The replicas rebuild the preset from its layer specs, scale pixel bytes themselves and
 * train one phase.
 */
export function dataParallelUnsupported(run: {
  preset: ModelPreset;
  customModel: boolean;
  augmentation: boolean;
  phases: number;
}): string | null {
  if (run.customModel) return 'the model is built by createModel, not from a preset';
  if (run.augmentation) return 'augmentation is on';
  if (run.phases !== 1) return 'the run trains in several phases';
  const layer = run.preset.layers.find((l) => BATCH_DEPENDENT.has(l.type));
  if (layer) return `${layer.type} statistics would be per replica`;
  return null;
}

/** One training step of a candidate, timed by {@link compareThroughput}. */
export type TimedStep = (batch: ImageBatch) => Promise<unknown>;

/**
 * Images per second of each candidate on the same batches: `warmup` untimed steps each, then
 * every remaining batch on one candidate and then the other, each step timed on its own, so a
 * change in the machine's load during the measurement slows both alike.
 * @param now clock in milliseconds (injectable for tests); read before and after every timed step
 */
export async function compareThroughput(options: {
  single: TimedStep;
  parallel: TimedStep;
  batches: ImageBatch[];
  warmup: number;
  now?: () => number;
}): Promise<{ single: number; parallel: number }> {
  const { batches, warmup, single, parallel } = options;
  const now = options.now ?? (() => performance.now());
  const timed = batches.slice(warmup);
  if (timed.length === 0) throw new RangeError('no batches left to time after the warm-up');
  for (const b of batches.slice(0, warmup)) await single(b);
  for (const b of batches.slice(0, warmup)) await parallel(b);
  const ms = { single: 0, parallel: 0 };
  const time = async (step: TimedStep, b: ImageBatch) => {
    const t0 = now();
    await step(b);
    return now() - t0;
  };
  for (const b of timed) {
    ms.single += await time(single, b);
    ms.parallel += await time(parallel, b);
  }
  const images = timed.reduce((a, b) => a + b.count, 0);
  const rate = (t: number) => images / (Math.max(t, 1e-9) / 1000);
  return { single: rate(ms.single), parallel: rate(ms.parallel) };
}

/** Options of {@link chooseTrainer}. */
export interface ChooseTrainerOptions {
  mode: DataParallelMode;
  backend: BackendSelection;
  preset: ModelPreset;
  /** What the replicas (and the single-thread probe) are built with, as the run's model. */
  model: { numClasses: number; seed: number; learningRate?: number; trainSize?: number };
  /** Why the run cannot use data parallelism, from {@link dataParallelUnsupported}. */
  unsupported: string | null;
  /** The run's training data (the measured batches are its first samples). */
  train: ImageSplit | ImageSource;
  batchSize: number;
  /** Optimizer steps the run plans (epochs x batches per epoch); see {@link AUTO_MIN_STEPS}. */
  steps: number;
  encoding: LabelEncoding;
  /** Worker threads (default: one per core, at most 4). */
  workers?: number;
  /** Cores of the machine (default `os.availableParallelism()`); auto needs more than one. */
  cores?: number;
  /** Steps timed per candidate in auto mode (default 3), after `warmup` untimed ones (default 1). */
  measureBatches?: number;
  warmup?: number;
  /** Millisecond clock of the measurement (default `performance.now`). */
  now?: () => number;
}

/** What {@link chooseTrainer} decided. */
export interface TrainerChoice {
  /** The data-parallel trainer to train with, or undefined for the single-threaded path. */
  trainer?: DisposableBatchTrainer;
  /** One clause for the backend selection's reason, or null when there was nothing to decide. */
  note: string | null;
  /** Measured images/s of both paths (auto mode with a measurement only). */
  measured?: { single: number; parallel: number };
}

/**
 * Decides between one thread and the data-parallel trainer (see the module comment). In auto
 * mode both are measured on the run's first batches: the single thread on a throwaway model
 * built like the run's, the data-parallel trainer on its replicas, which are then reset to their
 * initial weights, so the run trains from the same start either way.
 */
export async function chooseTrainer(options: ChooseTrainerOptions): Promise<TrainerChoice> {
  const { mode, backend, unsupported } = options;
  if (mode === 'off') return { note: 'one thread (data parallelism off)' };
  if (unsupported !== null)
    return {
      note: mode === 'on' ? `one thread: data parallelism was asked for but ${unsupported}` : null,
    };
  const cores = options.cores ?? availableParallelism();
  const workers = options.workers ?? defaultWorkerCount();
  if (mode === 'auto') {
    if (backend.backend !== 'wasm' || options.steps < AUTO_MIN_STEPS) return { note: null };
    if (cores < 2 || workers < 2) return { note: `one thread (${cores} core available)` };
  }
  const trainer = await createDataParallelTrainer(trainerOptions(options, workers));
  const described = `data-parallel on ${workers} worker threads`;
  if (mode === 'on')
    return {
      trainer: dataParallelBatchTrainer(trainer),
      note: `${described} (forced on${backend.backend === 'wasm' ? '' : `; the replicas run wasm, not ${backend.backend}`})`,
    };
  try {
    const measured = await measure(options, trainer);
    const ratio = measured.parallel / measured.single;
    const figures = `${fmt(measured.parallel)} vs ${fmt(measured.single)} images/s, measured at start`;
    if (ratio > 1)
      return {
        trainer: dataParallelBatchTrainer(trainer),
        note: `${described}: ${ratio.toFixed(2)}x one thread (${figures})`,
        measured,
      };
    await trainer.dispose();
    return {
      note: `one thread: ${described} measured ${ratio.toFixed(2)}x (${figures})`,
      measured,
    };
  } catch (err) {
    await trainer.dispose();
    throw err;
  }
}

function fmt(rate: number): string {
  return rate.toFixed(rate < 100 ? 1 : 0);
}

function trainerOptions(options: ChooseTrainerOptions, workers: number): DataParallelOptions {
  return {
    preset: options.preset,
    numClasses: options.model.numClasses,
    seed: options.model.seed,
    learningRate: options.model.learningRate,
    trainSize: options.model.trainSize,
    workers,
  };
}

/** Both paths' throughput on the run's first batches; the trainer is reset afterwards. */
async function measure(
  options: ChooseTrainerOptions,
  trainer: DataParallelTrainer,
): Promise<{ single: number; parallel: number }> {
  const warmup = options.warmup ?? 1;
  const batches = await firstBatches(options, warmup + (options.measureBatches ?? 3));
  const probe = buildModel(options.preset, options.model);
  const tensorOptions = {
    shape: options.preset.inputShape,
    numClasses: options.model.numClasses,
    encoding: options.encoding,
  };
  try {
    const result = await compareThroughput({
      batches,
      warmup,
      now: options.now,
      single: async (batch) => {
        const { xs, ys } = batchTensors(batch, tensorOptions);
        try {
          await probe.trainOnBatch(xs, ys);
        } finally {
          xs.dispose();
          ys.dispose();
        }
      },
      parallel: (batch) => trainer.step(batch, identity(batch.count)),
    });
    await trainer.reset();
    return result;
  } finally {
    disposeModel(probe);
  }
}

/** `count` batches of the run's batch size, from its first samples (wrapping around). */
async function firstBatches(options: ChooseTrainerOptions, count: number): Promise<ImageBatch[]> {
  const source = isImageSource(options.train)
    ? options.train
    : createMemorySource({ split: options.train, shape: options.preset.inputShape });
  const size = Math.max(1, Math.min(options.batchSize, source.count));
  const out: ImageBatch[] = [];
  for (let b = 0; b < count; b++)
    out.push(
      await source.readBatch(Array.from({ length: size }, (_, i) => (b * size + i) % source.count)),
    );
  return out;
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function disposeModel(model: tf.LayersModel): void {
  const optimizer = compiledOptimizer(model);
  model.dispose();
  optimizer?.dispose();
}
