/** Quantisation of [0, 1] maps and weights to uint8, and the base64 the snapshot JSON holds. */

/** A [0, 1] value as a byte: round(255 * clamp(v)), as the explanation pack's gray PNGs store it. */
export function quantize01(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.round(255 * Math.min(1, Math.max(0, values[i]!)));
  return out;
}

/** Bytes as base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** base64 back to bytes. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * Min-max normalises each of `count` maps of `size` values to [0, 1] (an all-equal map becomes
 * zeros), as the CAM heatmaps are normalised.
 */
export function normalizeEach(values: Float32Array, count: number, size: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let m = 0; m < count; m++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = m * size; i < (m + 1) * size; i++) {
      lo = Math.min(lo, values[i]!);
      hi = Math.max(hi, values[i]!);
    }
    const range = hi - lo;
    if (range > 0)
      for (let i = m * size; i < (m + 1) * size; i++) out[i] = (values[i]! - lo) / range;
  }
  return out;
}

/**
 * Every `stride`-th pixel of each image (nearest neighbour), so large probe images stay small.
 * @param images uint8 `[count, h, w, c]`
 * @returns the pixels and the stored `[h, w, c]`
 */
export function downsample(
  images: Uint8Array,
  shape: [number, number, number, number],
  stride: number,
): { pixels: Uint8Array; shape: [number, number, number] } {
  const [n, h, w, c] = shape;
  if (stride <= 1) return { pixels: images, shape: [h, w, c] };
  const oh = Math.ceil(h / stride);
  const ow = Math.ceil(w / stride);
  const out = new Uint8Array(n * oh * ow * c);
  let o = 0;
  for (let i = 0; i < n; i++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let k = 0; k < c; k++)
          out[o++] = images[((i * h + y * stride) * w + x * stride) * c + k]!;
  return { pixels: out, shape: [oh, ow, c] };
}
