import type { ImageDataset, ImageSplit } from './dataset';
import { selectSamples } from './dataset';
import { seededPermutation } from '../util/rng';

/** Options of {@link selectClasses}. */
export interface SelectClassesOptions {
  /** Labels to keep, renumbered 0..k-1 in this order (e.g. `[5, 6, 7, 8, 9]`). */
  classes: number[];
  /** Keep at most this many training images per class, chosen with `seed` (default: all). */
  trainPerClass?: number;
  /** Seed of the per-class choice (default 42). */
  seed?: number;
}

function subset(
  split: ImageSplit,
  classes: number[],
  pixels: number,
  perClass: number | undefined,
  seed: number,
): ImageSplit {
  const newLabel = new Map(classes.map((c, i) => [c, i]));
  const taken = new Map<number, number>();
  // A seeded order picks a random `perClass` of each class; the kept indices are then sorted so
  // the subset keeps the source's order.
  const order = perClass === undefined ? null : seededPermutation(split.count, seed);
  const keep: number[] = [];
  // k < count, and the permutation holds count indices < count: every read is in range.
  for (let k = 0; k < split.count; k++) {
    const i = order ? order[k]! : k;
    const label = split.labels[i]!;
    if (!newLabel.has(label)) continue;
    const n = taken.get(label) ?? 0;
    if (perClass !== undefined && n >= perClass) continue;
    taken.set(label, n + 1);
    keep.push(i);
  }
  keep.sort((a, b) => a - b);
  const out = selectSamples(split, keep, pixels);
  for (let i = 0; i < out.count; i++) out.labels[i] = newLabel.get(out.labels[i]!)!;
  return out;
}

/**
 * A dataset restricted to some classes, relabelled 0..k-1, with optionally only `trainPerClass`
 * training images per class (the test split keeps every image of those classes).
 * @throws when a class is not a label of the dataset
 */
export function selectClasses(dataset: ImageDataset, options: SelectClassesOptions): ImageDataset {
  const { classes } = options;
  const bad = classes.find(
    (c) => !(Number.isInteger(c) && c >= 0 && c < dataset.classNames.length),
  );
  if (bad !== undefined)
    throw new RangeError(
      `class ${bad} is not a label of ${dataset.name} (0..${dataset.classNames.length - 1})`,
    );
  const pixels = dataset.height * dataset.width * dataset.channels;
  const seed = options.seed ?? 42;
  return {
    ...dataset,
    name: `${dataset.name}[${classes.join(',')}]`,
    // Every class was checked above to be a label of the dataset.
    classNames: classes.map((c) => dataset.classNames[c]!),
    train: subset(dataset.train, classes, pixels, options.trainPerClass, seed),
    test: subset(dataset.test, classes, pixels, undefined, seed),
    source: `${dataset.source}, classes ${classes.join(', ')}${options.trainPerClass ? `, ${options.trainPerClass} training images per class (seed ${seed})` : ''}`,
  };
}
