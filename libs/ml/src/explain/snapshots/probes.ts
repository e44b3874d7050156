/** The probe set of a run: a few test images per class, chosen once from the seed. */
import type { ImageSplit } from '../../data/dataset';
import { createRng } from '../../util/rng';
import type { SnapshotProbe } from './types';

/** Options of {@link selectProbes}. */
export interface ProbeOptions {
  /** Images per class (1 or 2). */
  perClass: number;
  /** Upper bound on the probes of a run (classes past it get none). */
  maxProbes: number;
  /** The run's seed. */
  seed: number;
  /** Classes of the dataset. */
  numClasses: number;
}

/**
 * `perClass` test samples of each class (classes in order, until `maxProbes`), drawn with a
 * generator seeded by the run's seed, so a run and its rerun follow the same images. A class
 * without test samples gets none. Probes are ordered by class, then by index.
 * @throws when perClass is not 1 or 2
 */
export function selectProbes(split: ImageSplit, options: ProbeOptions): SnapshotProbe[] {
  const { perClass, maxProbes, numClasses } = options;
  if (perClass !== 1 && perClass !== 2)
    throw new RangeError(`probes per class must be 1 or 2, got ${perClass}`);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < split.count; i++) byClass[split.labels[i]!]?.push(i);
  // Its own stream (seed mixed with a constant), not the one that shuffles training batches.
  const rng = createRng((options.seed ^ 0x5eed5) >>> 0);
  const probes: SnapshotProbe[] = [];
  for (const [label, indices] of byClass.entries()) {
    const picked: number[] = [];
    const pool = [...indices];
    while (picked.length < perClass && pool.length > 0) {
      const j = Math.floor(rng() * pool.length);
      picked.push(pool.splice(j, 1)[0]!);
    }
    for (const index of picked.sort((a, b) => a - b)) {
      if (probes.length >= maxProbes) return probes;
      probes.push({ index, label });
    }
  }
  return probes;
}
