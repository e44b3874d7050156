import type * as tf from '@tensorflow/tfjs';
import { FUSED_ADAM_KERNEL, type AdamAttrs } from '../fused-adam';
import { asKernelFunc, kernelAttrs, kernelInputs } from '../tf-internals';
import { heapF32, WASM, type WasmKernelArgs } from './kernel-utils';
import { simdKernels } from './simd-kernels';

const f = Math.fround;

/** The float32 constants of one Adam step, rounded as the stock optimizer rounds them. */
function constants(a: AdamAttrs): number[] {
  return [
    f(a.beta1),
    f(a.beta2),
    f(1 - a.beta1),
    f(1 - a.beta2),
    f(a.oneMinusAccBeta1),
    f(a.oneMinusAccBeta2),
    f(a.epsilon),
    f(-a.learningRate),
  ];
}

/** The scalar float32 loop (fused-adam.ts's), for a heap the SIMD module cannot import. */
function adamJs(arrays: Float32Array[], c: number[]): void {
  const [xs, ms, vs, gs, nx, nm, nv] = arrays as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const [b1, b2, c1, c2, d1, d2, eps, negLr] = c as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let i = 0; i < xs.length; i++) {
    const gi = gs[i]!;
    const mi = f(f(ms[i]! * b1) + f(gi * c1));
    const vi = f(f(vs[i]! * b2) + f(f(gi * gi) * c2));
    nm[i] = mi;
    nv[i] = vi;
    const step = f(f(f(mi / d1) / f(f(Math.sqrt(f(vi / d2))) + eps)) * negLr);
    nx[i] = f(step + xs[i]!);
  }
}

/**
 * The fused Adam update (see fused-adam.ts) for the 'wasm' backend as one WASM SIMD pass
 * (simd/kernels.c adam_update): the same float32 operations in the same order, so the same
 * bits, about 10x faster than the JS loop on fmnist-cnn's 3136x128 dense weights.
 */
function adamSimd({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo[] {
  const { x, m, v, g } = kernelInputs(FUSED_ADAM_KERNEL, inputs, ['x', 'm', 'v', 'g']);
  const c = constants(kernelAttrs<AdamAttrs>(attrs));
  const outs = [0, 1, 2].map(() => backend.makeOutput([...x.shape], 'float32'));
  const all = [x, m, v, g, ...outs];
  const simd = simdKernels(backend);
  if (simd === null) {
    adamJs(
      all.map((t) => heapF32(backend, t)),
      c,
    );
    return outs;
  }
  const [px, pm, pv, pg, nx, nm, nv] = all.map((t) => backend.getMemoryOffset(t.dataId)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const n = outs[0]!.shape.reduce((p, q) => p * q, 1);
  const [b1, b2, c1, c2, d1, d2, eps, negLr] = c as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  simd.adam_update(px, pm, pv, pg, nx, nm, nv, n, b1, b2, c1, c2, d1, d2, eps, negLr);
  return outs;
}

/** The SIMD fused-Adam kernel config for 'wasm' (replaces the JS one registered lazily). */
export const adamSimdConfig: tf.KernelConfig = {
  kernelName: FUSED_ADAM_KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(adamSimd),
};
