import * as tf from '@tensorflow/tfjs';
import { createAugmenter, type AugmentationConfig, type Augmenter } from '../data/augment';
import type { ImageSplit } from '../data/dataset';
import {
  createMemorySource,
  isImageSource,
  type ImageBatch,
  type ImageSource,
} from '../data/image-source';
import { seededPermutation } from '../util/rng';
import { batchTensors, makeBatch, sliceOrder, type LabelEncoding } from './batches';

/** Metrics of one epoch, named as in Keras. */
export interface EpochLogs {
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  /** Wall time of the epoch (training and validation), seconds. */
  epoch_time_s: number;
  /** Training throughput of the epoch (images / training seconds). */
  train_images_per_s: number;
}

/** Progress after one training batch. */
export interface BatchInfo {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Global step: batches seen since the start of training. */
  step: number;
  loss: number;
  accuracy: number;
}

/** Hooks called during training, in the style of Keras callbacks. Any may be async. */
export interface TrainingCallbacks {
  onTrainBegin?(info: {
    epochs: number;
    batchesPerEpoch: number;
    trainCount: number;
  }): void | Promise<void>;
  /** Called before the first batch of each epoch (0-based). */
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(info: BatchInfo): void | Promise<void>;
  /** Return `'stop'` to end training after this epoch. */
  onEpochEnd?(epoch: number, logs: EpochLogs): void | 'stop' | Promise<void | 'stop'>;
  onTrainEnd?(result: FitResult): void | Promise<void>;
}

/**
 * Runs the optimizer steps on replicas of the model elsewhere (the data-parallel trainer's worker
 * threads) instead of on `model` itself; see {@link FitOptions.trainer}.
 */
export interface BatchTrainer {
  /** One optimizer step on every sample of `batch`; its mean loss and accuracy. */
  trainBatch(batch: ImageBatch): Promise<{ loss: number; accuracy: number }>;
  /** Copies the trained weights into `model`. */
  syncModel(model: tf.LayersModel): Promise<void>;
}

/** Options of {@link fitModel}. */
export interface FitOptions {
  /**
   * Training images (bytes) and labels: in memory, or an {@link ImageSource} read batch by batch
   * (the next batch is read while the current one trains).
   */
  train: ImageSplit | ImageSource;
  /** Validation data; without it val_* metrics, early stopping and checkpoints are skipped. */
  validation?: ImageSplit | ImageSource;
  /** Image shape `[height, width, channels]`. */
  shape: [number, number, number];
  numClasses: number;
  /** Label encoding matching the model's loss (default one-hot). */
  encoding?: LabelEncoding;
  epochs: number;
  batchSize: number;
  /** Seed of the per-epoch shuffles, and of the augmentation unless it has its own (default 42). */
  seed?: number;
  /**
   * Random augmentation of training batches (validation is never augmented). Its `rescale`
   * (default 1/255) scales training and validation pixels alike.
   */
  augmentation?: AugmentationConfig;
  /** Stop when val_loss has not improved for this many epochs (default: never). */
  earlyStoppingPatience?: number;
  /** Minimum decrease of val_loss that counts as an improvement (default 0). */
  minDelta?: number;
  /** Restore the weights of the best val_loss epoch at the end (default true). */
  restoreBestWeights?: boolean;
  /** Called whenever val_loss improves, with the model holding the new best weights. */
  onBestCheckpoint?(epoch: number, logs: EpochLogs, model: tf.LayersModel): void | Promise<void>;
  callbacks?: TrainingCallbacks;
  /**
   * Trains elsewhere (data parallelism): `model` gets the trained weights after each epoch's
   * training batches, before validation and the epoch's callbacks read it. Not with augmentation.
   */
  trainer?: BatchTrainer;
}

