import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  buildModel,
  evaluateSplit,
  fitModel,
  getPreset,
  loadFashionMnist,
  selectBackend,
  type ImageSplit,
  type ModelPreset,
} from '../src/index';
import { itemAt } from '../src/util/checked';

let train: ImageSplit;
let validation: ImageSplit;
const shape: [number, number, number] = [28, 28, 1];

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
  const ds = await loadFashionMnist();
  const take = (s: ImageSplit, n: number): ImageSplit => ({
    images: s.images.subarray(0, n * 784),
    labels: s.labels.subarray(0, n),
    count: n,
  });
  train = take(ds.train, 600);
  validation = take(ds.test, 200);
});

const tiny: ModelPreset = {
  name: 'tiny',
  description: 'test model',
  inputShape: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
  optimizer: { type: 'adam', learningRate: 3e-3 },
  loss: 'categoricalCrossentropy',
  batchSize: 32,
  epochs: 3,
};

describe('fitModel', () => {
  it('learns (accuracy well above chance), logs every epoch and leaks no tensors', async () => {
    const model = buildModel(tiny, { seed: 1 });
    // Warm-up: the optimizer creates its slot variables (Adam's moments) on the first step; they belong to the model.
    await fitModel(model, {
      train: { ...train, count: 32 },
      shape,
      numClasses: 10,
      epochs: 1,
      batchSize: 32,
    });
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const result = await fitModel(model, {
      train,
      validation,
      shape,
      numClasses: 10,
      epochs: 3,
      batchSize: 32,
      callbacks: { onEpochEnd: (e) => void epochs.push(e) },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(epochs).toEqual([0, 1, 2]);
    expect(result.history).toHaveLength(3);
    const last = itemAt(result.history, 2, 'epoch');
    expect(last.loss).toBeLessThan(itemAt(result.history, 0, 'epoch').loss);
    expect(last.val_accuracy).toBeGreaterThan(0.5);
    for (const h of result.history) {
      expect(h.epoch_time_s).toBeGreaterThan(0);
      expect(h.train_images_per_s).toBeGreaterThan(0);
    }
    model.dispose();
  });

  it('is reproducible: the same seed gives the same loss curve', async () => {
    const run = async () => {
      const m = buildModel(tiny, { seed: 5 });
      const r = await fitModel(m, {
        train,
        validation,
        shape,
        numClasses: 10,
        epochs: 2,
        batchSize: 64,
        seed: 3,
      });
      m.dispose();
      return r.history.map((h) => h.val_loss);
    };
    const [a, b] = [await run(), await run()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
  });

  it('stops early when val_loss stops improving and restores the best weights', async () => {
    // A learning rate far too high makes val_loss blow up after the first epoch.
    const model = buildModel(
      { ...tiny, optimizer: { type: 'sgd', learningRate: 0.5 } },
      { seed: 2 },
    );
    const result = await fitModel(model, {
      train,
      validation,
      shape,
      numClasses: 10,
      epochs: 20,
      batchSize: 32,
      earlyStoppingPatience: 1,
    }).catch((e: Error) => e);
    if (result instanceof Error) {
      expect(result.message).toMatch(/training diverged: loss is NaN/);
    } else {
      expect(result.stoppedEarly).toBe(true);
      expect(result.history.length).toBeLessThan(20);
      const best = Math.min(...result.history.map((h) => h.val_loss!));
      expect(itemAt(result.history, result.bestEpoch, 'best epoch').val_loss).toBe(best);
      expect(evaluateSplit(model, validation, { shape, numClasses: 10 }).loss).toBeCloseTo(best, 4);
    }
    model.dispose();
  });

  it('evaluateSplit matches a hand computation of cross-entropy and accuracy', () => {
    const model = buildModel(tiny, { seed: 9 });
    const { loss, accuracy } = evaluateSplit(model, validation, {
      shape,
      numClasses: 10,
      batchSize: 64,
    });
    const x = tf.tensor4d(
      Float32Array.from(validation.images, (v) => v / 255),
      [validation.count, 28, 28, 1],
    );
    const p = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    let ce = 0;
    let hits = 0;
    p.forEach((row, i) => {
      const y = itemAt(validation.labels, i, 'label');
      ce -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, itemAt(row, y, 'probability'))));
      if (row.indexOf(Math.max(...row)) === y) hits++;
    });
    expect(loss).toBeCloseTo(ce / validation.count, 4);
    expect(accuracy).toBe(hits / validation.count);
    x.dispose();
    model.dispose();
  });

  it('refuses a bad batch size and an empty training split', async () => {
    const model = buildModel(tiny);
    await expect(
      fitModel(model, { train, shape, numClasses: 10, epochs: 1, batchSize: 0 }),
    ).rejects.toThrow(/batch size must be >= 1/);
    await expect(
      fitModel(model, {
        train: { ...train, count: 0 },
        shape,
        numClasses: 10,
        epochs: 1,
        batchSize: 8,
      }),
    ).rejects.toThrow(/training split is empty/);
    model.dispose();
  });
});

describe('presets', () => {
  it('fmnist-cnn trains a step on wasm', async () => {
    const model = buildModel(getPreset('fmnist-cnn'));
    const r = await fitModel(model, {
      train: { ...train, count: 64 },
      shape,
      numClasses: 10,
      epochs: 1,
      batchSize: 64,
    });
    expect(Number.isFinite(itemAt(r.history, 0, 'epoch').loss)).toBe(true);
    model.dispose();
  });
});
