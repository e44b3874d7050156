import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../wasm-setup';
import { loadOnednnAddon, type OnednnAddon } from './addon';
import { installReluGradient } from '../relu-grad';
import { installBatchNormTraining } from '../batch-norm-train';
import { ONEDNN, registerOnednnKernels, wasmBackendInstance } from './kernels';

/** Options for {@link initOnednnBackend}. */
export interface OnednnBackendOptions {
  /** OpenMP threads for oneDNN's kernels. Default: `CONVSCOPE_ONEDNN_THREADS`, else 2. */
  threads?: number;
}

let initPromise: Promise<OnednnAddon> | null = null;

/**
 * Activates the 'onednn' TF.js backend: the WASM backend (its memory and every one of its
 * kernels) with convolutions and their gradients, max pooling, matmuls, batch norm (training
 * fused with its moments, see batch-norm-train.ts), means (global average pooling), and the
 * bias / residual adds, relu, bias-gradient sums and optimizer updates of training run
 * natively (oneDNN, plus vectorised loops) through the addon in libs/ml/native, zero-copy on
 * the WASM heap (ONEDNN_KERNELS in kernels.ts).
 *
 * Design: 'onednn' is registered as a second name for the very same BackendWasm instance, so
 * tensors never move between 'wasm' and 'onednn' and the 'wasm' backend itself is left
 * untouched (benchmarks can still compare the two). Consequently `tf.removeBackend('onednn')`
 * would dispose the wasm backend too: switch with `tf.setBackend` instead.
 *
 * Throws, saying how to build it, when the addon is not built or fails to load.
 * Safe to call more than once; later calls re-activate the backend.
 */
export async function initOnednnBackend(options: OnednnBackendOptions = {}): Promise<void> {
  if (initPromise === null) {
    initPromise = doInit(options).catch((err: unknown) => {
      initPromise = null;
      throw err;
    });
  }
  await initPromise;
  if (!(await tf.setBackend(ONEDNN)))
    throw new Error('initOnednnBackend: tf.setBackend("onednn") failed');
}

async function doInit(options: OnednnBackendOptions): Promise<OnednnAddon> {
  // Load first: a missing addon must fail before anything changes (the caller falls back).
  const addon = loadOnednnAddon();
  addon.setNumThreads(options.threads ?? (Number(process.env.CONVSCOPE_ONEDNN_THREADS) || 2));
  await initWasmBackend();
  // Before the kernels are copied: its wasm kernels are the native ones' fallback.
  installBatchNormTraining();
  registerOnednnKernels(addon);
  installReluGradient();
  const wasm = wasmBackendInstance();
  // Low priority: never picked by TF.js's own automatic choice, only by name.
  tf.registerBackend(ONEDNN, () => wasm, 0);
  return addon;
}
