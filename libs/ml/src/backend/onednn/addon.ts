import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DepthwiseAddon } from './depthwise-addon';
import type { NoiseAddon } from './noise-addon';
import type { NormAddon } from './norm-addon';

/**
 * The N-API addon built from libs/ml/native (oneDNN kernels on TF.js layouts). Every kernel
 * reads and writes caller-provided Float32Arrays in place (zero-copy): shapes are plain number
 * arrays, checked natively against the array lengths.
 */
export interface OnednnAddon extends DepthwiseAddon, NormAddon, NoiseAddon {
  /** oneDNN version the addon was built against, e.g. "2.6.3". */
  readonly onednnVersion: string;
  /** y = conv(x, w) [+ bias] [relu]; shape = [n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr]. */
  conv2dForward(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    shape: number[],
    relu: boolean,
  ): void;
  /** dx from dy and the HWIO filter (same shape array as the forward). */
  conv2dBackwardData(dy: Float32Array, w: Float32Array, dx: Float32Array, shape: number[]): void;
  /** dW (HWIO) and optionally the bias gradient from x and dy. */
  conv2dBackwardWeights(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    db: Float32Array | null,
    shape: number[],
  ): void;
  /** Max pooling; shape = [n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr]. */
  maxPoolForward(x: Float32Array, y: Float32Array, shape: number[]): void;
  /** Max-pooling gradient (the forward is recomputed natively for its argmax). */
  maxPoolBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, shape: number[]): void;
  /**
   * c = op(a) · op(b) [+ bias] [relu], batched; shape = [batchA, batchB, m, n, k] (a batch of 1
   * broadcasts); bias has n elements.
   */
  matMul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    shape: number[],
    transposeA: boolean,
    transposeB: boolean,
    bias: Float32Array | null,
    relu: boolean,
  ): void;
  /** y[r, c] = x[r, c] + bias[c] [relu]; shape = [rows, cols]. */
  biasAdd(
    x: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    shape: number[],
    relu: boolean,
  ): void;
  /** y = max(x, 0). */
  relu(x: Float32Array, y: Float32Array): void;
  /** y[c] = sum over rows of x[r, c]; shape = [rows, cols]. */
  sumRows(x: Float32Array, y: Float32Array, shape: number[]): void;
  /** dx = dy where x > 0, else 0 (the Relu gradient). */
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  /**
   * One Adam step, bitwise tf.train.adam's; params = [learningRate, beta1, beta2, epsilon,
   * 1 - beta1^t, 1 - beta2^t, 1 - beta1, 1 - beta2] as float32.
   */
  adamUpdate(
    x: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    newX: Float32Array,
    newM: Float32Array,
    newV: Float32Array,
    params: Float32Array,
  ): void;
  /** OpenMP threads oneDNN uses. */
  setNumThreads(n: number): void;
  /** Current OpenMP thread count. */
  getNumThreads(): number;
  /** Number of cached oneDNN primitive sets (one per op and shape). */
  cacheSize(): number;
  /** Drops every cached primitive. */
  clearCache(): void;
}

/** How to build the addon; part of every "not built" error. */
export const ONEDNN_BUILD_HINT =
  'build it with `npm run build:native -w @convscope/ml` (needs oneDNN: `apt-get install libdnnl-dev`)';

/**
 * Absolute path of the compiled addon (libs/ml/native/build/Release), or
 * $CONVSCOPE_ONEDNN_ADDON: a build elsewhere, e.g. one against another oneDNN version to test.
 */
export const ONEDNN_ADDON_PATH =
  process.env.CONVSCOPE_ONEDNN_ADDON ||
  fileURLToPath(new URL('../../../native/build/Release/convscope_onednn.node', import.meta.url));

let cached: OnednnAddon | null = null;

/** True when the addon file exists (it may still fail to load, e.g. libdnnl missing). */
export function onednnAddonBuilt(): boolean {
  return existsSync(ONEDNN_ADDON_PATH);
}

/**
 * Loads the addon once. Throws an error that says how to build it when it is absent, or why
 * it failed to load (typically libdnnl.so.2 missing at run time).
 */
export function loadOnednnAddon(): OnednnAddon {
  if (cached !== null) return cached;
  if (!onednnAddonBuilt()) throw new Error(`the oneDNN addon is not built: ${ONEDNN_BUILD_HINT}`);
  // libgomp reads this once, when the addon pulls it in. Passive waiting puts idle OpenMP
  // workers to sleep instead of spinning between kernels: on 2 shared cores the spinning
  // worker doubled CPU time for the same wall time (measured). Set it yourself to override.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  try {
    cached = createRequire(import.meta.url)(ONEDNN_ADDON_PATH) as OnednnAddon;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`the oneDNN addon failed to load (${msg}); rebuild it: ${ONEDNN_BUILD_HINT}`);
  }
  return cached;
}
