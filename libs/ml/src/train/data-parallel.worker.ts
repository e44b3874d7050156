// Worker thread of the data-parallel trainer (data-parallel.ts): one replica on its own wasm
// backend. Started by createDataParallelTrainer; not meant to be imported.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { sequentialInner } from '../backend/tf-internals';
import { initWasmBackend } from '../backend/wasm-setup';
import { buildModel } from '../models/build-model';
import { makeBatch, type BatchOptions } from './batches';
import {
  CTL_ABORT,
  CTL_ARRIVED,
  type FromWorker,
  type ToWorker,
  type WorkerConfig,
} from './data-parallel';
import { sliceOf, sliceOptimizer, type SliceOptimizer } from './data-parallel-optimizer';

/** A loss function as the compiled model holds it (per-sample losses). */
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

const STOCHASTIC = new Set(['dropout', 'mcDropout', 'gaussianSampling']);
/** Offset of the noise seeds per rank: far beyond any seed + layer index + step count. */
const RANK_SEED_STRIDE = 1_000_003;

const port = parentPort!;
const cfg = workerData as WorkerConfig;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const binary = cfg.preset.loss === 'binaryCrossentropy';

await initWasmBackend();

/** The replica and what is derived from it; rebuilt by 'reset'. */
interface Replica {
  model: tf.Sequential;
  /** The compiled inner model (Sequential delegates training to it). */
  trained: tf.LayersModel;
  lossFn: LossFn;
  vars: tf.Variable[];
  /** The shared update's optimizer state for this rank's slice (shared mode only). */
  slice: SliceOptimizer | null;
}

let replica = buildReplica();
const paramCount = replica.vars.reduce((a, v) => a + v.size, 0);
const [lo, hi] = sliceOf(cfg.rank, cfg.workers, paramCount);
const batchOptions: BatchOptions = {
  shape: cfg.preset.inputShape,
  numClasses: cfg.numClasses,
  encoding: binary ? 'binary' : 'one-hot',
  rescale: cfg.rescale,
};

let grads: Float32Array | null = null;
/** Per rank: shard loss and shard hits (float64 pairs). */
let stats: Float64Array | null = null;
/** The current trainable weights, flat (shared mode: every rank writes its slice). */
let weights: Float32Array | null = null;
let ctl: Int32Array | null = null;
/** Barrier rounds passed; the same on every rank, so the arrival target is `workers * rounds`. */
let rounds = 0;
const mean = new Float32Array(cfg.update === 'shared' ? hi - lo : paramCount);

/**
 * The preset's model with the seed's initial weights. Other ranks rebuild with offset noise
 * seeds and copy the initial weights over, so their dropout masks differ from rank 0's while
 * the weights start identical.
 */
function buildReplica(): Replica {
  const opts = {
    numClasses: cfg.numClasses,
    learningRate: cfg.learningRate,
    trainSize: cfg.trainSize,
  };
  let model = buildModel(cfg.preset, { ...opts, seed: cfg.seed });
  if (cfg.rank !== 0 && cfg.preset.layers.some((l) => STOCHASTIC.has(l.type))) {
    const other = buildModel(cfg.preset, {
      ...opts,
      seed: cfg.seed + cfg.rank * RANK_SEED_STRIDE,
    });
    other.setWeights(model.getWeights());
    disposeModel(model);
    model = other;
  }
  const trained = sequentialInner(model);
  const [lossFn] = trained.lossFunctions;
  if (!lossFn) throw new Error('the replica has no compiled loss');
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return { model, trained, lossFn, vars, slice: null };
}

function disposeModel(model: tf.LayersModel): void {
  const { optimizer } = model;
  model.dispose();
  optimizer.dispose(); // compile was given an instance, which the model does not own
}

/** Starts the shared update's state afresh and publishes this rank's slice of the weights. */
function startSharedUpdate(): void {
  if (cfg.update !== 'shared' || !weights) return;
  const { optimizer } = replica.model;
  replica.slice = sliceOptimizer(
    {
      className: optimizer.getClassName(),
      config: optimizer.getConfig(),
    },
    lo,
    hi,
  );
  let offset = 0;
  for (const v of replica.vars) {
    const end = offset + v.size;
    if (end > lo && offset < hi) {
      const data = v.dataSync() as Float32Array;
      const from = Math.max(lo, offset);
      weights.set(data.subarray(from - offset, Math.min(hi, end) - offset), from);
    }
    offset = end;
  }
}

/**
 * The quantity `model.trainOnBatch` minimises: mean loss plus regularisation losses. The
 * predictions are kept (outside the gradient's tidy) for the accuracy.
 */
function totalLoss(xs: tf.Tensor, ys: tf.Tensor, keep: { out?: tf.Tensor }): tf.Scalar {
  const out = replica.trained.apply(xs, { training: true }) as tf.Tensor;
  keep.out = tf.keep(out);
  let total = tf.mean(replica.lossFn(ys, out));
  for (const r of replica.trained.calculateLosses()) total = tf.add(total, r);
  return total as tf.Scalar;
}

/** Correct predictions of a shard, as the compiled 'accuracy' metric counts them. */
function hitsOf(ys: tf.Tensor, out: tf.Tensor): number {
  return tf.tidy(() => {
    const hits = binary
      ? tf.equal(tf.cast(tf.greater(out, 0.5), 'float32'), ys)
      : tf.equal(tf.argMax(ys, -1), tf.argMax(out, -1));
    return tf.sum(tf.cast(hits, 'float32')).dataSync()[0] ?? NaN;
  });
}