/** What {@link fitModel} returns. */
export interface FitResult {
  history: EpochLogs[];
  /** Index of the epoch with the lowest val_loss (or the last epoch without validation). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** What one epoch needs, resolved once from {@link FitOptions}. */
interface EpochPlan {
  train: ImageSource;
  validation?: ImageSource;
  shape: [number, number, number];
  numClasses: number;
  encoding: LabelEncoding;
  batchSize: number;
  batchesPerEpoch: number;
  seed: number;
  rescale?: number;
  augmenter?: Augmenter;
  callbacks: TrainingCallbacks;
  trainer?: BatchTrainer;
}

function planEpochs(options: FitOptions): EpochPlan {
  const { batchSize, shape } = options;
  const seed = options.seed ?? 42;
  if (options.train.count === 0) throw new Error('the training split is empty');
  if (!(batchSize >= 1)) throw new RangeError(`batch size must be >= 1, got ${batchSize}`);
  const train = asSource(options.train, shape);
  // The replicas scale bytes themselves; they never see augmented pixels.
  if (options.trainer && options.augmentation)
    throw new Error('a batch trainer (data parallelism) cannot train with augmentation');
  return {
    train,
    validation: options.validation ? asSource(options.validation, shape) : undefined,
    shape,
    numClasses: options.numClasses,
    encoding: options.encoding ?? 'one-hot',
    batchSize,
    batchesPerEpoch: Math.ceil(train.count / batchSize),
    seed,
    rescale: options.augmentation?.rescale,
    augmenter: options.augmentation
      ? createAugmenter({ config: options.augmentation, shape, seed })
      : undefined,
    callbacks: options.callbacks ?? {},
    trainer: options.trainer,
  };
}

/**
 * The best epoch so far by val_loss (training loss without validation), its weights when they are
 * to be restored, and the epochs since it (early stopping's patience counter).
 */
class BestEpoch {
  private best = Infinity;
  epoch = -1;
  sinceBest = 0;
  private weights: tf.Tensor[] | null = null;

  constructor(
    private readonly minDelta: number,
    private readonly keepWeights: boolean,
  ) {}

  /** Records an epoch's logs; true when it is the new best. */
  update(epoch: number, logs: EpochLogs, model: tf.LayersModel): boolean {
    const monitored = logs.val_loss ?? logs.loss;
    if (!(monitored < this.best - this.minDelta)) {
      this.sinceBest++;
      return false;
    }
    this.best = monitored;
    this.epoch = epoch;
    this.sinceBest = 0;
    if (this.keepWeights) {
      this.weights?.forEach((t) => t.dispose());
      this.weights = model.getWeights().map((w) => w.clone());
    }
    return true;
  }

  /** Puts the best weights back unless the last epoch was the best. */
  restore(model: tf.LayersModel, epochsRun: number): void {
    if (this.weights && this.epoch !== epochsRun - 1) model.setWeights(this.weights);
  }

  dispose(): void {
    this.weights?.forEach((t) => t.dispose());
    this.weights = null;
  }
}

/**
 * Trains a compiled model (Keras-like `fit`): seeded shuffles, per-epoch metrics, early stopping
 * on val_loss with patience and best-weights restore. Batches are built from bytes on the fly,
 * so memory stays proportional to the dataset in bytes, not in floats.
 */
export async function fitModel(model: tf.LayersModel, options: FitOptions): Promise<FitResult> {
  const { epochs } = options;
  const plan = planEpochs(options);
  const { validation, callbacks } = plan;
  const restoreBest = options.restoreBestWeights ?? true;
  const history: EpochLogs[] = [];
  const best = new BestEpoch(options.minDelta ?? 0, restoreBest && validation !== undefined);
  const patience = options.earlyStoppingPatience;
  let stoppedEarly = false;
  const counter = { step: 0 };
  await callbacks.onTrainBegin?.({
    epochs,
    batchesPerEpoch: plan.batchesPerEpoch,
    trainCount: plan.train.count,
  });
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      await callbacks.onEpochBegin?.(epoch);
      const logs = await runEpoch({ model, plan, epoch, counter });
      history.push(logs);
      if (best.update(epoch, logs, model) && validation)
        await options.onBestCheckpoint?.(epoch, logs, model);
      const verdict = await callbacks.onEpochEnd?.(epoch, logs);
      if (verdict === 'stop') break;
      if (validation && patience !== undefined && best.sinceBest > patience) {
        stoppedEarly = true;
        break;
      }
    }
    best.restore(model, history.length);
  } finally {
    best.dispose();
  }
  const result: FitResult = { history, bestEpoch: Math.max(best.epoch, 0), stoppedEarly };
  await callbacks.onTrainEnd?.(result);
  return result;
}

