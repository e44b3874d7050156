import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { BackendSelection } from '../backend/select-backend';
import { initWasmBackend } from '../backend/wasm-setup';
import type { ImageDataset, ImageSplit } from '../data/dataset';
import { buildModel } from '../models/build-model';
import { getPreset, type ModelPreset } from '../models/presets';
import {
  AUTO_MIN_STEPS,
  chooseTrainer,
  compareThroughput,
  dataParallelMode,
  dataParallelUnsupported,
  type ChooseTrainerOptions,
  type TrainerChoice,
} from './choose-trainer';
import { createDataParallelTrainer } from './data-parallel';
import { dataParallelBatchTrainer } from './data-parallel-loop';
import { fitModel } from './fit';
import { trainExperiment } from './train-experiment';

const fmnist = getPreset('fmnist-cnn');
/** fmnist-cnn without dropout and with plain SGD: one thread and the replicas draw no noise. */
const plain: ModelPreset = {
  ...fmnist,
  layers: fmnist.layers.map((l) => (l.type === 'dropout' ? { ...l, rate: 0 } : l)),
  optimizer: { type: 'sgd', learningRate: 0.05 },
};
const wasm: BackendSelection = { backend: 'wasm', reason: 'test', skipped: [] };

function randomSplit(count: number, seed: number): ImageSplit {
  let a = seed >>> 0;
  const next = () => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) >>> 24;
  const images = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = next();
  const labels = Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10);
  return { images, labels, count };
}

/** Threads of this process (Linux), to see worker threads come and go. */
function threadCount(): number | null {
  if (!existsSync('/proc/self/status')) return null;
  return Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
}

/** Largest per-tensor max |a - b| / max |b|. */
function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((x, t) => {
    const y = b[t] ?? new Float32Array(0);
    expect(x.length).toBe(y.length);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
      scale = Math.max(scale, Math.abs(y[i]!));
    }
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

const weightsOf = (m: tf.LayersModel) =>
  m.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));

function disposeModel(m: tf.LayersModel): void {
  const { optimizer } = m;
  m.dispose();
  optimizer.dispose();
}

describe('dataParallelMode and dataParallelUnsupported', () => {
  it('takes the option, else the environment, else auto, and rejects other values', () => {
    expect(dataParallelMode(undefined, {})).toBe('auto');
    expect(dataParallelMode(undefined, { CONVSCOPE_DATA_PARALLEL: 'off' })).toBe('off');
    expect(dataParallelMode('on', { CONVSCOPE_DATA_PARALLEL: 'off' })).toBe('on');
    expect(() => dataParallelMode(undefined, { CONVSCOPE_DATA_PARALLEL: 'yes' })).toThrow(
      /CONVSCOPE_DATA_PARALLEL=yes/,
    );
  });

  it('says why a run cannot train data-parallel', () => {
    const run = { preset: fmnist, customModel: false, augmentation: false, phases: 1 };
    expect(dataParallelUnsupported(run)).toBeNull();
    expect(dataParallelUnsupported({ ...run, customModel: true })).toMatch(/createModel/);
    expect(dataParallelUnsupported({ ...run, augmentation: true })).toMatch(/augmentation/);
    expect(dataParallelUnsupported({ ...run, phases: 2 })).toMatch(/phases/);
    const bn: ModelPreset = {
      ...fmnist,
      layers: [fmnist.layers[0]!, { type: 'batchNormalization' }, ...fmnist.layers.slice(1)],
    };
    expect(dataParallelUnsupported({ ...run, preset: bn })).toMatch(/batchNormalization/);
  });
});

describe('compareThroughput', () => {
  it('times both candidates on the same batches, alternating after the warm-up', async () => {
    let clock = 0;
    const seen: string[] = [];
    const batch = (count: number) => ({ ...randomSplit(count, 1), skipped: [] });
    const result = await compareThroughput({
      batches: [batch(4), batch(8), batch(8)],
      warmup: 1,
      now: () => clock,
      single: async (b) => {
        seen.push(`s${b.count}`);
        clock += 100; // ms per batch
      },
      parallel: async (b) => {
        seen.push(`p${b.count}`);
        clock += 40;
      },
    });
    // Warm-up on each, then the timed batches alternate.
    expect(seen).toEqual(['s4', 'p4', 's8', 'p8', 's8', 'p8']);
    expect(result.single).toBeCloseTo(16 / 0.2, 6); // 16 timed images in 2 x 100 ms
    expect(result.parallel).toBeCloseTo(16 / 0.08, 6);
  });
});

