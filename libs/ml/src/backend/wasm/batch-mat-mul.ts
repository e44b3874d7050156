import * as tf from '@tensorflow/tfjs';
import {
  captureStock,
  release,
  runKernel,
  view,
  wasmKernel,
  type WasmKernelArgs,
} from './kernel-utils';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { simdKernels } from './simd-kernels';

/**
 * BatchMatMul override. Where N % 4 == 0 (the dense layers): the SIMD module's GEMM, which
 * skips XNNPACK's per-call packing of B (training's weights are fresh tensors every step).
 * Otherwise: the stock WASM kernel only reaches XNNPACK speed without transpose flags (a
 * transposed operand was ~18x slower in measurement), so materialise the transposes with the
 * (memory-bound) Transpose kernel and run the fast untransposed product.
 */
function batchMatMul({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { a, b } = kernelInputs('BatchMatMul', inputs, ['a', 'b']);
  const { transposeA, transposeB } = kernelAttrs<tf.BatchMatMulAttrs>(attrs);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runKernel('BatchMatMul', backend, inputs, attrs);
  }
  const viaSimd = batchMatMulSimd(backend, a, b, transposeA, transposeB);
  if (viaSimd !== null) return viaSimd;
  if (!transposeA && !transposeB) return runKernel('BatchMatMul', backend, inputs, attrs);
  return transposedViaXnnpack(backend, a, b, transposeA, transposeB);
}

/** The product with explicit Transposes and the untransposed stock (XNNPACK) kernel. */
function transposedViaXnnpack(
  backend: WasmKernelArgs['backend'],
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo {
  const flip = (t: tf.TensorInfo): tf.TensorInfo => {
    const r = t.shape.length;
    const batch = t.shape.slice(0, -2).reduce((p, q) => p * q, 1);
    const rows = t.shape[r - 2]!;
    const cols = t.shape[r - 1]!;
    const tt = runKernel(
      'Transpose',
      backend,
      { x: view(t, [batch, rows, cols]) },
      { perm: [0, 2, 1] },
    );
    return view(tt, [...t.shape.slice(0, -2), cols, rows]);
  };
  const a2 = transposeA ? flip(a) : a;
  const b2 = transposeB ? flip(b) : b;
  const out = runKernel(
    'BatchMatMul',
    backend,
    { a: a2, b: b2 },
    { transposeA: false, transposeB: false },
  );
  if (transposeA) release(backend, a2);
  if (transposeB) release(backend, b2);
  return out;
}

/** Product of the batch dimensions (all but the last two). */
const batchOf = (t: tf.TensorInfo): number => t.shape.slice(0, -2).reduce((p, q) => p * q, 1);

/**
 * The product in the SIMD module (simd/kernels.c gemm, no operand packing): transposeA is a
 * strided read of A; transposeB first materialises B^T (stock Transpose). Covers equal batch
 * shapes with N % 4 == 0 (the dense layers' products); returns null for anything else.
 */
function batchMatMulSimd(
  backend: WasmKernelArgs['backend'],
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = transposeA
    ? [a.shape[ra - 1]!, a.shape[ra - 2]!]
    : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batch = batchOf(a);
  const sameBatch = ra === rb && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
  const simd = n % 4 === 0 && sameBatch ? simdKernels(backend) : null;
  if (simd === null) return null;
  const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
  const bt = transposeB
    ? runKernel('Transpose', backend, { x: view(b, [batch, n, k]) }, { perm: [0, 2, 1] })
    : b;
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  const [sam, sak] = transposeA ? [1, m] : [k, 1];
  for (let i = 0; i < batch; i++) {
    const pa = at(a) + 4 * i * m * k;
    const pb = at(bt) + 4 * i * k * n;
    simd.gemm(pa, pb, at(out) + 4 * i * m * n, m, n, k, sam, sak, n, n);
  }
  if (transposeB) release(backend, bt);
  return out;
}

/** BatchMatMul override config; delegates to (and reuses the setup of) the stock kernel. */
export function batchMatMulConfig(): tf.KernelConfig {
  const stock = captureStock('BatchMatMul');
  return wasmKernel('BatchMatMul', batchMatMul, stock?.setupFunc);
}
