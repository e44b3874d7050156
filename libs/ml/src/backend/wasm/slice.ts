import * as tf from '@tensorflow/tfjs';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { runKernel, wasmKernel, type WasmKernelArgs } from './kernel-utils';

/**
 * Slice without the stock kernel's detour. The stock wasm Slice reads its input with
 * `readSync`, which copies the whole tensor out of the heap into a fresh JS buffer before
 * copying the slice back in: 10 CPU-ms for one 256x32x32x3 batch, as long as all of
 * cifar3-cnn's layers on 'onednn'. tf.layers' `predict` slices every batch out of its input
 * even when one batch is the whole input, so that cost was paid per prediction batch.
 *
 * - The whole tensor (what `predict` asks for when the input is one batch): the input's heap
 *   buffer is shared (reference count + 1), as the buffer-sharing Identity does; safe because
 *   no kernel writes into its inputs.
 * - Any other contiguous range (leading axes): one heap-to-heap copy.
 * - Everything else (strided slices, strings): the stock kernel.
 */
function slice({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x } = kernelInputs('Slice', inputs, ['x']);
  const a = kernelAttrs<tf.SliceAttrs>(attrs);
  if (x.dtype === 'string') return runKernel('Slice', backend, inputs, attrs);
  const [begin, size] = tf.slice_util.parseSliceParams(x, a.begin, a.size);
  if (
    begin === undefined ||
    size === undefined ||
    !tf.slice_util.isSliceContinous(x.shape, begin, size)
  )
    return runKernel('Slice', backend, inputs, attrs);
  const whole = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i]);
  if (whole) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...size], dtype: x.dtype };
  }
  const out = backend.makeOutput(size, x.dtype);
  const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
  const n = tf.util.sizeFromShape(size);
  // Views after the allocation: makeOutput may grow (and so detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  backend.typedArrayFromHeap(out).set(src.subarray(offset, offset + n));
  return out;
}

/** Registry entry of the copy-free Slice for 'wasm' (and so for 'onednn'). */
export const sliceConfig: tf.KernelConfig = wasmKernel('Slice', slice);