/** One epoch to run: the model, the plan, which epoch, and the step count kept across epochs. */
interface EpochRun {
  model: tf.LayersModel;
  plan: EpochPlan;
  epoch: number;
  /** Optimizer steps so far over all epochs (onBatchEnd's `step`); trainBatches advances it. */
  counter: { step: number };
}

/** One epoch: every training batch in a seeded order, then the validation metrics. */
async function runEpoch(run: EpochRun): Promise<EpochLogs> {
  const { model, plan } = run;
  const t0 = performance.now();
  const { lossSum, accSum, seen } = await trainBatches(run);
  await plan.trainer?.syncModel(model);
  const trainSeconds = (performance.now() - t0) / 1000;
  const logs: EpochLogs = {
    loss: lossSum / seen,
    accuracy: accSum / seen,
    epoch_time_s: 0,
    train_images_per_s: seen / trainSeconds,
  };
  const { validation } = plan;
  if (validation && validation.count > 0) {
    const v = await evaluateSource(model, validation, {
      shape: plan.shape,
      numClasses: plan.numClasses,
      encoding: plan.encoding,
      rescale: plan.rescale,
    });
    logs.val_loss = v.loss;
    logs.val_accuracy = v.accuracy;
  }
  logs.epoch_time_s = (performance.now() - t0) / 1000;
  return logs;
}

/** The training batches of one epoch; sums of loss and accuracy weighted by batch size. */
async function trainBatches({
  model,
  plan,
  epoch,
  counter,
}: EpochRun): Promise<{ lossSum: number; accSum: number; seen: number }> {
  const { train, batchSize, batchesPerEpoch } = plan;
  const order = seededPermutation(train.count, plan.seed + epoch);
  let lossSum = 0;
  let accSum = 0;
  let seen = 0;
  const read = (b: number) =>
    quiet(
      train.readBatch(sliceOrder(order, b * batchSize, Math.min(train.count, (b + 1) * batchSize))),
    );
  let next = read(0);
  for (let b = 0; b < batchesPerEpoch; b++) {
    const batch = await next;
    // Prefetch: the next read (decoding on sharp's threads) overlaps this batch's step.
    if (b + 1 < batchesPerEpoch) next = read(b + 1);
    if (batch.count === 0) continue; // every file of the batch was skipped as unreadable
    const { loss, accuracy } = await trainOneBatch(model, batch, plan);
    if (!Number.isFinite(loss)) {
      throw new Error(`training diverged: loss is ${loss} at epoch ${epoch + 1}, batch ${b + 1}`);
    }
    lossSum += loss * batch.count;
    accSum += accuracy * batch.count;
    seen += batch.count;
    counter.step++;
    await plan.callbacks.onBatchEnd?.({
      epoch,
      batch: b,
      batchesPerEpoch,
      step: counter.step,
      loss,
      accuracy,
    });
    // Backends resolve data() in a microtask, so without this the loop would never let timers
    // (heartbeats) or I/O run until the epoch ends.
    await yieldToEventLoop();
  }
  return { lossSum, accSum, seen };
}

