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

/**
 * BatchMatMul override: the stock WASM kernel only reaches XNNPACK speed without transpose
 * flags (a transposed operand was ~18x slower in measurement). Dense-layer gradients always
 * use transposeA/transposeB, so materialise the transposes with the (memory-bound) Transpose
 * kernel and run the fast untransposed product.
 */
function batchMatMul({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { a, b } = kernelInputs('BatchMatMul', inputs, ['a', 'b']);
  const { transposeA, transposeB } = kernelAttrs<tf.BatchMatMulAttrs>(attrs);
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runKernel('BatchMatMul', backend, inputs, attrs);
  }
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

/** BatchMatMul override config; delegates to (and reuses the setup of) the stock kernel. */
export function batchMatMulConfig(): tf.KernelConfig {
  const stock = captureStock('BatchMatMul');
  return wasmKernel('BatchMatMul', batchMatMul, stock?.setupFunc);
}