/**
 * Waits until all workers have passed `++rounds` barriers (the counter only grows). Polls the
 * abort flag every second so a failed peer cannot hang us.
 */
function barrier(control: Int32Array): void {
  const target = cfg.workers * ++rounds;
  if (Atomics.add(control, CTL_ARRIVED, 1) + 1 >= target) Atomics.notify(control, CTL_ARRIVED);
  for (;;) {
    if (Atomics.load(control, CTL_ABORT) !== 0)
      throw new Error('data-parallel step aborted: another worker failed');
    const seen = Atomics.load(control, CTL_ARRIVED);
    if (seen >= target) return;
    Atomics.wait(control, CTL_ARRIVED, seen, 1000);
  }
}

/** Computes this rank's shard gradient into its slot, and its loss and hits. */
function shardGradients(msg: Extract<ToWorker, { type: 'step' }>, slot: Float32Array): void {
  const count = msg.counts[cfg.rank] ?? 0;
  if (count === 0) {
    slot.fill(0);
    stats![2 * cfg.rank] = 0;
    stats![2 * cfg.rank + 1] = 0;
    return;
  }
  const split = { images: msg.images, labels: msg.labels, count };
  const { xs, ys } = makeBatch(
    split,
    Int32Array.from({ length: count }, (_, i) => i),
    batchOptions,
  );
  const keep: { out?: tf.Tensor } = {};
  const { vars } = replica;
  const { value, grads: g } = replica.model.optimizer.computeGradients(
    () => totalLoss(xs, ys, keep),
    vars,
  );
  let offset = 0;
  for (const v of vars) {
    const t = g[v.name];
    // A variable the loss does not reach gets a zero gradient, as in a single process.
    if (t) slot.set(t.dataSync(), offset);
    else slot.fill(0, offset, offset + v.size);
    offset += v.size;
  }
  stats![2 * cfg.rank] = value.dataSync()[0] ?? NaN;
  stats![2 * cfg.rank + 1] = keep.out ? hitsOf(ys, keep.out) : NaN;
  tf.dispose([xs, ys, value, ...Object.values(g), ...(keep.out ? [keep.out] : [])]);
}

/**
 * Weighted by shard size, summed in rank order over `[from, to)` into `mean`: every replica
 * computes the same bits, and the result is the gradient of the whole batch's mean loss.
 */
function averageGradients(w: number[], from: number, to: number): void {
  const g = grads!;
  const { workers } = cfg;
  // Hot loop: g holds workers * paramCount floats, w one weight per worker, mean to - from.
  for (let i = from; i < to; i++) {
    let s = 0;
    for (let k = 0; k < workers; k++) s += g[k * paramCount + i]! * w[k]!;
    mean[i - from] = s;
  }
}

/** Every variable set from the shared flat weights. */
function loadSharedWeights(): void {
  let offset = 0;
  for (const v of replica.vars) {
    // slice(): a copy on an ordinary ArrayBuffer, as tensor data is expected to be.
    const t = tf.tensor(weights!.slice(offset, offset + v.size), v.shape);
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
}

function step(msg: Extract<ToWorker, { type: 'step' }>): { loss: number; accuracy: number } {
  if (!grads || !stats || !ctl || !weights) throw new Error('step before attach');
  const { rank, workers } = cfg;
  shardGradients(msg, grads.subarray(rank * paramCount, (rank + 1) * paramCount));
  barrier(ctl);
  const total = msg.counts.reduce((a, b) => a + b, 0);
  const w = msg.counts.map((n) => n / total);
  if (w.length !== workers) throw new Error(`${w.length} shard sizes for ${workers} workers`);
  let loss = 0;
  let hits = 0;
  for (let k = 0; k < workers; k++) {
    loss += stats[2 * k]! * w[k]!;
    hits += stats[2 * k + 1]!;
  }
  if (cfg.update === 'shared') {
    // Reduce-scatter: this rank averages and updates its slice only...
    averageGradients(w, lo, hi);
    replica.slice!.step(weights, mean);
    // ...all-gather: once every slice is written, every rank loads them all.
    barrier(ctl);
    loadSharedWeights();
  } else {
    averageGradients(w, 0, paramCount);
    const named: Record<string, tf.Tensor> = {};
    let offset = 0;
    for (const v of replica.vars) {
      named[v.name] = tf.tensor(mean.subarray(offset, offset + v.size), v.shape);
      offset += v.size;
    }
    replica.model.optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
  }
  return { loss, accuracy: hits / total };
}

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'attach') {
      grads = new Float32Array(msg.grads);
      stats = new Float64Array(msg.stats);
      weights = new Float32Array(msg.weights);
      ctl = new Int32Array(msg.ctl);
      startSharedUpdate();
      send({ type: 'attached' });
    } else if (msg.type === 'step') {
      send({ type: 'stepDone', ...step(msg) });
    } else if (msg.type === 'reset') {
      disposeModel(replica.model);
      replica = buildReplica();
      startSharedUpdate();
      send({ type: 'attached' });
    } else {
      const weightsOut = replica.model
        .getWeights()
        .map((t) => Float32Array.from(t.dataSync() as Float32Array));
      send(
        { type: 'weights', weights: weightsOut },
        weightsOut.map((a) => a.buffer),
      );
    }
  } catch (err) {
    send({ type: 'error', message: `replica ${cfg.rank}: ${(err as Error).message}` });
  }
});
send({ type: 'ready', paramCount });
