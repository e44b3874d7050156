/** The first convolution's kernels as small images (the "edge detectors" a network learns first). */
import * as tf from '@tensorflow/tfjs';
import { listLayers } from '../graph';
import { toBase64 } from './encode';
import type { SnapshotFilters } from './types';

/** Options of {@link firstLayerFilters}. */
export interface FilterOptions {
  /** Filters stored at most (the first ones). */
  maxFilters: number;
  scaling: 'minmax' | 'symmetric';
}

/** The layer object at a path of {@link listLayers} (`base/conv1` inside a nested model). */
export function layerAt(model: tf.LayersModel, path: string): tf.layers.Layer {
  let layer: tf.layers.Layer = model;
  for (const name of path.split('/')) {
    if (!(layer instanceof tf.LayersModel)) throw new Error(`no layer at path "${path}"`);
    layer = layer.getLayer(name);
  }
  return layer;
}

/** Path of the first Conv2D layer (looking inside nested models), or null. */
export function firstConvLayer(model: tf.LayersModel): string | null {
  return listLayers(model).find((l) => l.className === 'Conv2D')?.path ?? null;
}

/**
 * The kernels of the first Conv2D layer as uint8 images `[count, kh, kw, channels]`: RGB inputs
 * in colour, any other input depth as the mean over input channels in gray; each filter scaled
 * on its own ({@link FilterOptions.scaling}). Null when the model has no Conv2D layer.
 */
export function firstLayerFilters(
  model: tf.LayersModel,
  options: FilterOptions,
): SnapshotFilters | null {
  const path = firstConvLayer(model);
  if (path === null) return null;
  const kernel = layerAt(model, path).getWeights()[0];
  if (!kernel || kernel.rank !== 4) return null;
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const w = kernel.dataSync() as Float32Array; // a weight variable: nothing to dispose
  const channels: 1 | 3 = cin === 3 ? 3 : 1;
  const count = Math.min(cout, options.maxFilters);
  const per = kh * kw * channels;
  const values = new Float32Array(count * per);
  for (let f = 0; f < count; f++)
    for (let p = 0; p < kh * kw; p++)
      for (let c = 0; c < channels; c++) {
        let v = 0;
        if (channels === 3) v = w[(p * cin + c) * cout + f]!;
        else {
          for (let i = 0; i < cin; i++) v += w[(p * cin + i) * cout + f]!;
          v /= cin;
        }
        values[f * per + p * channels + c] = v;
      }
  return {
    layer: path,
    count,
    total: cout,
    shape: [kh, kw],
    channels,
    scaling: options.scaling,
    data: toBase64(scaleFilters(values, { count, per, scaling: options.scaling })),
  };
}

/** Each filter's values to bytes, min-max or symmetric about 0 (a flat filter is mid-gray). */
export function scaleFilters(
  values: Float32Array,
  options: { count: number; per: number; scaling: 'minmax' | 'symmetric' },
): Uint8Array {
  const { count, per } = options;
  const out = new Uint8Array(values.length);
  for (let f = 0; f < count; f++) {
    const slice = values.subarray(f * per, (f + 1) * per);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of slice) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const bound = Math.max(Math.abs(lo), Math.abs(hi));
    for (let i = 0; i < per; i++) {
      const v = slice[i]!;
      const unit =
        options.scaling === 'symmetric'
          ? bound > 0
            ? 0.5 + v / (2 * bound)
            : 0.5
          : hi > lo
            ? (v - lo) / (hi - lo)
            : 0.5;
      out[f * per + i] = Math.round(255 * unit);
    }
  }
  return out;
}
