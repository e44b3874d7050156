import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fmnistCnnFromPreset, randomValues, relError, rng } from './test-helpers';
import { initWasmBackend } from './wasm-setup';

const L = tf.layers;

interface Preset {
  name: string;
  inputShape: [number, number, number];
  classes: number;
  loss: 'categoricalCrossentropy' | 'binaryCrossentropy';
  optimizer: () => tf.Optimizer;
  build: () => tf.Sequential;
}

/** fmnist-cnn from its preset, dropout rate 0 so a training step is deterministic. */
const fmnistCnn = (): tf.Sequential => fmnistCnnFromPreset({ dropoutRate: 0 });

const presets: Preset[] = [
  {
    name: 'fmnist-cnn (Adam)',
    inputShape: [28, 28, 1],
    classes: 10,
    loss: 'categoricalCrossentropy',
    optimizer: () => tf.train.adam(1e-3),
    build: fmnistCnn,
  },
  {
    name: 'strided/valid conv + batchnorm + avgpool + GAP + sigmoid (RMSprop)',
    inputShape: [15, 15, 3],
    classes: 1,
    loss: 'binaryCrossentropy',
    optimizer: () => tf.train.rmsprop(1e-3),
    build: () =>
      tf.sequential({
        layers: [
          L.conv2d({
            inputShape: [15, 15, 3],
            filters: 8,
            kernelSize: 3,
            strides: 2,
            padding: 'valid',
          }),
          L.batchNormalization(),
          L.leakyReLU({ alpha: 0.1 }),
          L.averagePooling2d({ poolSize: 2, padding: 'same' }),
          L.conv2d({ filters: 6, kernelSize: 2, padding: 'same', activation: 'elu' }),
          L.globalAveragePooling2d({}),
          L.dense({ units: 1, activation: 'sigmoid' }),
        ],
      }),
  },
  {
    name: 'xception-style separable/depthwise (SGD)',
    inputShape: [12, 12, 3],
    classes: 4,
    loss: 'categoricalCrossentropy',
    optimizer: () => tf.train.sgd(0.05),
    build: () =>
      tf.sequential({
        layers: [
          L.conv2d({
            inputShape: [12, 12, 3],
            filters: 8,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'relu',
          }),
          L.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
          L.batchNormalization(),
          L.activation({ activation: 'relu' }),
          L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }),
          L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
          L.flatten(),
          L.dropout({ rate: 0 }),
          L.dense({ units: 4, activation: 'softmax' }),
        ],
      }),
  },
];

/** One trainOnBatch on `backend` from the given weights; returns the loss and all weights after. */
async function trainStep(
  backend: 'cpu' | 'wasm',
  preset: Preset,
  weights: Float32Array[] | null,
  batch: number,
): Promise<{ loss: number; initial: Float32Array[]; after: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = preset.build();
  model.compile({ optimizer: preset.optimizer(), loss: preset.loss });
  if (weights !== null) {
    const ws = model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape));
    model.setWeights(ws);
    tf.dispose(ws);
  }
  const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const x = tf.tensor(randomValues([batch, ...preset.inputShape], 11), [
    batch,
    ...preset.inputShape,
  ]);
  const r = rng(5);
  const labels = Array.from({ length: batch }, () => Math.floor(r() * Math.max(2, preset.classes)));
  const y =
    preset.classes === 1
      ? tf.tensor2d(
          labels.map((l) => [l % 2]),
          [batch, 1],
        )
      : tf.oneHot(tf.tensor1d(labels, 'int32'), preset.classes);
  const loss = (await model.trainOnBatch(x, y)) as number;
  const after = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([x, y]);
  model.dispose();
  return { loss, initial, after };
}

beforeAll(async () => {
  await initWasmBackend();
});

describe('one training step: wasm matches cpu', () => {
  it.each(presets)(
    '$name',
    async (preset) => {
      const batch = 8;
      const cpu = await trainStep('cpu', preset, null, batch);
      const wasm = await trainStep('wasm', preset, cpu.initial, batch);
      expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
      expect(wasm.after.length).toBe(cpu.after.length);
      for (let i = 0; i < cpu.after.length; i++) {
        // Weights moved (the step did something) and moved the same way on both backends.
        expect(relError(wasm.after[i]!, cpu.after[i]!), `weight ${i}`).toBeLessThan(1e-4);
      }
      const moved = cpu.after.some((w, i) => relError(w, cpu.initial[i]!) > 1e-6);
      expect(moved).toBe(true);
      // The cpu-backend reference step of fmnist-cnn alone takes ~40 s, past the 60 s default
      // on a busy machine (74 s seen at load 22).
    },
    180_000,
  );

  it('a training step leaks no tensors on wasm', async () => {
    await tf.setBackend('wasm');
    const model = fmnistCnn();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([4, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10);
    await model.trainOnBatch(x, y); // creates optimizer slots
    const before = tf.memory().numTensors;
    await model.trainOnBatch(x, y);
    await model.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
