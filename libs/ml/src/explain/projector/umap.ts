/**
 * UMAP (umap-js) with a seeded generator: umap-js draws every random number (the random
 * projection trees, the nearest-neighbour descent, the negative samples) from the `random`
 * option, so the same data and seed give the same layout.
 */
import { UMAP } from 'umap-js';
import { createRng } from '../../util/rng';

/** Options of {@link umap}. */
export interface UmapOptions {
  seed: number;
  /** Neighbours of the fuzzy graph (default 15, fewer for tiny inputs). */
  nNeighbors?: number;
  /** Minimum distance in the layout (default 0.1). */
  minDist?: number;
  /** Optimisation epochs (default 200). */
  nEpochs?: number;
  /** Called every 10 epochs; awaiting it lets the event loop run. */
  onProgress?: (epoch: number) => void | Promise<void>;
}

/**
 * 2-D UMAP layout of the rows of a row-major `[n, d]` matrix.
 * @returns row-major `[n, 2]` coordinates
 */
export async function umap(
  x: ArrayLike<number>,
  shape: { n: number; d: number },
  options: UmapOptions,
): Promise<Float32Array> {
  const { n, d } = shape;
  if (n < 3) return new Float32Array(n * 2);
  const rows: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => x[i * d + j]!),
  );
  const model = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(options.nNeighbors ?? 15, n - 1)),
    minDist: options.minDist ?? 0.1,
    nEpochs: options.nEpochs ?? 200,
    random: createRng(options.seed),
  });
  const epochs = model.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    model.step();
    if (options.onProgress && e % 10 === 9) await options.onProgress(e + 1);
  }
  const out = new Float32Array(n * 2);
  model.getEmbedding().forEach((p, i) => {
    out[2 * i] = p[0] ?? 0;
    out[2 * i + 1] = p[1] ?? 0;
  });
  return out;
}
