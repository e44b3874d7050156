import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readablePatternOptions } from './feature-vis/readable';
import { lowFrequencyShare } from './feature-vis/spectrum';
import {
  deprocess,
  filterPatterns,
  fourierBasis,
  irfft2,
  isSizeFree,
  READABLE_REGULARIZERS,
} from './filter-patterns';
import { createRng } from '../util/rng';

/** 1x1 conv on RGB: channel 0 = red - (green + blue) / 2, channel 1 = blue - (red + green) / 2. */
function colourModel(): tf.Sequential {
  const conv = tf.layers.conv2d({
    inputShape: [8, 8, 3],
    filters: 2,
    kernelSize: 1,
    useBias: false,
    name: 'colours',
  });
  const m = tf.sequential({ layers: [conv] });
  // Kernel [1, 1, in = 3, out = 2].
  const kernel = tf.tensor4d([1, -0.5, -0.5, -0.5, -0.5, 1], [1, 1, 3, 2]);
  m.setWeights([kernel]); // copies into the layer's variable
  kernel.dispose();
  return m;
}

/** 3x3 conv + ReLU on grayscale: channel 0 = Sobel x (vertical edges), channel 1 = Sobel y. */
function edgeLayers(): tf.layers.Layer {
  const conv = tf.layers.conv2d({
    filters: 2,
    kernelSize: 3,
    activation: 'relu',
    useBias: false,
    name: 'edges',
  });
  return conv;
}
function setSobel(layer: tf.layers.Layer): void {
  const sobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
  const sobelY = [-1, -2, -1, 0, 0, 0, 1, 2, 1];
  const k = new Float32Array(18);
  for (let i = 0; i < 9; i++) {
    k[2 * i] = sobelX[i]!;
    k[2 * i + 1] = sobelY[i]!;
  }
  const kernel = tf.tensor4d(k, [3, 3, 1, 2]);
  layer.setWeights([kernel]);
  kernel.dispose();
}
function edgeModel(): tf.Sequential {
  const m = tf.sequential({
    layers: [tf.layers.inputLayer({ inputShape: [12, 12, 1] }), edgeLayers()],
  });
  setSobel(m.getLayer('edges'));
  return m;
}

/** Sum of |horizontal| and |vertical| neighbour differences of a one-channel image. */
function gradientEnergy(img: Uint8Array, h: number, w: number): { dx: number; dy: number } {
  let dx = 0;
  let dy = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (x + 1 < w) dx += Math.abs(img[y * w + x + 1]! - img[y * w + x]!);
      if (y + 1 < h) dy += Math.abs(img[(y + 1) * w + x]! - img[y * w + x]!);
    }
  return { dx, dy };
}

function channelMeans(img: Uint8Array): number[] {
  const sums = [0, 0, 0];
  for (let i = 0; i < img.length; i++) sums[i % 3]! += img[i]!;
  return sums.map((s) => s / (img.length / 3));
}

function expectIncreasing(history: number[], final: number): void {
  const all = [...history, final];
  for (let i = 1; i < all.length; i++) expect(all[i]!, `step ${i}`).toBeGreaterThan(all[i - 1]!);
}

