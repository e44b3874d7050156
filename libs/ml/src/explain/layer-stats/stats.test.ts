import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import fixture from './fixtures/gradients.json';
import { deadUnits, isReluLayer, LayerStatsProbe, lossFunction, weightedLayers } from './stats';

// Frozen by fixtures/make_layer_stats_fixture.py: the same network and batch in PyTorch (float64
// autograd) - conv 3x3x3 valid ReLU -> flatten -> dense 5 ReLU -> dense 4 softmax.
function fixtureModel(options: { l2?: number } = {}): tf.LayersModel {
  const w = fixture.weights;
  const reg = options.l2 ? { kernelRegularizer: tf.regularizers.l2({ l2: options.l2 }) } : {};
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        name: 'conv',
        inputShape: fixture.inputShape,
        filters: 3,
        kernelSize: 3,
        activation: 'relu',
        weights: [tensor(w['conv/kernel']), tensor(w['conv/bias'])],
        ...reg,
      }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({
        name: 'hidden',
        units: 5,
        activation: 'relu',
        weights: [tensor(w['hidden/kernel']), tensor(w['hidden/bias'])],
      }),
      tf.layers.dropout({ name: 'dropout', rate: 0.5 }),
      tf.layers.dense({
        name: 'out',
        units: 4,
        activation: 'softmax',
        weights: [tensor(w['out/kernel']), tensor(w['out/bias'])],
      }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return model;
}

function tensor(t: { shape: number[]; values: number[] }): tf.Tensor {
  return tf.tensor(t.values, t.shape);
}

function probeBatch() {
  return {
    xs: tf.tensor4d(fixture.x, [fixture.labels.length, 6, 6, 1]),
    ys: tf.oneHot(fixture.labels, 4).toFloat() as tf.Tensor2D,
  };
}

function relClose(actual: number, expected: number, tol = 1e-4): void {
  expect(Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12)).toBeLessThanOrEqual(
    tol,
  );
}

