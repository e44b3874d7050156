import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adamSimdConfig } from './wasm/adam';
import { batchMatMulConfig } from './wasm/batch-mat-mul';
import { conv2dBackpropConfigs } from './wasm/conv2d-backprop';
import { depthwiseBackpropConfigs } from './wasm/depthwise-backprop';
import { identityConfig } from './wasm/identity';
import { captureStock, WASM } from './wasm/kernel-utils';
import { poolGradConfigs } from './wasm/pool-grad';
import { sliceConfig } from './wasm/slice';
import { sumConfig } from './wasm/sum';

/*
 * Training kernels for @tensorflow/tfjs-backend-wasm 4.22 (Node, single-threaded XNNPACK).
 *
 * Missing on stock WASM (found by training each preset): Conv2DBackpropFilter,
 * DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropFilter. The stock
 * Conv2DBackpropInput / MaxPoolGrad / AvgPoolGrad exist but are naive C++ loops (3-10x slower),
 * and BatchMatMul / Sum fall off XNNPACK for the transposed / leading-axis shapes gradients use.
 *
 * Formulations (measured alternatives in the report / bench):
 * - Conv2DBackpropFilter, CO % 4 != 0: transposed im2col [KH*KW*CI, rows] (JS over the heap) · dy as one
 *   untransposed XNNPACK GEMM; when KH*KW*CI < CO (first layer) dy^T · im2col instead, so the
 *   small matrix is the operand XNNPACK re-packs.
 * - Conv2DBackpropInput: XNNPACK Conv2D of dy (zero-stuffed if strided) with the flipped,
 *   in/out-swapped filter.
 * - DepthwiseConv2dNativeBackpropInput (multiplier 1): XNNPACK depthwise conv with the flipped
 *   filter; BackpropFilter (multiplier 1, C % 4 == 0): a per-channel correlation in a small
 *   hand-assembled WASM SIMD module over the backend's heap (wasm/depthwise-filter-simd.ts),
 *   else XNNPACK depthwise conv with the batch folded into channels and dy as the filter
 *   (dilation = stride). Other multipliers / dilations: JS loops.
 * - MaxPoolGrad / AvgPoolGrad: tight JS loops over the heap (2x2/stride-2 fast path).
 * - BatchMatMul with transpose flags: explicit Transpose + untransposed XNNPACK GEMM.
 * - Sum over leading axes (bias grads): one row-accumulation pass instead of transpose+reduce.
 * - Identity (the tape's clone of every saved tensor): shares the buffer instead of copying.
 * - Conv2DBackpropFilter (CO % 4 == 0), leading-axes Sum (inner % 4 == 0) and the fused Adam
 *   update (ConvscopeAdamUpdate, see fused-adam.ts): one call each into a WASM SIMD module
 *   compiled from C (wasm/simd/kernels.c) that imports the backend's memory, so it works on the
 *   tensors in place. The filter gradient tiles dW in registers (6 rows x 8 columns) over
 *   cache-sized pixel blocks read straight from x (zero-padded copy when padded) and dy.
 * - Slice: the whole tensor shares the buffer (tf.layers' predict slices its one batch out of
 *   the input), other contiguous ranges copy heap to heap; the stock kernel copied the whole
 *   input out of the heap first (wasm/slice.ts).
 */

/** Kernel names this module installs (added or replacing a slower stock kernel) on 'wasm'. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'BatchMatMul',
  'Sum',
  'Identity',
  'Slice',
  'ConvscopeAdamUpdate',
] as const;

let registered = false;

/**
 * Registers, for backend 'wasm', the kernels that training needs but the stock
 * @tensorflow/tfjs-backend-wasm lacks (Conv2DBackpropFilter, the depthwise backprops) and
 * faster replacements for stock training kernels (Conv2DBackpropInput, MaxPoolGrad,
 * AvgPoolGrad, transposed BatchMatMul, leading-axes Sum). Idempotent. Call before or after the backend is
 * initialised; the replaced stock kernels stay reachable for delegation.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  // Capture stock kernels first: overrides delegate to them for cases they do not cover.
  for (const name of WASM_TRAINING_KERNELS) captureStock(name);
  const configs = [
    ...conv2dBackpropConfigs,
    ...poolGradConfigs,
    ...depthwiseBackpropConfigs,
    batchMatMulConfig(),
    sumConfig,
    identityConfig,
    sliceConfig,
    adamSimdConfig,
  ];
  for (const cfg of configs) {
    // Keep the stock kernel's setup (its cwrap binding) so delegating to it still works when
    // we register before the backend initialises, since only registered kernels get set up.
    const stock = captureStock(cfg.kernelName);
    if (cfg.setupFunc === undefined && stock?.setupFunc !== undefined)
      cfg.setupFunc = stock.setupFunc;
    // Unregister first so replacing a stock kernel does not log a duplicate warning.
    if (tf.getKernel(cfg.kernelName, WASM) !== undefined) tf.unregisterKernel(cfg.kernelName, WASM);
    tf.registerKernel(cfg);
  }
  registered = true;
}