describe('filterPatterns', () => {
  let tensorsBefore = 0;
  beforeAll(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterAll(() => {
    // Every model below is disposed by its test; nothing else may remain.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('turns a "red" 1x1 filter into a red image and a "blue" one into a blue image', async () => {
    const model = colourModel();
    const before = tf.memory().numTensors;
    const r = await filterPatterns(model, { layer: 'colours', steps: 20 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.layer).toBe('colours');
    expect(r.shape).toEqual([null, 8, 8, 2]);
    expect(r.channels).toEqual([0, 1]);
    expect(r.imageShape).toEqual([8, 8, 3]);
    expect(r.images[0]).toHaveLength(8 * 8 * 3);
    const [red, blue] = r.images.map(channelMeans);
    if (!red || !blue) throw new Error('expected two patterns');
    expect(red[0]!).toBeGreaterThan(red[1]! + 20);
    expect(red[0]!).toBeGreaterThan(red[2]! + 20);
    expect(blue[2]!).toBeGreaterThan(blue[0]! + 20);
    expect(blue[2]!).toBeGreaterThan(blue[1]! + 20);
    // A linear objective: every step adds stepSize x the RMS-normalised gradient, whose dot
    // product with the gradient is positive, so the activation rises at each step.
    expectIncreasing(r.history[0]!, r.losses[0]!);
    expectIncreasing(r.history[1]!, r.losses[1]!);
    // The gradient is the same everywhere: red - (g + b) / 2 of each pixel grows by
    // stepSize * (1 + 0.25 + 0.25) / rms per step, rms = sqrt(1.5 / 3).
    const perStep = (0.01 * 1.5) / (Math.sqrt(0.5) + 1e-5);
    expect(r.history[0]![10]! - r.history[0]![9]!).toBeCloseTo(perStep, 4);
    model.dispose();
  });

  it('gives an oriented edge detector stripes across its orientation, activation rising', async () => {
    const model = edgeModel();
    const r = await filterPatterns(model, { layer: 'edges', steps: 30 });
    const vertical = gradientEnergy(r.images[0]!, 12, 12);
    const horizontal = gradientEnergy(r.images[1]!, 12, 12);
    // Sobel x answers to changes along x: its pattern varies along x more than along y.
    expect(vertical.dx).toBeGreaterThan(2 * vertical.dy);
    expect(horizontal.dy).toBeGreaterThan(2 * horizontal.dx);
    expectIncreasing(r.history[0]!, r.losses[0]!);
    expectIncreasing(r.history[1]!, r.losses[1]!);
    expect(r.losses[0]).toBeGreaterThan(10 * r.history[0]![0]!);
    model.dispose();
  });

  it('is deterministic for a seed, and batching does not change any image', async () => {
    const model = edgeModel();
    const options = { layer: 'edges', steps: 12, regularizers: READABLE_REGULARIZERS };
    for (const parameterization of ['pixel', 'fourier'] as const) {
      const a = await filterPatterns(model, { ...options, parameterization, seed: 5 });
      const b = await filterPatterns(model, {
        ...options,
        parameterization,
        seed: 5,
        batchSize: 1,
      });
      const c = await filterPatterns(model, { ...options, parameterization, seed: 6 });
      const only1 = await filterPatterns(model, {
        ...options,
        parameterization,
        seed: 5,
        channels: [1],
      });
      expect(b.images).toEqual(a.images);
      expect(b.losses).toEqual(a.losses);
      expect(only1.images[0]).toEqual(a.images[1]);
      expect(only1.history[0]).toEqual(a.history[1]);
      expect(c.images[0]).not.toEqual(a.images[0]);
    }
    model.dispose();
  });

  it('reaches layers inside a nested base model, by path or by name', async () => {
    const base = edgeModel();
    base.name = 'base';
    const input = tf.input({ shape: [12, 12, 1] });
    const features = base.apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(features) as tf.SymbolicTensor;
    const output = tf.layers
      .dense({ units: 2, activation: 'softmax' })
      .apply(pooled) as tf.SymbolicTensor;
    const outer = tf.model({ inputs: input, outputs: output });
    const direct = await filterPatterns(base, { layer: 'edges', steps: 8 });
    const byPath = await filterPatterns(outer, { layer: 'base/edges', steps: 8 });
    const byName = await filterPatterns(outer, { layer: 'edges', steps: 8, channels: [1] });
    expect(byPath.layer).toBe('base/edges');
    expect(byPath.images).toEqual(direct.images);
    expect(byName.images[0]).toEqual(direct.images[1]);
    await expect(filterPatterns(outer, { layer: 'nope' })).rejects.toThrow(
      /unknown layer "nope"; layers: .*base\/edges/,
    );
    await expect(filterPatterns(outer, { layer: 'edges', channels: [2] })).rejects.toThrow(
      'channel 2 is not in [0, 2) for layer "base/edges"',
    );
    outer.dispose();
  });

  it('finds a red pattern with the Fourier parameterisation (colour decorrelated)', async () => {
    const model = colourModel();
    const r = await filterPatterns(model, {
      layer: 'colours',
      steps: 20,
      parameterization: 'fourier',
      channels: [0],
    });
    const [mr = NaN, mg = NaN, mb = NaN] = channelMeans(r.images[0]!);
    expect(mr).toBeGreaterThan(mg + 20);
    expect(mr).toBeGreaterThan(mb + 20);
    expect(r.losses[0]!).toBeGreaterThan(r.history[0]![0]!);
    model.dispose();
  });
});

/**
 * 64 images 16 x 16 of stripes, horizontal (class 0) or vertical (class 1), period 3 to 6 px
 * and a random phase, for a tiny convnet to learn oriented filters from.
 */
function stripes(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = createRng(11);
  const n = 64;
  const data = new Float32Array(n * 16 * 16);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const period = 3 + Math.floor(rng() * 4);
    const phase = rng() * period;
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++)
        data[(i * 16 + y) * 16 + x] =
          0.5 + 0.5 * Math.sin((2 * Math.PI * ((cls ? x : y) + phase)) / period);
    labels.push(cls);
  }
  return {
    x: tf.tensor4d(data, [n, 16, 16, 1]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2).toFloat() as tf.Tensor2D),
  };
}

