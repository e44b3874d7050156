import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../backend/wasm-setup';
import type { ImageSplit } from '../data/dataset';
import { buildModel } from '../models/build-model';
import { getPreset, type ModelPreset } from '../models/presets';
import { makeBatch } from './batches';
import { createDataParallelTrainer, type DataParallelTrainer } from './data-parallel';

const fmnist = getPreset('fmnist-cnn');
/** fmnist-cnn without dropout: the single-process reference then draws no noise at all. */
const noDropout: ModelPreset = {
  ...fmnist,
  layers: fmnist.layers.map((l) => (l.type === 'dropout' ? { ...l, rate: 0 } : l)),
};
const noDropoutSgd: ModelPreset = { ...noDropout, optimizer: { type: 'sgd', learningRate: 0.05 } };

function randomSplit(count: number, seed: number): ImageSplit {
  let a = seed >>> 0;
  const next = () => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) >>> 24;
  const images = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = next();
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10);
  return { images, labels, count };
}

const split = randomSplit(40, 3);
const batchIndices = (step: number, size: number) =>
  Array.from({ length: size }, (_, i) => (step * size + i) % split.count);

/**
 * Largest relative difference over the weight tensors: per tensor, max |a - b| / max |b|
 * ('max') or ||a - b|| / ||b|| ('l2').
 */
function relativeDiff(a: Float32Array[], b: Float32Array[], norm: 'max' | 'l2'): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((x, t) => {
    const y = b[t] ?? new Float32Array(0);
    expect(x.length).toBe(y.length);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      // Same lengths (asserted above): both reads are in range.
      const [xi, yi] = [x[i]!, y[i]!];
      const d = Math.abs(xi - yi);
      if (norm === 'max') {
        diff = Math.max(diff, d);
        scale = Math.max(scale, Math.abs(yi));
      } else {
        diff += d * d;
        scale += yi * yi;
      }
    }
    worst = Math.max(worst, norm === 'max' ? diff / scale : Math.sqrt(diff / scale));
  });
  return worst;
}

