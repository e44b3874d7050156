// MC dropout on the 'onednn' backend: the mask of uncertainty/row-noise.ts hashed and applied
// natively (libs/ml/native/src/noise.cc), bit for bit the wasm kernel's values, in one threaded
// pass instead of the JS loop (~7 ms of an mc-dropout-cnn training step at 32x32x3).
import { MC_DROPOUT_KERNEL, type McDropoutAttrs } from '../../uncertainty/mc-dropout-kernel';
import { kernelAttrs, kernelInputs } from '../tf-internals';
import { heapF32 } from '../wasm/kernel-utils';
import { size, wasmFallback, type Kernel } from './kernel-helpers';

/** Kernels of this file, registered for 'onednn' by registerOnednnKernels. */
export const NOISE_KERNEL_NAMES = [MC_DROPOUT_KERNEL] as const;
export type NoiseKernelName = (typeof NOISE_KERNEL_NAMES)[number];

const mcDropout: Kernel = (addon, args) => {
  const { inputs, backend } = args;
  const { x } = kernelInputs(MC_DROPOUT_KERNEL, inputs, ['x']);
  // The wasm kernel says what is wrong with other dtypes.
  if (x.dtype !== 'float32') return wasmFallback(MC_DROPOUT_KERNEL, args);
  const a = kernelAttrs<McDropoutAttrs>(args.attrs);
  const batch = x.shape[0] ?? 1;
  const width = batch === 0 ? 0 : size(x.shape) / batch;
  if (a.rows && a.rows.pass.length !== batch)
    throw new Error(
      `noise run expects ${a.rows.pass.length} rows per forward, the layer got ${batch} (predict with batchSize = rows)`,
    );
  const out = backend.makeOutput([...x.shape], 'float32');
  // Views after the last allocation: makeOutput may grow (and so detach) the heap.
  addon.mcDropout(
    heapF32(backend, x),
    heapF32(backend, out),
    [batch, width],
    a.stream >>> 0,
    a.rate,
    a.rows?.pass ?? null,
    a.rows?.sample ?? null,
  );
  return out;
};

export const NOISE_KERNELS: Record<NoiseKernelName, Kernel> = {
  [MC_DROPOUT_KERNEL]: mcDropout,
};
