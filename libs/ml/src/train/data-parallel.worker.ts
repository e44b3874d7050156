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

/** A loss function as the compiled model holds it (per-sample losses). */
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

const STOCHASTIC = new Set(['dropout', 'mcDropout', 'gaussianSampling']);
/** Offset of the noise seeds per rank: far beyond any seed + layer index + step count. */
const RANK_SEED_STRIDE = 1_000_003;

const port = parentPort!;
const cfg = workerData as WorkerConfig;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

await initWasmBackend();
const model = buildReplica();
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const sizes = vars.map((v) => v.size);
const paramCount = sizes.reduce((a, b) => a + b, 0);
// Sequential delegates training to its inner LayersModel, which holds the compiled loss.
const trained = sequentialInner(model);
const lossFn = compiledLoss(trained);
const batchOptions: BatchOptions = {
  shape: cfg.preset.inputShape,
  numClasses: cfg.numClasses,
  encoding: cfg.preset.loss === 'binaryCrossentropy' ? 'binary' : 'one-hot',
  rescale: cfg.rescale,
};

let grads: Float32Array | null = null;
let losses: Float64Array | null = null;
let ctl: Int32Array | null = null;
const mean = new Float32Array(paramCount);

/**
 * The preset's model with the seed's initial weights. Other ranks rebuild with offset noise
 * seeds and copy the initial weights over, so their dropout masks differ from rank 0's while
 * the weights start identical.
 */
function buildReplica(): tf.Sequential {
  const opts = {
    numClasses: cfg.numClasses,
    learningRate: cfg.learningRate,
    trainSize: cfg.trainSize,
  };
  const base = buildModel(cfg.preset, { ...opts, seed: cfg.seed });
  if (cfg.rank === 0 || !cfg.preset.layers.some((l) => STOCHASTIC.has(l.type))) return base;
  const replica = buildModel(cfg.preset, { ...opts, seed: cfg.seed + cfg.rank * RANK_SEED_STRIDE });
  replica.setWeights(base.getWeights());
  base.dispose();
  return replica;
}

function compiledLoss(m: tf.LayersModel): LossFn {
  const [fn] = m.lossFunctions;
  if (!fn) throw new Error('the replica has no compiled loss');
  return fn;
}

/** The quantity `model.trainOnBatch` minimises: mean loss plus regularisation losses. */
function totalLoss(xs: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  const out = trained.apply(xs, { training: true }) as tf.Tensor;
  let total = tf.mean(lossFn(ys, out));
  for (const r of trained.calculateLosses()) total = tf.add(total, r);
  return total as tf.Scalar;
}

/**
 * Waits until all workers have arrived for this step (the counter only grows, so the target
 * is `workers * step`). Polls the abort flag every second so a failed peer cannot hang us.
 */
function barrier(control: Int32Array, target: number): void {
  if (Atomics.add(control, CTL_ARRIVED, 1) + 1 >= target) Atomics.notify(control, CTL_ARRIVED);
  for (;;) {
    if (Atomics.load(control, CTL_ABORT) !== 0)
      throw new Error('data-parallel step aborted: another worker failed');
    const seen = Atomics.load(control, CTL_ARRIVED);
    if (seen >= target) return;
    Atomics.wait(control, CTL_ARRIVED, seen, 1000);
  }
}

function step(msg: Extract<ToWorker, { type: 'step' }>): number {
  if (!grads || !losses || !ctl) throw new Error('step before attach');
  const { rank, workers } = cfg;
  const count = msg.counts[rank] ?? 0;
  const slot = grads.subarray(rank * paramCount, (rank + 1) * paramCount);
  if (count > 0) {
    const split = { images: msg.images, labels: msg.labels, count };
    const { xs, ys } = makeBatch(
      split,
      Int32Array.from({ length: count }, (_, i) => i),
      batchOptions,
    );
    const { value, grads: g } = model.optimizer.computeGradients(() => totalLoss(xs, ys), vars);
    let offset = 0;
    for (const v of vars) {
      const t = g[v.name];
      // A variable the loss does not reach gets a zero gradient, as in a single process.
      if (t) slot.set(t.dataSync(), offset);
      else slot.fill(0, offset, offset + v.size);
      offset += v.size;
    }
    losses[rank] = value.dataSync()[0] ?? NaN;
    tf.dispose([xs, ys, value, ...Object.values(g)]);
  } else {
    slot.fill(0);
    losses[rank] = 0;
  }
  barrier(ctl, workers * msg.step);
  // Weighted by shard size, summed in rank order: every replica computes the same bits, and
  // the result is the gradient of the whole batch's mean loss.
  const total = msg.counts.reduce((a, b) => a + b, 0);
  const w = msg.counts.map((n) => n / total);
  if (w.length !== workers) throw new Error(`${w.length} shard sizes for ${workers} workers`);
  // Hot loop: grads holds workers * paramCount floats and w one weight per worker (checked).
  for (let i = 0; i < paramCount; i++) {
    let s = 0;
    for (let k = 0; k < workers; k++) s += grads[k * paramCount + i]! * w[k]!;
    mean[i] = s;
  }
  let loss = 0;
  for (let k = 0; k < workers; k++) loss += losses[k]! * w[k]!;
  const named: Record<string, tf.Tensor> = {};
  let offset = 0;
  for (const v of vars) {
    named[v.name] = tf.tensor(mean.subarray(offset, offset + v.size), v.shape);
    offset += v.size;
  }
  model.optimizer.applyGradients(named);
  tf.dispose(Object.values(named));
  return loss;
}

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'attach') {
      grads = new Float32Array(msg.grads);
      losses = new Float64Array(msg.losses);
      ctl = new Int32Array(msg.ctl);
      send({ type: 'attached' });
    } else if (msg.type === 'step') {
      send({ type: 'stepDone', loss: step(msg) });
    } else {
      const weights = model
        .getWeights()
        .map((t) => Float32Array.from(t.dataSync() as Float32Array));
      send(
        { type: 'weights', weights },
        weights.map((a) => a.buffer),
      );
    }
  } catch (err) {
    send({ type: 'error', message: `replica ${cfg.rank}: ${(err as Error).message}` });
  }
});
send({ type: 'ready', paramCount });
