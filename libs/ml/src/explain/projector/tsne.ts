/**
 * Exact t-SNE (van der Maaten & Hinton, 2008) with a seeded start, so the same data and seed give
 * the same layout. O(n²) memory and time per iteration: callers run it on at most a few thousand
 * points (a stratified subset, see {@link stratifiedSubset}). The optimisation follows
 * scikit-learn's schedule: early exaggeration 12 with momentum 0.5, then momentum 0.8, gains,
 * learning rate max(n / 12 / 4, 50).
 */
import { createRng, seededPermutation } from '../../util/rng';

/** Options of {@link tsne}. */
export interface TsneOptions {
  seed: number;
  /** Perplexity (default 30, lowered for tiny inputs). */
  perplexity?: number;
  /** Gradient steps (default 400). */
  iterations?: number;
  /** Steps with early exaggeration (default 100). */
  exaggerationIterations?: number;
  /** Called every 25 steps; awaiting it lets the event loop run (timers, uploads). */
  onProgress?: (iteration: number) => void | Promise<void>;
}

/** Squared Euclidean distances `[n, n]` of the rows of a row-major `[n, d]` matrix. */
function squaredDistances(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[i * d + t]! - x[j * d + t]!;
        s += diff * diff;
      }
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  return out;
}

/** Joint probabilities P `[n, n]` (symmetric, summing to 1) at the given perplexity. */
export function jointProbabilities(
  x: ArrayLike<number>,
  shape: { n: number; d: number },
  perplexity: number,
): Float32Array {
  const { n, d } = shape;
  const dist = squaredDistances(x, n, d);
  const cond = new Float64Array(n * n);
  const target = Math.log(perplexity);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let step = 0; step < 100; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        const p = j === i ? 0 : Math.exp(-dist[i * n + j]! * beta);
        row[j] = p;
        sum += p;
        weighted += dist[i * n + j]! * p;
      }
      sum = Math.max(sum, 1e-12);
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < n; j++) row[j]! /= sum;
      const diff = entropy - target;
      if (Math.abs(diff) < 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    cond.set(row, i * n);
  }
  const p = new Float32Array(n * n);
  const norm = 2 * n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      p[i * n + j] = Math.max((cond[i * n + j]! + cond[j * n + i]!) / norm, 1e-12);
  return p;
}

// Standard normal draws from a seeded uniform generator (Box-Muller).
function gaussian(rng: () => number): () => number {
  return () => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
}

/**
 * 2-D t-SNE layout of the rows of a row-major `[n, d]` matrix.
 * @returns row-major `[n, 2]` coordinates
 */
export async function tsne(
  x: ArrayLike<number>,
  shape: { n: number; d: number },
  options: TsneOptions,
): Promise<Float32Array> {
  const { n } = shape;
  if (n < 3) return new Float32Array(n * 2);
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const iterations = options.iterations ?? 400;
  const exaggerated = options.exaggerationIterations ?? 100;
  const p = jointProbabilities(x, shape, perplexity);
  const normal = gaussian(createRng(options.seed));
  const y = Float64Array.from({ length: n * 2 }, () => normal() * 1e-4);
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const grad = new Float64Array(n * 2);
  const num = new Float32Array(n * n);
  const rate = Math.max(n / 12 / 4, 50);
  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < exaggerated ? 12 : 1;
    const momentum = it < exaggerated ? 0.5 : 0.8;
    gradient({ p, y, n, num, grad, exaggeration });
    for (let k = 0; k < n * 2; k++) {
      const g = grad[k]!;
      const sameSign = g > 0 === update[k]! > 0;
      gains[k] = Math.max(sameSign ? gains[k]! * 0.8 : gains[k]! + 0.2, 0.01);
      update[k] = momentum * update[k]! - rate * gains[k]! * g;
      y[k]! += update[k]!;
    }
    if (options.onProgress && it % 25 === 24) await options.onProgress(it + 1);
  }
  return Float32Array.from(y);
}

// The KL divergence's gradient with respect to y, into grad. Both passes visit each pair once
// (i < j), the second adding the pair's force to both points.
function gradient(s: {
  p: Float32Array;
  y: Float64Array;
  n: number;
  num: Float32Array;
  grad: Float64Array;
  exaggeration: number;
}): void {
  const { p, y, n, num, grad, exaggeration } = s;
  let z = 0;
  for (let i = 0; i < n; i++) {
    const yi0 = y[2 * i]!;
    const yi1 = y[2 * i + 1]!;
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const d0 = yi0 - y[2 * j]!;
      const d1 = yi1 - y[2 * j + 1]!;
      const q = 1 / (1 + d0 * d0 + d1 * d1);
      num[row + j] = q;
      z += q;
    }
  }
  const invZ = 1 / (2 * z);
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    let g0 = 0;
    let g1 = 0;
    const yi0 = y[2 * i]!;
    const yi1 = y[2 * i + 1]!;
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const q = num[row + j]!;
      const mult = (exaggeration * p[row + j]! - q * invZ) * q;
      const f0 = mult * (yi0 - y[2 * j]!);
      const f1 = mult * (yi1 - y[2 * j + 1]!);
      g0 += f0;
      g1 += f1;
      grad[2 * j]! -= f0;
      grad[2 * j + 1]! -= f1;
    }
    grad[2 * i]! += g0;
    grad[2 * i + 1]! += g1;
  }
  for (let k = 0; k < 2 * n; k++) grad[k]! *= 4;
}

/**
 * A seeded subset of at most `max` sample indices with the classes as balanced as the data
 * allows (round robin over the classes in a seeded order), sorted ascending.
 */
export function stratifiedSubset(
  labels: ArrayLike<number>,
  options: { max: number; seed: number },
): Int32Array {
  const n = labels.length;
  if (n <= options.max) return Int32Array.from({ length: n }, (_, i) => i);
  const byClass = new Map<number, number[]>();
  for (const i of seededPermutation(n, options.seed)) {
    const label = labels[i]!;
    const list = byClass.get(label);
    if (list) list.push(i);
    else byClass.set(label, [i]);
  }
  const queues = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const picked: number[] = [];
  for (let round = 0; picked.length < options.max; round++)
    for (const q of queues) {
      const i = q[round];
      if (i !== undefined && picked.length < options.max) picked.push(i);
    }
  return Int32Array.from(picked).sort();
}
