import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { installBatchNormTraining } from './batch-norm-train';

/** Options for {@link initWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * XNNPACK thread-pool size. Only honoured where tfjs-backend-wasm detects WASM thread
   * support (its threaded build spawns browser Workers from Blob URLs). Node 20 reports no
   * support, so in Node the backend always runs single-threaded and this is ignored.
   * Default 1.
   */
  threads?: number;
}

let initPromise: Promise<void> | null = null;

/** Absolute folder holding the `.wasm` binaries shipped inside the installed package. */
function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package "main" lives in dist/, next to the binaries.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

/**
 * Makes the TF.js WASM backend usable for training in Node and activates it.
 *
 * - points the loader at the `.wasm` files inside `node_modules/@tensorflow/tfjs-backend-wasm/dist`
 *   (read from disk; nothing is downloaded),
 * - registers the gradient kernels the stock backend lacks ({@link registerWasmTrainingKernels}),
 * - `tf.setBackend('wasm')` and `tf.ready()`.
 *
 * Safe to call more than once; later calls await the first initialisation (their options are
 * ignored). Other backends stay registered, so `tf.setBackend('cpu')` still works afterwards.
 *
 * @example
 * await initWasmBackend();
 * await model.fit(xs, ys, { batchSize: 64 }); // trains on WASM
 */
export function initWasmBackend(options: WasmBackendOptions = {}): Promise<void> {
  if (initPromise === null) {
    initPromise = doInit(options).catch((err: unknown) => {
      // Allow a retry after a failed start instead of caching the rejection forever.
      initPromise = null;
      throw err;
    });
  }
  return initPromise;
}

async function doInit(options: WasmBackendOptions): Promise<void> {
  const dir = wasmDistDir();
  const file = (name: string): string => join(dir, name);
  const threads = options.threads ?? 1;
  if (threads <= 1) {
    // The threaded binary spawns Blob-URL workers, which Node cannot run.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  } else {
    setThreadsCount(threads);
  }
  setWasmPaths({
    'tfjs-backend-wasm.wasm': file('tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': file('tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': file('tfjs-backend-wasm-threaded-simd.wasm'),
  });
  registerWasmTrainingKernels();
  // Training batch norm as one kernel and one gradient (see batch-norm-train.ts).
  installBatchNormTraining();
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('initWasmBackend: tf.setBackend("wasm") failed');
  await tf.ready();
}
