import { afterEach, describe, expect, it } from 'vitest';
import { setSimdKernelsEnabled, simdKernelsWithMemory } from '../backend/wasm/simd-kernels';
import { sliceOptimizer } from './data-parallel-optimizer';

/** Runs `steps` Adam steps on the slice [lo, hi) of a fixed vector; returns the vector. */
function run(lo: number, hi: number, steps: number): Float32Array {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const weights = Float32Array.from({ length: hi + 3 }, rand);
  const opt = sliceOptimizer(
    { className: 'Adam', config: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
    lo,
    hi,
  );
  for (let t = 0; t < steps; t++) {
    // Gradients of changing scale, with exact zeros and tiny values.
    const grad = Float32Array.from({ length: hi - lo }, (_, i) =>
      i % 7 === 0 ? 0 : rand() * (t % 3 === 2 ? 1e-6 : t + 1),
    );
    opt.step(weights, grad);
  }
  return weights;
}

describe('data-parallel slice optimizer: Adam in WASM SIMD', () => {
  afterEach(() => setSimdKernelsEnabled(true));

  it('gives bitwise the JS loop weights, inside the slice only (odd length, 5 steps)', () => {
    // The SIMD module loads here, so the first run below takes the SIMD path.
    expect(simdKernelsWithMemory(64)).not.toBeNull();
    const simd = run(5, 5 + 1031, 5);
    setSimdKernelsEnabled(false);
    const js = run(5, 5 + 1031, 5);
    expect(Array.from(simd)).toEqual(Array.from(js));
    // Outside [lo, hi) nothing moved; inside, the weights did.
    setSimdKernelsEnabled(true);
    const untouched = run(5, 5, 0);
    expect(Array.from(simd.subarray(0, 5))).toEqual(Array.from(untouched.subarray(0, 5)));
    expect(simd[5 + 1031]).toBe(js[5 + 1031]);
    expect(simd[6]).not.toBe(run(5, 5 + 1031, 0)[6]);
  });
});