/** Threads of this process (Linux), to see worker threads come and go. */
function threadCount(): number | null {
  if (!existsSync('/proc/self/status')) return null;
  return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

/** Trains a single-process model on the same batches; returns its weights and losses. */
async function reference(preset: ModelPreset, batches: number[][]) {
  const model = buildModel(preset, { seed: 7, numClasses: 10 });
  const opts = { shape: preset.inputShape, numClasses: 10, encoding: 'one-hot' as const };
  const losses: number[] = [];
  const accuracies: number[] = [];
  for (const idx of batches) {
    const { xs, ys } = makeBatch(split, idx, opts);
    const [loss = NaN, accuracy = NaN] = (await model.trainOnBatch(xs, ys)) as number[];
    losses.push(loss);
    accuracies.push(accuracy);
    tf.dispose([xs, ys]);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  model.dispose();
  model.optimizer.dispose(); // a passed-in optimizer is not owned by the model
  return { weights, losses, accuracies };
}

describe('createDataParallelTrainer (wasm, worker threads)', () => {
  let trainer: DataParallelTrainer | null = null;

  beforeAll(async () => {
    await initWasmBackend();
  });
  afterEach(async () => {
    await trainer?.dispose();
    trainer = null;
  });

  // With plain SGD the update is linear in the gradient, so this checks the averaged gradient
  // element by element. Adam divides by sqrt(v) + 1e-7, which turns float32 rounding noise in
  // near-zero gradients (different summation order) into differences up to 2e-4 of a few
  // elements; its check is on each tensor's norm (measured below 1e-6).
  it.each([
    ['sgd', noDropoutSgd, 'max'],
    ['adam (the preset)', noDropout, 'l2'],
  ] as const)(
    'matches a single process on the same full batches (%s; 2 workers, batch 8, 3 steps)',
    async (_name, preset, norm) => {
      const batches = [0, 1, 2].map((s) => batchIndices(s, 8));
      const tensorsBefore = tf.memory().numTensors;
      const ref = await reference(preset, batches);
      expect(tf.memory().numTensors).toBe(tensorsBefore);

      trainer = await createDataParallelTrainer({ preset, numClasses: 10, workers: 2, seed: 7 });
      expect(trainer.workers).toBe(2);
      const initial = await trainer.getWeights();
      const losses: number[] = [];
      const accuracies: number[] = [];
      for (const idx of batches) {
        const { loss, accuracy } = await trainer.step(split, idx);
        losses.push(loss);
        accuracies.push(accuracy);
      }
      const weights = await trainer.getWeights();

      // Training moved the weights far more than the tolerance...
      expect(relativeDiff(weights, initial, norm)).toBeGreaterThan(1e-3);
      // ...and the size-weighted mean of the shard gradients is the full-batch gradient.
      expect(relativeDiff(weights, ref.weights, norm)).toBeLessThan(1e-5);
      expect(losses).toHaveLength(ref.losses.length);
      losses.forEach((l, i) => {
        const r = ref.losses[i] ?? NaN;
        expect(Math.abs(l - r) / r).toBeLessThan(1e-5);
      });
      // The compiled 'accuracy' metric, counted over the shards.
      expect(accuracies).toEqual(ref.accuracies.map((a) => expect.closeTo(a, 6)));
    },
  );

  // The shared update runs data-parallel-optimizer.ts on 1/W of the weights per replica; the
  // replicated one the model's own optimizer (fused Adam, stock RMSProp) on all of them. Same
  // float32 operations in the same order: the weights must be the same bits. 3 workers leave
  // slices that cut through a tensor.
  it.each([
    ['adam, with dropout', fmnist],
    ['rmsprop', { ...noDropout, optimizer: { type: 'rmsprop', learningRate: 1e-3 } }],
  ] as const)(
    'shared and replicated updates give bitwise the same weights (%s; 3 workers)',
    async (_name, preset: ModelPreset) => {
      const batches = [0, 1].map((s) => batchIndices(s, 9));
      const result: Float32Array[][] = [];
      for (const update of ['shared', 'replicated'] as const) {
        trainer = await createDataParallelTrainer({
          preset,
          numClasses: 10,
          workers: 3,
          seed: 7,
          update,
        });
        for (const idx of batches) await trainer.trainOnBatch(split, idx);
        result.push(await trainer.getWeights(2));
        await trainer.dispose();
      }
      const [shared = [], replicated = []] = result;
      expect(shared.length).toBeGreaterThan(0);
      expect(shared.length).toBe(replicated.length);
      shared.forEach((a, t) =>
        expect(Buffer.from(a.buffer).equals(Buffer.from(replicated[t]!.buffer))).toBe(true),
      );
    },
  );

  it('reset puts the replicas back to their initial weights and state', async () => {
    trainer = await createDataParallelTrainer({ preset: noDropout, numClasses: 10, workers: 2 });
    const initial = await trainer.getWeights(1);
    const first = [await trainer.trainOnBatch(split, batchIndices(0, 6))];
    first.push(await trainer.trainOnBatch(split, batchIndices(1, 6)));
    await trainer.reset();
    const again = await trainer.getWeights(1);
    again.forEach((a, t) =>
      expect(Buffer.from(a.buffer).equals(Buffer.from(initial[t]!.buffer))).toBe(true),
    );
    // Fresh optimizer state too: the same two steps report the same losses.
    expect(await trainer.trainOnBatch(split, batchIndices(0, 6))).toBe(first[0]);
    expect(await trainer.trainOnBatch(split, batchIndices(1, 6))).toBe(first[1]);
  });

  it('weights unequal shards by size (batch 5 on 2 workers, batch 1 leaves a worker idle)', async () => {
    const batches = [batchIndices(0, 5), [11], batchIndices(3, 5)];
    const ref = await reference(noDropoutSgd, batches);
    trainer = await createDataParallelTrainer({
      preset: noDropoutSgd,
      numClasses: 10,
      workers: 2,
      seed: 7,
    });
    for (const idx of batches) await trainer.trainOnBatch(split, idx);
    expect(relativeDiff(await trainer.getWeights(), ref.weights, 'max')).toBeLessThan(1e-5);
  });

  // 3 replicas: with 2, a + b == b + a would hide a rank-dependent summation order.
  it('keeps the replicas bitwise identical with dropout on (3 workers)', async () => {
    trainer = await createDataParallelTrainer({
      preset: fmnist,
      numClasses: 10,
      workers: 3,
      seed: 7,
    });
    const batches = [0, 1, 2].map((s) => batchIndices(s, 9));
    for (const idx of batches)
      expect(Number.isFinite(await trainer.trainOnBatch(split, idx))).toBe(true);
    const [w0, w1, w2] = [
      await trainer.getWeights(0),
      await trainer.getWeights(1),
      await trainer.getWeights(2),
    ];
    for (const other of [w1, w2]) {
      expect(other.length).toBe(w0.length);
      w0.forEach((a, t) => {
        const b = other[t] ?? new Float32Array(0);
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      });
    }
    // Dropout was applied: the weights differ from the same training without it.
    const ref = await reference(noDropout, batches);
    expect(relativeDiff(w0, ref.weights, 'max')).toBeGreaterThan(1e-3);
  });

  it('rejects, without hanging, when the workers cannot build the model', async () => {
    const broken: ModelPreset = { ...noDropout, layers: noDropout.layers.slice(0, -1) };
    await expect(
      createDataParallelTrainer({ preset: broken, numClasses: 10, workers: 2 }),
    ).rejects.toThrow(/last layer must be dense/);
    await expect(
      createDataParallelTrainer({ preset: noDropout, numClasses: 10, workers: 0 }),
    ).rejects.toThrow(/positive integer/);
  });

  it('rejects bad input without breaking, and dispose terminates the workers', async () => {
    trainer = await createDataParallelTrainer({ preset: noDropout, numClasses: 10, workers: 2 });
    await expect(trainer.trainOnBatch(split, [0, split.count])).rejects.toThrow(
      /outside the split/,
    );
    await expect(trainer.getWeights(2)).rejects.toThrow(/no replica 2/);
    expect(Number.isFinite(await trainer.trainOnBatch(split, [0, 1, 2, 3]))).toBe(true);

    const threadsBefore = threadCount();
    await trainer.dispose();
    await trainer.dispose(); // idempotent
    const threadsAfter = threadCount();
    // Both worker threads are gone once dispose resolves.
    if (threadsBefore !== null) expect(threadsBefore - threadsAfter!).toBeGreaterThanOrEqual(2);
    await expect(trainer.trainOnBatch(split, [0, 1])).rejects.toThrow(/disposed/);
    trainer = null;
  });
});