describe('LayerStatsProbe against PyTorch', () => {
  it('gives the loss, gradient norms, weight norms and dead units of the reference, leaving no tensor', async () => {
    const model = fixtureModel();
    const probe = new LayerStatsProbe(model);
    const batch = probeBatch();
    const before = tf.memory().numTensors;
    const r = await probe.compute(batch, { bins: 30 });
    expect(tf.memory().numTensors).toBe(before);
    relClose(r.loss, fixture.loss);
    expect(r.layers.map((l) => l.name)).toEqual(['conv', 'hidden', 'out']);
    for (const l of r.layers) {
      const ref = fixture.layers[l.name as keyof typeof fixture.layers];
      relClose(l.gradNorm!, ref.gradNorm);
      relClose(l.weightNorm, ref.weightNorm, 1e-6);
      for (const t of l.tensors.filter((x) => x.role === 'gradient')) {
        const g = fixture.gradients[`${l.name}/${t.weight}` as keyof typeof fixture.gradients];
        relClose(t.l2, g.l2);
        // Histogram of the gradient: every element counted, extremes those of the reference.
        expect(t.counts.reduce((a, b) => a + b, 0)).toBe(g.values.length);
        expect(Math.abs(t.max - Math.max(...g.values))).toBeLessThanOrEqual(1e-4 * g.l2 + 1e-9);
        expect(Math.abs(t.min - Math.min(...g.values))).toBeLessThanOrEqual(1e-4 * g.l2 + 1e-9);
      }
    }
    // By construction: conv channel 2 and hidden units 0 and 3 have negative weights and bias
    // on non-negative inputs, so they never activate; PyTorch's activations agree.
    expect(r.dead).toEqual([
      { name: 'conv', units: 3, dead: 1, fraction: 1 / 3 },
      { name: 'hidden', units: 5, dead: 2, fraction: 2 / 5 },
    ]);
    expect(fixture.dead).toEqual({ conv: { units: 3, dead: 1 }, hidden: { units: 5, dead: 2 } });
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('is deterministic (dropout off) and adds the L2 regulariser to the loss and gradient', async () => {
    const plain = fixtureModel();
    const reg = fixtureModel({ l2: 0.01 });
    const batch = probeBatch();
    const a = await new LayerStatsProbe(plain).compute(batch);
    const b = await new LayerStatsProbe(plain).compute(batch);
    expect(b).toEqual(a);
    const r = await new LayerStatsProbe(reg).compute(batch);
    // d/dW (0.01 * sum W^2) = 0.02 W on the conv kernel only.
    const k = fixture.weights['conv/kernel'].values;
    relClose(r.loss, fixture.loss + 0.01 * k.reduce((s, v) => s + v * v, 0), 1e-5);
    const kernelGrad = r.layers[0]!.tensors.find(
      (t) => t.weight === 'kernel' && t.role === 'gradient',
    )!;
    const expected = Math.sqrt(
      fixture.gradients['conv/kernel'].values.reduce((s, g, i) => s + (g + 0.02 * k[i]!) ** 2, 0),
    );
    relClose(kernelGrad.l2, expected);
    tf.dispose([batch.xs, batch.ys]);
    plain.dispose();
    reg.dispose();
  });

  it('leaves frozen layers without gradients and lists layers past the time budget', async () => {
    const model = fixtureModel();
    model.getLayer('conv').trainable = false;
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const batch = probeBatch();
    let t = 0;
    const r = await new LayerStatsProbe(model).compute(batch, {
      maxSeconds: 1,
      now: () => (t += 600), // 0.6 s per call: the first layer starts in time, the next do not
    });
    expect(r.layers.map((l) => l.name)).toEqual(['conv']);
    expect(r.layers[0]!.gradNorm).toBeUndefined();
    expect(r.layers[0]!.tensors.map((x) => `${x.weight}:${x.role}`)).toEqual([
      'kernel:value',
      'bias:value',
    ]);
    expect(r.skipped).toEqual([
      { what: 'hidden', reason: 'time budget of 1 s spent' },
      { what: 'out', reason: 'time budget of 1 s spent' },
    ]);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });
});

describe('layer discovery', () => {
  it('finds weighted layers (nested ones prefixed), ReLU layers and the compiled loss', () => {
    const inner = tf.sequential({
      name: 'base',
      layers: [tf.layers.dense({ name: 'd1', units: 2, inputShape: [3], activation: 'relu' })],
    });
    const outer = tf.sequential({
      layers: [inner, tf.layers.reLU({ name: 'act' }), tf.layers.dense({ name: 'head', units: 1 })],
    });
    expect(weightedLayers(outer).map((w) => w.name)).toEqual(['base/d1', 'head']);
    expect(outer.layers.map((l) => isReluLayer(l))).toEqual([false, true, false]);
    expect(() => lossFunction(outer)).toThrow(/unsupported loss/);
    outer.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    expect(lossFunction(outer)).toBe(tf.metrics.binaryCrossentropy);
    outer.dispose();
  });

  it('computes a transfer-style model: a frozen nested base without gradients, its trained head with them', async () => {
    const base = tf.sequential({
      name: 'base',
      layers: [tf.layers.dense({ name: 'd1', units: 4, inputShape: [3], activation: 'relu' })],
    });
    base.trainable = false;
    const model = tf.sequential({
      layers: [base, tf.layers.dense({ name: 'head', units: 2, activation: 'softmax' })],
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const xs = tf.tensor2d([
      [1, 2, 3],
      [0, 1, 0],
    ]);
    const ys = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const before = tf.memory().numTensors;
    const r = await new LayerStatsProbe(model).compute({ xs, ys } as never);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.layers.map((l) => [l.name, l.gradNorm === undefined])).toEqual([
      ['base/d1', true],
      ['head', false],
    ]);
    expect(r.layers[1]!.gradNorm).toBeGreaterThan(0);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('counts a unit dead only when its maximum is not positive', () => {
    expect(deadUnits('x', [0, 1e-30, -2, 3])).toEqual({
      name: 'x',
      units: 4,
      dead: 2,
      fraction: 0.5,
    });
    expect(deadUnits('y', [])).toEqual({ name: 'y', units: 0, dead: 0, fraction: 0 });
  });
});
