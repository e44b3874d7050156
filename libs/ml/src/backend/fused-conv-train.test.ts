import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILTER_BIAS_GRAD_KERNEL, fusedTrainingConv2d } from './fused-conv-train';
import { onednnAddonBuilt } from './onednn/addon';
import { ONEDNN } from './onednn/kernels';
import { initOnednnBackend } from './onednn/setup';
import { randomValues, relError } from './test-helpers';
import { layerFactory } from './tf-internals';
import { initWasmBackend } from './wasm-setup';

interface Case {
  name: string;
  x: [number, number, number, number];
  filters: number;
  kernelSize: number;
  strides: number;
  padding: 'same' | 'valid';
  activation: 'relu' | 'linear';
  useBias: boolean;
}

const CASES: Case[] = [
  {
    name: 'relu same',
    x: [2, 7, 7, 3],
    filters: 4,
    kernelSize: 3,
    strides: 1,
    padding: 'same',
    activation: 'relu',
    useBias: true,
  },
  {
    name: 'relu valid stride 2',
    x: [3, 9, 8, 2],
    filters: 5,
    kernelSize: 3,
    strides: 2,
    padding: 'valid',
    activation: 'relu',
    useBias: true,
  },
  {
    name: 'linear same',
    x: [2, 6, 6, 3],
    filters: 4,
    kernelSize: 3,
    strides: 1,
    padding: 'same',
    activation: 'linear',
    useBias: true,
  },
  {
    name: 'relu, no bias',
    x: [2, 6, 5, 3],
    filters: 4,
    kernelSize: 2,
    strides: 1,
    padding: 'same',
    activation: 'relu',
    useBias: false,
  },
  // From 8 input channels the bias gradient rides along oneDNN's backward weights (blocked
  // layouts: 12 and 10 channels are padded to 16).
  {
    name: 'relu same stride 2, 12 -> 10 channels',
    x: [3, 9, 10, 12],
    filters: 10,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    activation: 'relu',
    useBias: true,
  },
  // Large enough for the native kernels' threaded paths.
  {
    name: 'relu same, larger',
    x: [8, 16, 16, 8],
    filters: 16,
    kernelSize: 3,
    strides: 1,
    padding: 'same',
    activation: 'relu',
    useBias: true,
  },
];

type Made = { layer: tf.layers.Layer; vars: tf.Variable[] };
type Factory = (config: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer;

/** The layer built on `x`'s shape with weights from fixed seeds (the same for both layers). */
function make(factory: Factory, c: Case): Made {
  const { name: _name, x, ...config } = c;
  const layer = factory({ ...config, inputShape: x.slice(1) });
  layer.build(x);
  const weights = layer
    .getWeights()
    .map((w, i) => tf.tensor(randomValues(w.shape, 50 + i), w.shape));
  layer.setWeights(weights);
  tf.dispose(weights);
  return { layer, vars: layer.trainableWeights.map((w) => w.read() as tf.Variable) };
}

/** Forward output and the gradients of sum(y * dy) for x and every weight, as plain arrays. */
function forwardAndGrads(factory: Factory, c: Case): Float32Array[] {
  const { layer, vars } = make(factory, c);
  const xv = tf.variable(tf.tensor(randomValues(c.x, 7), c.x));
  const out = tf.tidy(() => {
    const y = layer.apply(xv) as tf.Tensor;
    const dy = tf.tensor(randomValues(y.shape, 9), y.shape);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(xv) as tf.Tensor, dy)),
      [xv, ...vars],
    );
    return [y, ...[xv, ...vars].map((v) => grads[v.name]!)].map((t) =>
      Float32Array.from(t.dataSync() as Float32Array),
    );
  });
  xv.dispose();
  layer.weights.forEach((w) => w.dispose());
  return out;
}

const BACKENDS = ['cpu', 'wasm', ...(onednnAddonBuilt() ? [ONEDNN] : [])];

describe('Conv2D with bias and relu fused in training', () => {
  beforeAll(async () => {
    await initWasmBackend();
    if (onednnAddonBuilt()) await initOnednnBackend();
  });

  describe.each(BACKENDS)('on %s', (backend) => {
    it.each(CASES)('$name: forward and gradients match the stock layer on cpu', async (c) => {
      await tf.setBackend('cpu');
      const stock = forwardAndGrads(tf.layers.conv2d, c);
      await tf.setBackend(backend);
      const fused = forwardAndGrads(layerFactory('conv2d')!, c);
      expect(fused).toHaveLength(c.useBias ? 4 : 3);
      const names = ['y', 'dx', 'dFilter', 'dBias'];
      fused.forEach((f, i) => expect(relError(f, stock[i]!), names[i]).toBeLessThan(1e-4));
    });

    it('runs FusedConv2D recorded, without Add/Relu, and no input gradient for an input', async () => {
      await tf.setBackend(backend);
      const c = CASES[0]!;
      const { layer, vars } = make(fusedTrainingConv2d, c);
      const x = tf.tensor(randomValues(c.x, 3), c.x);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor), vars);
        tf.dispose([value, ...Object.values(grads)]);
      });
      const kernels = profile.kernels.map((k) => k.name);
      expect(kernels).toContain('FusedConv2D');
      expect(kernels).not.toContain('Relu');
      expect(kernels).not.toContain('Conv2D');
      // x is not a variable: its gradient is never computed.
      expect(kernels).not.toContain('Conv2DBackpropInput');
      if (backend === ONEDNN) expect(kernels).toContain(FILTER_BIAS_GRAD_KERNEL);
      else expect(kernels).toContain('Conv2DBackpropFilter');
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      layer.weights.forEach((w) => w.dispose());
    });
  });

  it('is the stock Conv2D for serialisation (class name and config)', () => {
    const c = {
      filters: 3,
      kernelSize: 3,
      activation: 'relu',
      padding: 'same',
      name: 'c1',
    } as const;
    const fused = fusedTrainingConv2d(c);
    const stock = tf.layers.conv2d(c);
    expect(fused.getClassName()).toBe('Conv2D');
    expect(fused.getConfig()).toEqual(stock.getConfig());
    expect(fused).toBeInstanceOf(stock.constructor);
  });
});
