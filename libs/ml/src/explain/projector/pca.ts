/**
 * Principal component analysis of a row-major `[n, d]` matrix: the covariance in float64, then
 * its eigenvectors (cyclic Jacobi for small `d`, subspace iteration with Rayleigh-Ritz beyond),
 * so the result matches numpy/scikit-learn up to the sign of each component.
 */
import { createRng } from '../../util/rng';

/** What {@link pca} returns. */
export interface PcaResult {
  /** Components kept. */
  k: number;
  /** Row-major `[n, k]` scores (the centred data projected on each component). */
  scores: Float32Array;
  /** Row-major `[k, d]` unit components, largest variance first; each one's largest-magnitude entry is positive. */
  components: Float64Array;
  /** Variance along each component (eigenvalues of the covariance, divided by n - 1). */
  explainedVariance: Float64Array;
  /** Per-feature means that were subtracted. */
  mean: Float64Array;
}

/** Dimensions up to which the full Jacobi eigendecomposition is used. */
const JACOBI_MAX_DIM = 256;

/** Per-column means of a row-major `[n, d]` matrix, in float64. */
export function columnMeans(data: ArrayLike<number>, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) mean[j]! += data[row + j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, n);
  return mean;
}

/** Sample covariance `[d, d]` (divided by n - 1) of the rows, centred on `mean`. */
export function covariance(
  data: ArrayLike<number>,
  n: number,
  d: number,
  mean: Float64Array,
): Float64Array {
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let j = 0; j < d; j++) row[j] = data[base + j]! - mean[j]!;
    // Upper triangle only; mirrored below.
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const off = a * d;
      for (let b = a; b < d; b++) cov[off + b]! += ra * row[b]!;
    }
  }
  const div = Math.max(1, n - 1);
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / div;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  return cov;
}

/**
 * Eigen-decomposition of a symmetric `[m, m]` matrix by cyclic Jacobi rotations.
 * @returns eigenvalues descending and the matching unit eigenvectors as rows `[m, m]`
 */
export function jacobiEigen(
  matrix: Float64Array,
  m: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < m; p++) {
      diag += a[p * m + p]! ** 2;
      for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < m - 1; p++) for (let q = p + 1; q < m; q++) rotate(a, v, m, p, q);
  }
  const order = Array.from({ length: m }, (_, i) => i).sort(
    (x, y) => a[y * m + y]! - a[x * m + x]!,
  );
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    values[dst] = a[src * m + src]!;
    // Column `src` of v is the eigenvector.
    for (let r = 0; r < m; r++) vectors[dst * m + r] = v[r * m + src]!;
  });
  return { values, vectors };
}

// One Jacobi rotation zeroing a[p][q] (Numerical Recipes' formulation).
function rotate(a: Float64Array, v: Float64Array, m: number, p: number, q: number): void {
  const apq = a[p * m + q]!;
  if (Math.abs(apq) < 1e-300) return;
  const app = a[p * m + p]!;
  const aqq = a[q * m + q]!;
  const theta = (aqq - app) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < m; k++) {
    const akp = a[k * m + p]!;
    const akq = a[k * m + q]!;
    a[k * m + p] = c * akp - s * akq;
    a[k * m + q] = s * akp + c * akq;
  }
  for (let k = 0; k < m; k++) {
    const apk = a[p * m + k]!;
    const aqk = a[q * m + k]!;
    a[p * m + k] = c * apk - s * aqk;
    a[q * m + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < m; k++) {
    const vkp = v[k * m + p]!;
    const vkq = v[k * m + q]!;
    v[k * m + p] = c * vkp - s * vkq;
    v[k * m + q] = s * vkp + c * vkq;
  }
}

// Modified Gram-Schmidt on the rows of q `[k, d]`, in place.
function orthonormalizeRows(q: Float64Array, k: number, d: number): void {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += q[i * d + t]! * q[j * d + t]!;
      for (let t = 0; t < d; t++) q[i * d + t]! -= dot * q[j * d + t]!;
    }
    let norm = 0;
    for (let t = 0; t < d; t++) norm += q[i * d + t]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let t = 0; t < d; t++) q[i * d + t]! /= norm;
  }
}

// rows of out `[k, d]` = rows of q times the symmetric c `[d, d]`.
function timesSymmetric(q: Float64Array, c: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k * d);
  for (let i = 0; i < k; i++)
    for (let a = 0; a < d; a++) {
      const qa = q[i * d + a]!;
      if (qa === 0) continue;
      for (let b = 0; b < d; b++) out[i * d + b]! += qa * c[a * d + b]!;
    }
  return out;
}

// Top-k eigenpairs of a large symmetric matrix: subspace iteration, then Rayleigh-Ritz.
function topEigen(
  c: Float64Array,
  d: number,
  k: number,
  seed: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Math.min(d, k + 8);
  const rng = createRng(seed);
  let q: Float64Array = Float64Array.from({ length: m * d }, () => rng() - 0.5);
  orthonormalizeRows(q, m, d);
  for (let it = 0; it < 200; it++) {
    q = timesSymmetric(q, c, m, d);
    orthonormalizeRows(q, m, d);
  }
  // Projected matrix Q C Q^T `[m, m]`, then its eigenvectors rotate the basis.
  const cq = timesSymmetric(q, c, m, d);
  const small = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += cq[i * d + t]! * q[j * d + t]!;
      small[i * m + j] = s;
    }
  const eig = jacobiEigen(small, m);
  const vectors = new Float64Array(k * d);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < m; j++) {
      const w = eig.vectors[i * m + j]!;
      for (let t = 0; t < d; t++) vectors[i * d + t]! += w * q[j * d + t]!;
    }
  return { values: eig.values.slice(0, k), vectors };
}

/**
 * PCA of the rows of a row-major `[n, d]` matrix.
 * @param options.k components to keep (at most d)
 * @param options.seed seed of the starting basis when `d` is large (the result does not depend on it beyond rounding)
 */
export function pca(
  data: ArrayLike<number>,
  shape: { n: number; d: number },
  options: {
    k: number;
    seed?: number;
    /** Eigen solver (default: Jacobi up to 256 dimensions, subspace iteration beyond). */
    solver?: 'jacobi' | 'subspace';
  },
): PcaResult {
  const { n, d } = shape;
  if (n < 2) throw new Error(`PCA needs at least 2 rows, got ${n}`);
  if (data.length !== n * d)
    throw new Error(`PCA data has ${data.length} values, expected ${n}x${d}`);
  const k = Math.max(1, Math.min(options.k, d));
  const mean = columnMeans(data, n, d);
  const cov = covariance(data, n, d, mean);
  const solver = options.solver ?? (d <= JACOBI_MAX_DIM ? 'jacobi' : 'subspace');
  const eig = solver === 'jacobi' ? jacobiEigen(cov, d) : topEigen(cov, d, k, options.seed ?? 0);
  const components = eig.vectors.slice(0, k * d);
  fixSigns(components, k, d);
  const scores = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j]! - mean[j]!) * components[c * d + j]!;
      scores[i * k + c] = s;
    }
  return {
    k,
    scores,
    components,
    explainedVariance: Float64Array.from(eig.values.slice(0, k), (x) => Math.max(0, x)),
    mean,
  };
}

// Deterministic signs: each component's largest-magnitude entry is positive.
function fixSigns(components: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let j = 0; j < d; j++)
      if (Math.abs(components[c * d + j]!) > Math.abs(best)) best = components[c * d + j]!;
    if (best < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j]!;
  }
}
