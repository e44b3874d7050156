/**
 * Counter-based noise for the layers random at prediction (MCDropout, GaussianSampling): every
 * value is a hash of (stream, row key, unit index), so a row's noise does not depend on which
 * other rows share its batch. {@link mcPredict} keys each row by (pass, sample), which makes its
 * result independent of how passes are stacked into forwards (`maxRowsPerBatch`), of the
 * backend's batching, and of the split's block size.
 *
 * Generated in plain JS (a few integer multiplies per value, ~20x faster than tf.randomUniform's
 * seedrandom), so every backend ('cpu', 'wasm', 'onednn') draws exactly the same masks.
 */

/** Keys of the rows of the forwards run inside {@link withRowKeys}. */
export interface RowKeys {
  /** Pass index of each row of the current forward. */
  pass: Uint32Array;
  /** Sample index of each row of the current forward. */
  sample: Uint32Array;
}

/**
 * One MC run: layers take one stream (seed + call index) per run, the first time they see it,
 * and key every row by its (pass, sample) from {@link RowKeys}.
 */
export interface NoiseRun {
  /** Distinct per run (from {@link newNoiseRun}): a layer takes a new stream when it changes. */
  readonly id: number;
  /** The rows of the forward now running; set by the caller before each forward. */
  rows: RowKeys | null;
}

let activeRun: NoiseRun | null = null;
let runCount = 0;

/** A run with no rows yet; set `rows` before each forward inside {@link withNoiseRun}. */
export function newNoiseRun(): NoiseRun {
  return { id: ++runCount, rows: null };
}

/** The run whose forwards are executing now (null outside {@link withNoiseRun}). */
export function currentNoiseRun(): NoiseRun | null {
  return activeRun;
}

/** Runs `fn` with `run` active, so random layers key their rows by `run.rows`. */
export function withNoiseRun<T>(run: NoiseRun, fn: () => T): T {
  const previous = activeRun;
  activeRun = run;
  try {
    return fn();
  } finally {
    activeRun = previous;
  }
}

/** murmur3's 32-bit finaliser: a bijection of uint32 with full avalanche. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Key of row (a, b) in stream `stream`: independent-looking for every distinct triple. */
function rowSeed(stream: number, a: number, b: number): number {
  return mix32((mix32((mix32(stream ^ 0x9e3779b9) + a) >>> 0) ^ Math.imul(b, 0x27d4eb2f)) >>> 0);
}

/**
 * Per-unit hashes `mix32(j * golden + 1)`, cached by width: XOR-ing them into a row's seed
 * keeps rows from being shifted copies of one sequence (as one PRNG per row would be).
 */
const unitKeys = new Map<number, Uint32Array>();
function unitKeysOf(width: number): Uint32Array {
  let keys = unitKeys.get(width);
  if (!keys) {
    keys = new Uint32Array(width);
    for (let j = 0; j < width; j++) keys[j] = mix32((Math.imul(j, 0x9e3779b9) + 1) >>> 0);
    if (unitKeys.size > 64) unitKeys.clear();
    unitKeys.set(width, keys);
  }
  return keys;
}

/** A uint32 stream id from Math.random, for layers without a seed. */
export function randomStream(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}

/** Row keys for a plain forward (no run active): row r is (0, r). */
function rowKeyPair(rows: RowKeys | null, r: number): [number, number] {
  return rows ? [rows.pass[r] ?? 0, rows.sample[r] ?? 0] : [0, r];
}

function checkRows(rows: RowKeys | null, batch: number): void {
  if (rows && rows.pass.length !== batch)
    throw new Error(
      `noise run expects ${rows.pass.length} rows per forward, the layer got ${batch} (predict with batchSize = rows)`,
    );
}

/**
 * Inverted dropout of `src` (`[batch * width]`) into `dst`: each value is dropped (0) with
 * probability `rate`, else scaled by 1 / (1 - rate); one hash per value, keyed by the row's
 * (pass, sample) from `rows` (null: row r is keyed (0, r)). `src` null writes the multipliers.
 */