/** One optimizer step on a batch (augmented when the plan says so); its tensors are freed. */
async function trainOneBatch(
  model: tf.LayersModel,
  batch: ImageBatch,
  plan: EpochPlan,
): Promise<{ loss: number; accuracy: number }> {
  if (plan.trainer) return plan.trainer.trainBatch(batch);
  const { xs, ys } = batchTensors(batch, {
    shape: plan.shape,
    numClasses: plan.numClasses,
    encoding: plan.encoding,
    rescale: plan.rescale,
    pixels: plan.augmenter?.augment(batch.images, batch.count),
  });
  let out: number | number[];
  try {
    out = await model.trainOnBatch(xs, ys);
  } finally {
    xs.dispose();
    ys.dispose();
  }
  const [loss = NaN, accuracy = NaN] = Array.isArray(out) ? out : [out];
  return { loss, accuracy };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function asSource(data: ImageSplit | ImageSource, shape: [number, number, number]): ImageSource {
  if (!isImageSource(data)) return createMemorySource({ split: data, shape });
  const [h, w, c] = data.shape;
  if (h !== shape[0] || w !== shape[1] || c !== shape[2]) {
    throw new RangeError(
      `source images are [${data.shape.join(', ')}], the model expects [${shape.join(', ')}]`,
    );
  }
  return data;
}

// A prefetched read may reject after training has stopped for another reason; marking it handled
// avoids an unhandled rejection, while awaiting it still throws.
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Options of {@link evaluateSplit} and {@link evaluateSource}. */
export interface EvaluateOptions {
  /** Image shape `[height, width, channels]`. */
  shape: [number, number, number];
  numClasses: number;
  /** Label encoding matching the model's loss (default one-hot). */
  encoding?: LabelEncoding;
  /** Images per prediction batch (default 256). */
  batchSize?: number;
  /** Multiplier of the pixel bytes (default: divide by 255). */
  rescale?: number;
}

/**
 * {@link evaluateSplit} over an {@link ImageSource}, reading the next batch while the current
 * one is predicted. Samples skipped as unreadable do not count.
 */
export async function evaluateSource(
  model: tf.LayersModel,
  source: ImageSource,
  options: EvaluateOptions,
): Promise<{ loss: number; accuracy: number }> {
  const batchSize = options.batchSize ?? 256;
  const read = (start: number) => {
    const idx: number[] = [];
    for (let i = start; i < Math.min(source.count, start + batchSize); i++) idx.push(i);
    return quiet(source.readBatch(idx));
  };
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  let next: Promise<ImageBatch> | undefined = source.count > 0 ? read(0) : undefined;
  for (let start = 0; next; start += batchSize) {
    const batch: ImageBatch = await next;
    next = start + batchSize < source.count ? read(start + batchSize) : undefined;
    if (batch.count === 0) continue;
    const [l, c] = scoreBatch(model, batch, options);
    lossSum += l;
    correct += c;
    seen += batch.count;
  }
  return { loss: lossSum / seen, accuracy: correct / seen };
}

// Summed cross-entropy and hit count of a whole batch; its tensors are freed by tidy.
function scoreBatch(
  model: tf.LayersModel,
  batch: ImageSplit,
  options: EvaluateOptions,
  indices?: number[],
): [number, number] {
  const encoding = options.encoding ?? 'one-hot';
  return tf.tidy(() => {
    const opts = {
      shape: options.shape,
      numClasses: options.numClasses,
      encoding,
      rescale: options.rescale,
    };
    const { xs, ys } = indices ? makeBatch(batch, indices, opts) : batchTensors(batch, opts);
    // The whole batch in one call (predict's default of 32 splits it into several passes per layer).
    const p = (model.predict(xs, { batchSize: xs.shape[0] }) as tf.Tensor2D).clipByValue(
      1e-7,
      1 - 1e-7,
    );
    if (encoding === 'binary') {
      const loss = ys
        .mul(p.log())
        .add(tf.scalar(1).sub(ys).mul(tf.scalar(1).sub(p).log()))
        .neg()
        .sum();
      const hits = p.greater(0.5).cast('float32').equal(ys).sum();
      return [scalarValue(loss), scalarValue(hits)];
    }
    const loss = ys.mul(p.log()).sum().neg();
    const hits = p.argMax(1).equal(ys.argMax(1)).sum();
    return [scalarValue(loss), scalarValue(hits)];
  });
}

function scalarValue(t: tf.Tensor): number {
  const [v] = t.dataSync();
  if (v === undefined) throw new Error('expected a scalar, got an empty tensor');
  return v;
}

/**
 * Loss and accuracy of a model on a split, in inference mode (dropout off), batched.
 * Loss is the mean categorical (or binary) cross-entropy with Keras's epsilon clipping.
 */
export function evaluateSplit(
  model: tf.LayersModel,
  split: ImageSplit,
  options: EvaluateOptions,
): { loss: number; accuracy: number } {
  const batchSize = options.batchSize ?? 256;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const idx: number[] = [];
    for (let i = start; i < Math.min(split.count, start + batchSize); i++) idx.push(i);
    const [l, c] = scoreBatch(model, split, options, idx);
    lossSum += l;
    correct += c;
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}
