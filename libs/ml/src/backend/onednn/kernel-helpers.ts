// Helpers shared by the 'onednn' backend's kernel files (kernels.ts, depthwise-kernels.ts,
// norm-kernels.ts): geometry conversion, layout checks and the wasm fallback.
import * as tf from '@tensorflow/tfjs';
import { WASM, type WasmKernelArgs } from '../wasm/kernel-utils';
import { callKernel } from '../tf-internals';
import type { OnednnAddon } from './addon';

export type ConvInfo = tf.backend_util.Conv2DInfo;

/** The best 'wasm' kernel for `name` (project overrides included), for shapes oneDNN skips. */
export function wasmFallback(name: string, args: WasmKernelArgs): tf.TensorInfo {
  const cfg = tf.getKernel(name, WASM);
  if (cfg === undefined) throw new Error(`onednn: no wasm kernel ${name} to fall back to`);
  const out = callKernel(cfg, args);
  if (Array.isArray(out)) throw new Error(`onednn: wasm kernel ${name} gave several outputs`);
  return out;
}

/** float32 NHWC only: the layout the native kernels implement. */
export function nhwcFloat(dataFormat: string | undefined, ...infos: tf.TensorInfo[]): boolean {
  const nhwc = dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
  return nhwc && infos.every((t) => t.dtype === 'float32');
}

/**
 * The shape array of the native conv kernels, or null when oneDNN's output-size formula
 * (floor division) disagrees with TF.js's (possible with explicit pads + rounding modes).
 */
export function convShape(c: ConvInfo): number[] | null {
  const { padInfo: p } = c;
  const effH = (c.filterHeight - 1) * c.dilationHeight + 1;
  const effW = (c.filterWidth - 1) * c.dilationWidth + 1;
  const oh = Math.floor((c.inHeight + p.top + p.bottom - effH) / c.strideHeight) + 1;
  const ow = Math.floor((c.inWidth + p.left + p.right - effW) / c.strideWidth) + 1;
  if (oh !== c.outHeight || ow !== c.outWidth || Math.min(p.top, p.bottom, p.left, p.right) < 0)
    return null;
  return [
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outHeight,
    c.outWidth,
    c.outChannels,
    c.filterHeight,
    c.filterWidth,
    c.strideHeight,
    c.strideWidth,
    c.dilationHeight,
    c.dilationWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
  ];
}

/** Pool geometry as the native kernels take it, or null when it does not fit oneDNN. */
export function poolShape(c: ConvInfo): number[] | null {
  const { padInfo: p } = c;
  if (c.dilationHeight !== 1 || c.dilationWidth !== 1) return null;
  const oh = Math.floor((c.inHeight + p.top + p.bottom - c.filterHeight) / c.strideHeight) + 1;
  const ow = Math.floor((c.inWidth + p.left + p.right - c.filterWidth) / c.strideWidth) + 1;
  if (oh !== c.outHeight || ow !== c.outWidth || Math.min(p.top, p.bottom, p.left, p.right) < 0)
    return null;
  // oneDNN rejects windows lying entirely in the padding; TF.js 'same' never produces them.
  if (
    p.top >= c.filterHeight ||
    p.left >= c.filterWidth ||
    p.bottom >= c.filterHeight ||
    p.right >= c.filterWidth
  )
    return null;
  return [
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outHeight,
    c.outWidth,
    c.filterHeight,
    c.filterWidth,
    c.strideHeight,
    c.strideWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
  ];
}

export const size = (dims: number[]): number => dims.reduce((p, q) => p * q, 1);

export type Kernel = (addon: OnednnAddon, args: WasmKernelArgs) => tf.TensorInfo | tf.TensorInfo[];
