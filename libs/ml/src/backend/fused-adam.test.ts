import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamInternals } from './tf-internals';
import { FUSED_ADAM_KERNEL, fusedAdam } from './fused-adam';
import { initWasmBackend } from './wasm-setup';

/** Runs `steps` Adam steps on fixed variables/gradients and returns the final weights. */
function train(makeOptimizer: () => tf.Optimizer, steps: number): Float32Array[] {
  const shapes = [[3, 3, 1, 4], [4], [37, 5]];
  let seed = 7;
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
  const out = vars.map((v) => v.dataSync() as Float32Array);
  tf.dispose(vars);
  optimizer.dispose();
  return out;
}

describe('fused Adam', () => {
  beforeAll(async () => {
    await initWasmBackend();
  });

  it('runs the fused kernel on wasm and gives bitwise the stock optimizer weights', () => {
    expect(tf.getBackend()).toBe('wasm');
    // initWasmBackend registers the SIMD twin of the kernel (wasm/adam.ts) up front.
    const stock = train(() => tf.train.adam(0.01), 12);
    const fused = train(() => fusedAdam({ learningRate: 0.01 }), 12);
    expect(tf.getKernel(FUSED_ADAM_KERNEL, 'wasm')).toBeDefined();
    for (let i = 0; i < stock.length; i++)
      expect(Array.from(fused[i]!)).toEqual(Array.from(stock[i]!));
    // And it actually moved the weights (a no-op optimizer would also "match" nothing else).
    const untouched = train(() => tf.train.sgd(0), 1);
    expect(Array.from(fused[0]!)).not.toEqual(Array.from(untouched[0]!));
  });

  it('falls back to the stock update on a backend without the kernel', async () => {
    await tf.setBackend('cpu');
    try {
      const stock = train(() => tf.train.adam(0.003, 0.8, 0.99), 5);
      const fused = train(() => fusedAdam({ learningRate: 0.003, beta1: 0.8, beta2: 0.99 }), 5);
      for (let i = 0; i < stock.length; i++)
        expect(Array.from(fused[i]!)).toEqual(Array.from(stock[i]!));
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('keeps accBeta tensors and the iteration count in step (save/restore)', async () => {
    const v = tf.variable(tf.tensor1d([1, -2, 3]));
    const opt = fusedAdam({ learningRate: 0.1 });
    for (let t = 0; t < 4; t++) {
      const g = tf.tensor1d([0.5, 0.25, -1]);
      opt.applyGradients([{ name: v.name, tensor: g }]);
      g.dispose();
    }
    const state = adamInternals(opt);
    expect(opt.iterations).toBe(4);
    expect(state.accBeta1.dataSync()[0]).toBeCloseTo(0.9 ** 5, 6);
    expect(state.accBeta2.dataSync()[0]).toBeCloseTo(0.999 ** 5, 6);
    const weights = await opt.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${v.name}/m`, `${v.name}/v`]);
    tf.dispose([v]);
    opt.dispose();
  });

  it('leaks no tensors', () => {
    const v = tf.variable(tf.ones([64]));
    const opt = fusedAdam();
    const g = tf.fill([64], 0.3);
    opt.applyGradients([{ name: v.name, tensor: g }]); // creates the moment slots
    const before = tf.memory().numTensors;
    for (let t = 0; t < 5; t++) opt.applyGradients([{ name: v.name, tensor: g }]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([v, g]);
    opt.dispose();
  });
});