describe('chooseTrainer and data-parallel training (wasm, worker threads)', () => {
  const split = randomSplit(48, 5);
  let choice: TrainerChoice | null = null;

  beforeAll(async () => {
    await initWasmBackend();
  });
  afterEach(async () => {
    await choice?.trainer?.dispose();
    choice = null;
  });

  const base: ChooseTrainerOptions = {
    mode: 'auto',
    backend: wasm,
    preset: plain,
    model: { numClasses: 10, seed: 3 },
    unsupported: null,
    train: split,
    batchSize: 8,
    steps: 10 * AUTO_MIN_STEPS,
    encoding: 'one-hot',
    workers: 2,
    cores: 2,
  };

  it('keeps one thread without measuring where auto does not apply', async () => {
    const threads = threadCount();
    expect((await chooseTrainer({ ...base, mode: 'off' })).note).toMatch(/off/);
    expect((await chooseTrainer({ ...base, cores: 1 })).note).toMatch(/1 core/);
    expect(await chooseTrainer({ ...base, steps: AUTO_MIN_STEPS - 1 })).toEqual({ note: null });
    const onednn: BackendSelection = { ...wasm, backend: 'onednn' };
    expect(await chooseTrainer({ ...base, backend: onednn })).toEqual({ note: null });
    const forced = await chooseTrainer({ ...base, mode: 'on', unsupported: 'augmentation is on' });
    expect(forced.trainer).toBeUndefined();
    expect(forced.note).toMatch(/asked for but augmentation is on/);
    expect(threadCount()).toBe(threads); // no worker was started
  });

  // One timed batch: the clock is read around the single step, then around the parallel one.
  it.each([
    [
      'data parallelism',
      [0, 100, 0, 50],
      true,
      /data-parallel on 2 worker threads: 2\.00x one thread/,
    ],
    [
      'one thread',
      [0, 50, 0, 100],
      false,
      /one thread: data-parallel on 2 worker threads measured 0\.50x/,
    ],
  ] as const)(
    'auto picks the faster of two fake timings (%s)',
    async (_n, times, parallel, note) => {
      const tensorsBefore = tf.memory().numTensors;
      const clock = [...times];
      choice = await chooseTrainer({ ...base, measureBatches: 1, now: () => clock.shift() ?? NaN });
      expect(clock).toHaveLength(0);
      expect(choice.note).toMatch(note);
      expect(choice.measured?.parallel).toBeCloseTo((parallel ? 2 : 0.5) * choice.measured!.single);
      expect(choice.trainer !== undefined).toBe(parallel);
      // The probe model is gone; a kept trainer was reset to its initial weights.
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      if (choice.trainer) {
        const model = buildModel(plain, { numClasses: 10, seed: 3 });
        const initial = weightsOf(model);
        await choice.trainer.syncModel(model);
        const synced = weightsOf(model);
        expect(synced).toHaveLength(initial.length);
        synced.forEach((w, i) =>
          expect(Buffer.from(w.buffer).equals(Buffer.from(initial[i]!.buffer))).toBe(true),
        );
        disposeModel(model);
      }
    },
  );

  it('fitModel with the data-parallel trainer ends at the weights of one thread', async () => {
    const options = {
      train: split,
      validation: randomSplit(16, 9),
      shape: [28, 28, 1] as [number, number, number],
      numClasses: 10,
    };
    const tensorsBefore = tf.memory().numTensors;
    const single = buildModel(plain, { numClasses: 10, seed: 3 });
    const initial = weightsOf(single);
    const ref = await fitModel(single, { ...options, epochs: 2, batchSize: 12, seed: 4 });
    const trainer = await createDataParallelTrainer({
      preset: plain,
      numClasses: 10,
      workers: 2,
      seed: 3,
    });
    const parallel = buildModel(plain, { numClasses: 10, seed: 3 });
    try {
      const res = await fitModel(parallel, {
        ...options,
        epochs: 2,
        batchSize: 12,
        seed: 4,
        trainer: dataParallelBatchTrainer(trainer),
      });
      expect(maxRelDiff(weightsOf(single), initial)).toBeGreaterThan(1e-3);
      expect(maxRelDiff(weightsOf(parallel), weightsOf(single))).toBeLessThan(1e-5);
      res.history.forEach((h, e) => {
        const r = ref.history[e]!;
        expect(Math.abs(h.loss - r.loss) / r.loss).toBeLessThan(1e-5);
        expect(h.accuracy).toBeCloseTo(r.accuracy, 6);
        expect(Math.abs(h.val_loss! - r.val_loss!) / r.val_loss!).toBeLessThan(1e-5);
      });
    } finally {
      disposeModel(parallel);
      await trainer.dispose();
      disposeModel(single);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('trainExperiment forced on trains like forced off and records the choice', async () => {
    const dataset: ImageDataset = {
      name: 'random',
      height: 28,
      width: 28,
      channels: 1,
      classNames: Array.from({ length: 10 }, (_, i) => `c${i}`),
      train: randomSplit(60, 11),
      test: randomSplit(20, 12),
      source: 'test',
    };
    const run = (dataParallel: 'on' | 'off') =>
      trainExperiment({
        preset: plain,
        dataset,
        backend: 'wasm',
        dataParallel,
        epochs: 2,
        batchSize: 9,
        seed: 5,
        reproducibility: false,
      });
    const tensorsBefore = tf.memory().numTensors;
    const off = await run('off');
    const on = await run('on');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(off.backend.reason).toMatch(/; one thread \(data parallelism off\)$/);
    expect(on.backend.reason).toMatch(/; data-parallel on \d worker threads \(forced on\)$/);
    expect(on.history).toHaveLength(2);
    on.history.forEach((h, e) => {
      const r = off.history[e]!;
      expect(Math.abs(h.loss - r.loss) / r.loss).toBeLessThan(1e-5);
      expect(Math.abs(h.val_loss! - r.val_loss!) / r.val_loss!).toBeLessThan(1e-5);
    });
    expect(Math.abs(on.testLoss - off.testLoss) / off.testLoss).toBeLessThan(1e-5);
  });
});
