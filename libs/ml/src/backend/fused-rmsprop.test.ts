import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_RMSPROP_KERNEL, fusedRmsprop } from './fused-rmsprop';
import { onednnAddonBuilt } from './onednn/addon';
import { ONEDNN } from './onednn/kernels';
import { initOnednnBackend } from './onednn/setup';
import { initWasmBackend } from './wasm-setup';

/** Runs `steps` RMSprop steps on fixed variables / gradients and returns the final weights. */
function train(makeOptimizer: () => tf.Optimizer, steps: number): Float32Array[] {
  // The last variable is large enough for the native kernel's threaded path.
  const shapes = [[3, 3, 1, 4], [4], [37, 5], [300, 200]];
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const vars = shapes.map((s) =>
    tf.variable(tf.tensor(Array.from({ length: s.reduce((a, b) => a * b) }, rand), s)),
  );
  const optimizer = makeOptimizer();
  for (let t = 0; t < steps; t++) {
    // Gradients of different scale per step, including zeros and tiny values.
    const grads = vars.map((v, i) =>
      tf.tidy(() => tf.mul(tf.sin(tf.mul(v, t + 1 + i)), t % 3 === 2 ? 1e-6 : 0.5 * (t + 1))),
    );
    optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
    tf.dispose(grads);
  }
  const out = vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  tf.dispose(vars);
  optimizer.dispose();
  return out;
}

const BACKENDS = onednnAddonBuilt() ? ['wasm', ONEDNN] : ['wasm'];

describe('fused RMSprop', () => {
  beforeAll(async () => {
    await initWasmBackend();
    if (onednnAddonBuilt()) await initOnednnBackend();
  });

  const cases = [
    { name: 'defaults', lr: 1e-3, decay: 0.9, momentum: 0 },
    { name: 'momentum 0.9, decay 0.95', lr: 0.01, decay: 0.95, momentum: 0.9 },
  ];
  describe.each(BACKENDS)('on %s', (backend) => {
    it.each(cases)('$name: bitwise the stock optimizer weights', async (c) => {
      await tf.setBackend(backend);
      const stock = train(() => tf.train.rmsprop(c.lr, c.decay, c.momentum), 7);
      const fused = train(
        () => fusedRmsprop({ learningRate: c.lr, decay: c.decay, momentum: c.momentum }),
        7,
      );
      expect(tf.getKernel(FUSED_RMSPROP_KERNEL, backend)).toBeDefined();
      for (let i = 0; i < stock.length; i++)
        expect(Array.from(fused[i]!), `variable ${i}`).toEqual(Array.from(stock[i]!));
      // The update moved the weights (an optimizer doing nothing would match nothing else).
      const untouched = train(() => tf.train.sgd(0), 1);
      expect(Array.from(fused[0]!)).not.toEqual(Array.from(untouched[0]!));
    });

    it('leaks no tensors and keeps the stock slot names', async () => {
      await tf.setBackend(backend);
      const v = tf.variable(tf.ones([64]));
      const opt = fusedRmsprop({ learningRate: 0.1, momentum: 0.5 });
      const g = tf.fill([64], 0.25);
      opt.applyGradients([{ name: v.name, tensor: g }]);
      const before = tf.memory().numTensors;
      for (let t = 0; t < 3; t++) opt.applyGradients([{ name: v.name, tensor: g }]);
      expect(tf.memory().numTensors).toBe(before);
      expect(opt.iterations).toBe(4);
      const weights = await opt.getWeights();
      expect(weights.map((w) => w.name)).toEqual(['iter', `${v.name}/rms`, `${v.name}/momentum`]);
      tf.dispose([v, g]);
      opt.dispose();
    });
  });

  it('centered, and on a backend without the kernel: the stock update', async () => {
    await tf.setBackend('wasm');
    const stock = train(() => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-6, true), 4);
    const fused = train(
      () => fusedRmsprop({ learningRate: 0.01, momentum: 0.5, epsilon: 1e-6, centered: true }),
      4,
    );
    for (let i = 0; i < stock.length; i++)
      expect(Array.from(fused[i]!)).toEqual(Array.from(stock[i]!));
    await tf.setBackend('cpu');
    const cpuStock = train(() => tf.train.rmsprop(0.01), 3);
    const cpuFused = train(() => fusedRmsprop({ learningRate: 0.01 }), 3);
    for (let i = 0; i < cpuStock.length; i++)
      expect(Array.from(cpuFused[i]!)).toEqual(Array.from(cpuStock[i]!));
    await tf.setBackend('wasm');
  });
});
