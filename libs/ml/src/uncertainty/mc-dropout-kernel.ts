/**
 * MC dropout as one kernel: the mask of ./row-noise is hashed and applied in a single pass over
 * the tensor's memory (the WASM heap for 'wasm' and 'onednn', the values array for 'cpu'),
 * instead of building a mask tensor (an upload of batch * width floats) and a Multiply. The
 * gradient is the same kernel on dy: the mask is a pure function of its attributes.
 * Other backends (webgl, ...) get the mask tensor and tf.mul: the same values.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asAttrMap, asKernelFunc, kernelAttrs, kernelInputs } from '../backend/tf-internals';
import { dropoutInto, dropoutMask, type RowKeys } from './row-noise';

/** Name of the kernel: input `{ x }`, attributes {@link McDropoutAttrs}. */
export const MC_DROPOUT_KERNEL = 'ConvscopeMcDropout';

/** Attributes of {@link MC_DROPOUT_KERNEL}. */
export interface McDropoutAttrs {
  /** Noise stream (see row-noise). */
  stream: number;
  /** Fraction dropped, in [0, 1). */
  rate: number;
  /** Row keys of the batch, or null for (0, row). */
  rows: RowKeys | null;
}

/** The backend methods the 'cpu' kernel uses (MathBackendCPU has both). */
interface CpuLikeBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function batchAndWidth(x: tf.TensorInfo): [number, number] {
  const batch = x.shape[0] ?? 1;
  const size = x.shape.reduce((a, b) => a * b, 1);
  return [batch, batch === 0 ? 0 : size / batch];
}

function checkFloat(x: tf.TensorInfo): void {
  if (x.dtype !== 'float32') throw new Error(`${MC_DROPOUT_KERNEL}: float32 only, got ${x.dtype}`);
}

const wasmKernel = asKernelFunc<BackendWasm>(({ inputs, backend, attrs }) => {
  const { x } = kernelInputs(MC_DROPOUT_KERNEL, inputs, ['x']);
  checkFloat(x);
  const a = kernelAttrs<McDropoutAttrs>(attrs);
  const out = backend.makeOutput(x.shape, 'float32');
  // Views after the last allocation: makeOutput may grow (and so detach) the heap.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const [batch, width] = batchAndWidth(x);
  dropoutInto(src, dst, a.stream, a.rows, batch, width, a.rate);
  return out;
});

const cpuKernel = asKernelFunc<CpuLikeBackend>(({ inputs, backend, attrs }) => {
  const { x } = kernelInputs(MC_DROPOUT_KERNEL, inputs, ['x']);
  checkFloat(x);
  const a = kernelAttrs<McDropoutAttrs>(attrs);
  const src = backend.readSync(x.dataId);
  if (!(src instanceof Float32Array)) throw new Error(`${MC_DROPOUT_KERNEL}: unexpected cpu data`);
  const [batch, width] = batchAndWidth(x);
  const dst = new Float32Array(src.length);
  dropoutInto(src, dst, a.stream, a.rows, batch, width, a.rate);
  return backend.makeTensorInfo(x.shape, 'float32', dst);
});

/**
 * Registers the kernel for 'cpu' and 'wasm' (the 'onednn' backend copies the wasm kernels when
 * it starts; if it already has, for 'onednn' too) and its gradient. Idempotent.
 */
export function registerMcDropoutKernel(): void {
  const targets: [string, tf.KernelFunc][] = [
    ['cpu', cpuKernel],
    ['wasm', wasmKernel],
  ];
  // The 'onednn' backend copies every wasm kernel at its start (its Conv2D marks it started).
  if (tf.getKernel('Conv2D', 'onednn') !== undefined) targets.push(['onednn', wasmKernel]);
  for (const [backendName, kernelFunc] of targets)
    if (tf.getKernel(MC_DROPOUT_KERNEL, backendName) === undefined)
      tf.registerKernel({ kernelName: MC_DROPOUT_KERNEL, backendName, kernelFunc });
  if (tf.getGradient(MC_DROPOUT_KERNEL) === undefined)
    tf.registerGradient({
      kernelName: MC_DROPOUT_KERNEL,
      // d(x * mask)/dx = mask: the same kernel (same attributes, same mask) applied to dy.
      gradFunc: (dy, _saved, attrs) => ({
        x: () => tf.engine().runKernel(MC_DROPOUT_KERNEL, { x: dy as tf.Tensor }, attrs),
      }),
    });
}

/**
 * `x` with inverted dropout: the fused kernel where the active backend has it, else the
 * mask of {@link dropoutMask} and tf.mul (identical values).
 */
export function mcDropout(x: tf.Tensor, attrs: McDropoutAttrs): tf.Tensor {
  registerMcDropoutKernel();
  if (x.dtype === 'float32' && tf.getKernel(MC_DROPOUT_KERNEL, tf.getBackend()) !== undefined)
    return tf.engine().runKernel(MC_DROPOUT_KERNEL, { x }, asAttrMap(attrs));
  const [batch, width] = batchAndWidth(x);
  const mask = dropoutMask(attrs.stream, attrs.rows, batch, width, attrs.rate);
  return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape, 'float32')));
}

// Registered on import, so the kernel is there before the first layer call (and before the
// 'onednn' backend, if it starts later, copies the wasm kernels).
registerMcDropoutKernel();
