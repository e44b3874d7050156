/**
 * How structured a pattern is: the share of its spectral energy at low spatial frequencies. White
 * noise spreads its energy evenly over the frequency plane (share ~ pi r^2 for a cutoff r in
 * cycles per pixel: 0.196 for r = 0.25); smooth, structured patterns concentrate it near 0.
 */

/** Options of {@link lowFrequencyShare}. */
export interface LowFrequencyOptions {
  /** `[height, width, depth]` of the image (bytes or floats, row-major, channels last). */
  shape: [number, number, number];
  /** Radius of the low band in cycles per pixel (Nyquist is 0.5). Default 0.25. */
  cutoff?: number;
}

/**
 * Share of the image's spectral energy (each channel's mean removed, so DC left out) whose
 * frequency radius is at or below `cutoff`; 0 for a flat image. A plain separable DFT: the
 * patterns are small (at most a few thousand pixels a channel).
 */
export function lowFrequencyShare(image: ArrayLike<number>, options: LowFrequencyOptions): number {
  const [h, w, depth] = options.shape;
  const cutoff = options.cutoff ?? 0.25;
  if (image.length !== h * w * depth)
    throw new RangeError(`${image.length} values for a ${h}x${w}x${depth} image`);
  let low = 0;
  let total = 0;
  for (let c = 0; c < depth; c++) {
    const power = channelPower(image, { h, w, depth, c });
    for (let ky = 0; ky < h; ky++) {
      const fy = (ky <= h / 2 ? ky : ky - h) / h;
      for (let kx = 0; kx < w; kx++) {
        const fx = (kx <= w / 2 ? kx : kx - w) / w;
        const p = power[ky * w + kx]!;
        total += p;
        if (Math.hypot(fx, fy) <= cutoff) low += p;
      }
    }
  }
  return total > 0 ? low / total : 0;
}

/** cos and sin of -2 pi k x / n, `[k * n + x]`. */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n * n);
  const sin = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let x = 0; x < n; x++) {
      const t = (-2 * Math.PI * ((k * x) % n)) / n;
      cos[k * n + x] = Math.cos(t);
      sin[k * n + x] = Math.sin(t);
    }
  return { cos, sin };
}

/** |DFT|^2 `[h, w]` of channel `c` with its mean removed (rows, then columns). */
function channelPower(
  image: ArrayLike<number>,
  at: { h: number; w: number; depth: number; c: number },
): Float64Array {
  const { h, w, depth, c } = at;
  let mean = 0;
  for (let i = 0; i < h * w; i++) mean += image[i * depth + c]!;
  mean /= h * w;
  const tx = twiddles(w);
  const ty = twiddles(h);
  // Along x: re/im [h, w].
  const re = new Float64Array(h * w);
  const im = new Float64Array(h * w);
  for (let y = 0; y < h; y++)
    for (let kx = 0; kx < w; kx++) {
      let sr = 0;
      let si = 0;
      for (let x = 0; x < w; x++) {
        const v = image[(y * w + x) * depth + c]! - mean;
        sr += v * tx.cos[kx * w + x]!;
        si += v * tx.sin[kx * w + x]!;
      }
      re[y * w + kx] = sr;
      im[y * w + kx] = si;
    }
  const power = new Float64Array(h * w);
  for (let kx = 0; kx < w; kx++)
    for (let ky = 0; ky < h; ky++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < h; y++) {
        const cos = ty.cos[ky * h + y]!;
        const sin = ty.sin[ky * h + y]!;
        const a = re[y * w + kx]!;
        const b = im[y * w + kx]!;
        sr += a * cos - b * sin;
        si += a * sin + b * cos;
      }
      power[ky * w + kx] = sr * sr + si * si;
    }
  return power;
}