export function dropoutInto(
  src: Float32Array | null,
  dst: Float32Array,
  stream: number,
  rows: RowKeys | null,
  batch: number,
  width: number,
  rate: number,
): void {
  checkRows(rows, batch);
  if (dst.length !== batch * width || (src && src.length !== dst.length))
    throw new RangeError(`dropout: expected ${batch} x ${width} values, got ${dst.length}`);
  if (rate === 0.5) {
    halfDropoutInto(src, dst, stream, rows, batch, width);
    return;
  }
  const keys = unitKeysOf(width);
  // Kept when the hash's top 31 bits are >= rate * 2^31 (P(kept) = 1 - rate up to 2^-31),
  // compared without a branch (a 50% branch mispredicts, 3x slower): the sign of the difference.
  const half = Math.min(0x7fffffff, Math.round(rate * 0x80000000));
  const scale = 1 / (1 - rate);
  for (let r = 0; r < batch; r++) {
    const [a, b] = rowKeyPair(rows, r);
    const s = rowSeed(stream, a, b);
    const base = r * width;
    for (let j = 0; j < width; j++) {
      // mix32 inlined: this loop is the cost of MC dropout's masks.
      let h = s ^ keys[j]!;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      const kept = 1 - ((((h >>> 1) - half) | 0) >>> 31);
      dst[base + j] = (src ? src[base + j]! : 1) * (scale * kept);
    }
  }
}

/**
 * Rate 0.5 (the presets' rate) exactly: every bit of a hash is a fair coin, so one hash decides
 * 32 units (bit j % 32 of the hash of block j / 32), 32x fewer hashes than the general path.
 */
function halfDropoutInto(
  src: Float32Array | null,
  dst: Float32Array,
  stream: number,
  rows: RowKeys | null,
  batch: number,
  width: number,
): void {
  const keys = unitKeysOf(Math.ceil(width / 32));
  for (let r = 0; r < batch; r++) {
    const [a, b] = rowKeyPair(rows, r);
    // A stream of its own (the general path hashes unit keys of the full width).
    const s = rowSeed(stream ^ 0x5bd1e995, a, b);
    const base = r * width;
    for (let j0 = 0; j0 < width; j0 += 32) {
      const h = mix32((s ^ keys[j0 >>> 5]!) >>> 0);
      const end = Math.min(width, j0 + 32);
      for (let j = j0; j < end; j++)
        dst[base + j] = (src ? src[base + j]! : 1) * 2 * ((h >>> (j - j0)) & 1);
    }
  }
}

/** The multipliers of {@link dropoutInto} (0 or 1 / (1 - rate)), `[batch * width]`. */
export function dropoutMask(
  stream: number,
  rows: RowKeys | null,
  batch: number,
  width: number,
  rate: number,
): Float32Array {
  const out = new Float32Array(batch * width);
  dropoutInto(null, out, stream, rows, batch, width, rate);
  return out;
}

/**
 * Standard normal values `[batch * width]` (Box-Muller on two hashes per value), keyed like
 * {@link dropoutMask}.
 */
export function normalNoise(
  stream: number,
  rows: RowKeys | null,
  batch: number,
  width: number,
): Float32Array {
  checkRows(rows, batch);
  const out = new Float32Array(batch * width);
  const keys = unitKeysOf(2 * width);
  const inv = 1 / 0x100000000;
  for (let r = 0; r < batch; r++) {
    const [a, b] = rowKeyPair(rows, r);
    const s = rowSeed(stream, a, b);
    for (let j = 0; j < width; j++) {
      // Uniforms in (0, 1): log never sees 0.
      const u1 = (mix32((s ^ keys[2 * j]!) >>> 0) + 0.5) * inv;
      const u2 = (mix32((s ^ keys[2 * j + 1]!) >>> 0) + 0.5) * inv;
      out[r * width + j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
  }
  return out;
}