/** conv(8) - pool - conv(8) - global average - dense(2), seeded, trained 8 epochs on stripes. */
async function trainedTinyModel(): Promise<tf.LayersModel> {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [16, 16, 1],
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        name: 'conv1',
      }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
        name: 'conv2',
      }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const { x, y } = stripes();
  await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe('readable filter patterns (Fourier, decorrelated, robust, larger canvas)', () => {
  let model: tf.LayersModel | undefined;
  // Training takes a few seconds on a loaded machine.
  beforeAll(async () => {
    model = await trainedTinyModel();
  }, 60_000);
  afterAll(() => model?.dispose());
  const trained = (): tf.LayersModel => {
    if (!model) throw new Error('the tiny model did not train');
    return model;
  };

  it('reach a higher activation than the plain method in as many steps, and are smoother than noise', async () => {
    const before = tf.memory().numTensors;
    // Uniform noise on the same canvas: the low-frequency share of an unstructured image.
    const rng = createRng(5);
    const noise = Uint8Array.from({ length: 32 * 32 }, () => Math.floor(rng() * 256));
    const noiseShare = lowFrequencyShare(noise, { shape: [32, 32, 1] });
    expect(noiseShare).toBeLessThan(0.25);
    for (const layer of ['conv1', 'conv2']) {
      expect(isSizeFree(trained(), layer)).toBe(true);
      const steps = 20; // the pack's default
      const plain = await filterPatterns(trained(), { layer, steps });
      const readable = await filterPatterns(trained(), {
        layer,
        steps,
        ...readablePatternOptions({ inputSize: [16, 16], sizeFree: true }),
      });
      expect(readable.imageShape).toEqual([32, 32, 1]);
      // Mean activation of each channel on its own final pattern (mean over the canvas); measured
      // 0.48 vs 0.38 (conv1) and 2.98 vs 2.40 (conv2).
      expect(mean(readable.losses), `${layer} activation`).toBeGreaterThan(
        1.1 * mean(plain.losses),
      );
      const live = readable.losses.filter((v, i) => v > 0 || plain.losses[i]! > 0);
      const wins = readable.losses.filter((v, i) => v > plain.losses[i]!).length;
      expect(wins, `${layer}: channels where readable wins`).toBeGreaterThanOrEqual(
        Math.ceil(0.75 * live.length),
      );
      const shares = readable.images.map((img) => lowFrequencyShare(img, { shape: [32, 32, 1] }));
      // Measured 0.61 (conv1) and 0.69 (conv2) against 0.17 for the noise.
      expect(mean(shares), `${layer} low-frequency share`).toBeGreaterThan(2 * noiseShare);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic, batch-independent, and refuses a canvas the layer cannot take', async () => {
    const options = {
      layer: 'conv2',
      steps: 6,
      ...readablePatternOptions({ inputSize: [16, 16], sizeFree: true }),
    };
    const a = await filterPatterns(trained(), { ...options, seed: 3 });
    const b = await filterPatterns(trained(), { ...options, seed: 3, batchSize: 3 });
    const one = await filterPatterns(trained(), { ...options, seed: 3, channels: [5] });
    expect(b.images).toEqual(a.images);
    expect(one.images[0]).toEqual(a.images[5]);
    // A layer behind a dense layer takes only the input size.
    const input = tf.input({ shape: [16, 16, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 64 }).apply(flat) as tf.SymbolicTensor;
    const back = tf.layers.reshape({ targetShape: [8, 8, 1] }).apply(dense) as tf.SymbolicTensor;
    const conv = tf.layers
      .conv2d({ filters: 2, kernelSize: 3, name: 'late' })
      .apply(back) as tf.SymbolicTensor;
    const behind = tf.model({ inputs: input, outputs: conv });
    expect(isSizeFree(behind, 'late')).toBe(false);
    await expect(filterPatterns(behind, { layer: 'late', size: [32, 32] })).rejects.toThrow(
      'layer "late" is not reached through convolutions and pooling alone: a 32x32 pattern needs the input size 16x16',
    );
    behind.dispose();
  });
});

describe('deprocess', () => {
  it("is Chollet's deprocess_image", () => {
    // mean 2, std sqrt(2/3) of [1, 2, 3]; (x - 2) / std * 0.1 + 0.5 = 0.3775, 0.5, 0.6225.
    const s = Math.sqrt(2 / 3) + 1e-5;
    expect(Array.from(deprocess([1, 2, 3]))).toEqual(
      [0.5 - 0.1 / s, 0.5, 0.5 + 0.1 / s].map((v) => Math.floor(v * 255)),
    );
    // One outlier among n values is sqrt(n - 1) standard deviations out: clipped for n = 51;
    // the others are at -1 / sqrt(n - 1).
    const d = deprocess([...new Array<number>(50).fill(0), 100]);
    expect(d[50]).toBe(255);
    expect(d[0]).toBe(Math.floor((0.5 - 0.1 / Math.sqrt(50)) * 255));
    expect(deprocess([...new Array<number>(50).fill(0), -100])[50]).toBe(0);
  });
});

interface IrfftCase {
  h: number;
  w: number;
  re: number[];
  im: number[];
  x: number[];
  scale: number[];
}

describe('irfft2', () => {
  // numpy.fft.irfft2 and Lucid's spectrum scale, written by fixtures/make_irfft2_fixture.py.
  const cases = (
    JSON.parse(readFileSync(new URL('./fixtures/irfft2.json', import.meta.url), 'utf8')) as {
      cases: IrfftCase[];
    }
  ).cases;
  it.each(cases.map((c) => [`${c.h}x${c.w}`, c] as const))('matches numpy for %s', (_, c) => {
    const before = tf.memory().numTensors;
    const basis = fourierBasis(c.h, c.w);
    const wf = Math.floor(c.w / 2) + 1;
    const re = tf.tensor3d(c.re, [1, c.h, wf]);
    const im = tf.tensor3d(c.im, [1, c.h, wf]);
    const x = irfft2(re, im, basis);
    const got = x.dataSync();
    c.x.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    const scale = basis.scale.dataSync();
    c.scale.forEach((v, i) => expect(scale[i]! / v).toBeCloseTo(1, 5));
    tf.dispose([re, im, x]);
    basis.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
