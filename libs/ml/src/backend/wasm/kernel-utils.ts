import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asKernelFunc, callKernel, type KernelArgs } from '../tf-internals';

/** Name of the backend every kernel here is registered for. */
export const WASM = 'wasm';

/** Kernel args as tf.registerKernel passes them, narrowed to the WASM backend. */
export type WasmKernelArgs = KernelArgs<BackendWasm>;

/**
 * Stock kernels captured before any override, so wrappers can delegate to them even after
 * their registry slot was replaced.
 */
const stockKernels = new Map<string, tf.KernelConfig>();

/** Remembers the stock WASM kernel for `name` (if any) before it gets overridden. */
export function captureStock(name: string): tf.KernelConfig | undefined {
  if (!stockKernels.has(name)) {
    const cfg = tf.getKernel(name, WASM);
    if (cfg !== undefined) stockKernels.set(name, cfg);
  }
  return stockKernels.get(name);
}

/** The stock (pre-override) WASM kernel for `name`, for benchmarks and fallbacks. */
export function stockKernel(name: string): tf.KernelConfig | undefined {
  return stockKernels.get(name);
}

/**
 * Runs another WASM kernel directly (no engine, no tape): the result is a raw TensorInfo the
 * caller must either return or release with {@link release}.
 */
export function runKernel(
  name: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const cfg = stockKernels.get(name) ?? tf.getKernel(name, WASM);
  if (cfg === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  const out = callKernel(cfg, { inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name}: expected a single output`);
  return out;
}

/** Frees an intermediate TensorInfo produced inside a kernel. */
export function release(backend: BackendWasm, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** A differently shaped view of the same heap buffer (no copy, no refcount change). */
export function view(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * Float32 view over a tensor's WASM heap memory. Take views only after the last allocation of
 * the kernel: growing the heap detaches earlier views.
 */
export function heapF32(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Throws for anything but float32 NHWC, the only layout these kernels implement. */
export function assertNhwcFloat(
  kernel: string,
  dataFormat: string | undefined,
  ...infos: tf.TensorInfo[]
): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} (wasm): only NHWC is supported, got ${dataFormat}`);
  }
  for (const t of infos) {
    if (t.dtype !== 'float32')
      throw new Error(`${kernel} (wasm): only float32 is supported, got ${t.dtype}`);
  }
}

/** Wraps a typed kernel function as a KernelConfig for the WASM backend. */
export function wasmKernel(
  kernelName: string,
  fn: (args: WasmKernelArgs) => tf.TensorInfo,
  setupFunc?: tf.KernelConfig['setupFunc'],
): tf.KernelConfig {
  return { kernelName, backendName: WASM, kernelFunc: asKernelFunc(fn), setupFunc };
}
