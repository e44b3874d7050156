/**
 * Layer activations: every (or chosen) layer's output for a batch in one forward pass,
 * per-channel statistics, and the dataset images that activate each channel most.
 */
import * as tf from '@tensorflow/tfjs';
import { first, itemAt } from '../util/checked';
import { activationModel, forwardWalk, listLayers, resolveLayer } from './graph';

/** One layer's output for a batch. */
export interface LayerActivation {
  /** Layer path (`conv1`, `base/conv2`). */
  layer: string;
  /** Shape with the batch first, e.g. `[batch, h, w, channels]` or `[batch, units]`. */
  shape: number[];
  /** Values, row-major. */
  data: Float32Array;
}

/**
 * Outputs of the chosen layers (default: every layer, nested models' inner layers included,
 * nested models themselves left out since they repeat their last layer) for a batch, from ONE
 * forward pass of a flat multi-output model (see graph.ts for why it is flattened).
 * @param options.model the model
 * @param options.images input batch `[batch, H, W, C]`
 * @param options.layers layer paths or unique names (default: all)
 * @returns one entry per layer, in the order asked
 */
export function layerActivations(options: {
  model: tf.LayersModel;
  images: tf.Tensor4D;
  layers?: string[];
}): LayerActivation[] {
  const { model, images } = options;
  const paths = options.layers
    ? options.layers.map((l) => resolveLayer(model, l).path)
    : listLayers(model)
        .filter((l) => !l.nested)
        .map((l) => l.path);
  const outs = tf.tidy(() => runLayers(model, images, paths));
  const result = paths.map((layer, i) => {
    const out = itemAt(outs, i, `output of layer ${layer}`);
    return { layer, shape: out.shape, data: Float32Array.from(out.dataSync() as Float32Array) };
  });
  tf.dispose(outs);
  return result;
}

// Tensors of the given layers' outputs; the caller owns them.
function runLayers(model: tf.LayersModel, images: tf.Tensor4D, paths: string[]): tf.Tensor[] {
  const flat = activationModel(model, paths);
  if (flat) {
    const out = flat.predict(images);
    return Array.isArray(out) ? out : [out];
  }
  // The flat tf.model was refused (duplicate layer names): the eager walk is one pass too.
  const found = new Map<string, tf.Tensor>();
  forwardWalk({
    model,
    input: images,
    after: (path, _layer, outs) => {
      if (paths.includes(path) && !found.has(path))
        found.set(path, tf.keep(first(outs, `an output of layer ${path}`)));
    },
  });
  return paths.map((p) => found.get(p)!);
}

/** Per-channel statistics of one layer's activations; each array has one value per channel. */
export interface ChannelStatistics {
  mean: Float64Array;
  /** Population standard deviation. */
  std: Float64Array;
  max: Float64Array;
  /** Fraction of values exactly 0 (dead ReLU units). */
  zeroFraction: Float64Array;
}

/**
 * Statistics of each channel (the last axis) over every other axis (batch and space).
 * @param activation a {@link LayerActivation} or any `{ shape, data }` with channels last
 */
export function channelStatistics(activation: {
  shape: number[];
  data: ArrayLike<number>;
}): ChannelStatistics {
  const c = activation.shape[activation.shape.length - 1]!;
  const n = activation.data.length / c;
  const mean = new Float64Array(c);
  const std = new Float64Array(c);
  const max = new Float64Array(c).fill(-Infinity);
  const zeroFraction = new Float64Array(c);
  const d = activation.data;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < c; k++) {
      const v = d[i * c + k]!;
      mean[k]! += v;
      if (v > max[k]!) max[k] = v;
      if (v === 0) zeroFraction[k]!++;
    }
  for (let k = 0; k < c; k++) {
    mean[k]! /= n;
    zeroFraction[k]! /= n;
  }
  // Second pass about the mean: no cancellation from E[x^2] - E[x]^2.
  for (let i = 0; i < n; i++)
    for (let k = 0; k < c; k++) {
      const e = d[i * c + k]! - mean[k]!;
      std[k]! += e * e;
    }
  for (let k = 0; k < c; k++) std[k] = Math.sqrt(std[k]! / n);
  return { mean, std, max, zeroFraction };
}

/** For each channel, the dataset images with the highest mean activation. */
export interface TopActivations {
  layer: string;
  /** Number of channels. */
  channels: number;
  k: number;
  /** `[channels, k]`: dataset indices, best first (ties: lower index first). */
  indices: Int32Array;
  /** `[channels, k]`: their mean activations over space. */
  values: Float32Array;
}

/**
 * The `k` images of a dataset that activate each channel of a layer most (mean over space),
 * computed batch by batch so the dataset need not fit in memory as tensors.
 * @param options.model the model
 * @param options.layer layer path or unique name
 * @param options.images the dataset: values `[count, H, W, C]` row-major (bytes or floats)
 * @param options.shape `[count, H, W, C]`
 * @param options.scale multiplies the values before the model sees them (1/255 for bytes; default 1)
 * @param options.k images per channel (default 9)
 * @param options.batchSize images per forward pass (default 256)
 */
export function topActivatingImages(options: {
  model: tf.LayersModel;
  layer: string;
  images: Uint8Array | Float32Array;
  shape: [number, number, number, number];
  scale?: number;
  k?: number;
  batchSize?: number;
}): TopActivations {
  const { model } = options;
  const [count, H, W, C] = options.shape;
  const per = H * W * C;
  if (options.images.length !== count * per)
    throw new Error(
      `images hold ${options.images.length} values, expected ${count} x ${H} x ${W} x ${C}`,
    );
  const layer = resolveLayer(model, options.layer).path;
  const k = Math.min(options.k ?? 9, count);
  const scale = options.scale ?? 1;
  const batchSize = options.batchSize ?? 256;
  let channels = 0;
  let indices = new Int32Array(0);
  let values = new Float32Array(0);
  let filled = 0; // entries per channel so far (< k only during the first images)
  for (let s = 0; s < count; s += batchSize) {
    const n = Math.min(batchSize, count - s);
    const means = tf.tidy((): tf.Tensor => {
      const x = tf.mul<tf.Tensor4D>(
        tf.tensor4d(Float32Array.from(options.images.subarray(s * per, (s + n) * per)), [
          n,
          H,
          W,
          C,
        ]),
        scale,
      );
      const a = first(runLayers(model, x, [layer]), `the output of layer ${layer}`);
      return a.rank > 2
        ? tf.mean(
            a,
            a.shape.slice(1, -1).map((_, i) => i + 1),
          )
        : a;
    });
    const m = means.dataSync() as Float32Array;
    if (channels === 0) {
      channels = means.shape[1] as number;
      indices = new Int32Array(channels * k).fill(-1);
      values = new Float32Array(channels * k).fill(-Infinity);
    }
    means.dispose();
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < channels; c++)
        insertTop(indices, values, c * k, k, s + i, m[i * channels + c]!);
    }
    filled = Math.min(k, filled + n);
  }
  return { layer, channels, k: filled, indices, values };
}

// Keeps row [off, off+k) sorted descending; equal values keep the earlier (lower) index first.
function insertTop(
  indices: Int32Array,
  values: Float32Array,
  off: number,
  k: number,
  index: number,
  value: number,
): void {
  if (!(value > values[off + k - 1]!) && indices[off + k - 1] !== -1) return;
  let j = k - 1;
  while (j > 0 && (indices[off + j - 1] === -1 || values[off + j - 1]! < value)) {
    values[off + j] = values[off + j - 1]!;
    indices[off + j] = indices[off + j - 1]!;
    j--;
  }
  values[off + j] = value;
  indices[off + j] = index;
}
