/**
 * The steps of a training run as Keras-style callbacks: each concern (metrics to the tracker,
 * checkpoints, the augmentation grid, uncertainty, the explanation pack...) is one object with
 * the hooks it needs, and {@link CallbackList} calls them in list order, awaiting each.
 */
import type * as tf from '@tensorflow/tfjs';
import type { SerializedModel } from '../models/serialize-model';
import type { PhasedFitResult, PhaseName } from '../transfer/phases';
import type { BatchInfo, EpochLogs } from './fit';
import type { TestEvaluation } from './test-evaluation';

/** What `onTrainBegin` sees: the model and the size of the run. */
export interface TrainBeginContext {
  model: tf.LayersModel;
  /** Planned epochs over every phase. */
  epochs: number;
  batchesPerEpoch: number;
  trainCount: number;
}

/** What `onEpochBegin` sees. */
export interface EpochBeginContext {
  model: tf.LayersModel;
  /** 0-based epoch of the run (phases numbered continuously). */
  epoch: number;
  phase: PhaseName;
}

/** What `onBatchEnd` sees: the batch's progress and metrics. */
export interface BatchEndContext extends BatchInfo {
  model: tf.LayersModel;
}

/** What `onEpochEnd` sees: the epoch's metrics and whether it is the best so far. */
export interface EpochEndContext {
  model: tf.LayersModel;
  /** 0-based epoch of the run. */
  epoch: number;
  phase: PhaseName;
  logs: EpochLogs;
  /** True when val_loss improved in this epoch (the model holds the phase's best weights). */
  improved: boolean;
}

/** What `onTrainEnd` sees: the trained model, its history and its test evaluation. */
export interface TrainEndContext {
  model: tf.LayersModel;
  fit: PhasedFitResult;
  /** The test split's evaluation, when the loop was given one to run. */
  test?: TestEvaluation;
  /** The trained model serialised, computed once for every callback that stores it. */
  serialized(): Promise<SerializedModel>;
}

/**
 * One step of a training run. Every hook is optional and may be async; a hook that throws ends
 * the run with its error (the hooks after it are not called).
 */
export interface TrainingCallback {
  /** Short name, for diagnostics and tests. */
  readonly name: string;
  onTrainBegin?(context: TrainBeginContext): void | Promise<void>;
  onEpochBegin?(context: EpochBeginContext): void | Promise<void>;
  onBatchEnd?(context: BatchEndContext): void | Promise<void>;
  /** Return `'stop'` to end training after this epoch (the other callbacks still see it). */
  onEpochEnd?(context: EpochEndContext): void | 'stop' | Promise<void | 'stop'>;
  onTrainEnd?(context: TrainEndContext): void | Promise<void>;
}

/** Calls a list of {@link TrainingCallback}s hook by hook, in order, awaiting each. */
export class CallbackList {
  private readonly callbacks: readonly TrainingCallback[];

  constructor(callbacks: readonly (TrainingCallback | undefined | false)[]) {
    // `undefined`/`false` entries let a composition write `tracker && trackingCallback(...)`.
    this.callbacks = callbacks.filter((c): c is TrainingCallback => Boolean(c));
  }

  /** Names of the callbacks, in call order. */
  get names(): string[] {
    return this.callbacks.map((c) => c.name);
  }

  async trainBegin(context: TrainBeginContext): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(context);
  }

  async epochBegin(context: EpochBeginContext): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(context);
  }

  async batchEnd(context: BatchEndContext): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(context);
  }

  /** `'stop'` when any callback asked to stop; every callback sees the epoch regardless. */
  async epochEnd(context: EpochEndContext): Promise<void | 'stop'> {
    let stop = false;
    for (const c of this.callbacks) if ((await c.onEpochEnd?.(context)) === 'stop') stop = true;
    return stop ? 'stop' : undefined;
  }

  async trainEnd(context: TrainEndContext): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(context);
  }
}
