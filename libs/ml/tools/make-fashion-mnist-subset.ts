// Builds the balanced Fashion-MNIST subset committed under libs/ml/data/fashion-mnist-subset
// from the full set (Debian: apt-get install dataset-fashion-mnist).
// Usage: npx tsx libs/ml/tools/make-fashion-mnist-subset.ts [SOURCE_DIR] [TRAIN_PER_CLASS] [TEST_PER_CLASS]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeIdx } from '../src/data/idx';
import { selectSamples } from '../src/data/dataset';
import {
  FASHION_MNIST_FILES,
  FASHION_MNIST_SUBSET_DIR,
  FASHION_MNIST_SYSTEM_DIR,
  loadFashionMnist,
} from '../src/data/fashion-mnist';
import type { ImageSplit } from '../src/data/dataset';

const [src = FASHION_MNIST_SYSTEM_DIR, trainPer = '600', testPer = '100'] = process.argv.slice(2);

/** The first `perClass` images of each class, in file order. */
function firstPerClass(split: ImageSplit, perClass: number): ImageSplit {
  const taken = new Map<number, number>();
  const idx: number[] = [];
  for (let i = 0; i < split.count; i++) {
    const n = taken.get(split.labels[i]) ?? 0;
    if (n < perClass) {
      idx.push(i);
      taken.set(split.labels[i], n + 1);
    }
  }
  return selectSamples(split, idx, 28 * 28);
}

const full = await loadFashionMnist({ dir: src });
const train = firstPerClass(full.train, Number(trainPer));
const test = firstPerClass(full.test, Number(testPer));
await mkdir(FASHION_MNIST_SUBSET_DIR, { recursive: true });
const out = (f: string) => path.join(FASHION_MNIST_SUBSET_DIR, f);
await writeFile(
  out(FASHION_MNIST_FILES.trainImages),
  encodeIdx({ shape: [train.count, 28, 28], data: train.images }),
);
await writeFile(
  out(FASHION_MNIST_FILES.trainLabels),
  encodeIdx({ shape: [train.count], data: train.labels }),
);
await writeFile(
  out(FASHION_MNIST_FILES.testImages),
  encodeIdx({ shape: [test.count, 28, 28], data: test.images }),
);
await writeFile(
  out(FASHION_MNIST_FILES.testLabels),
  encodeIdx({ shape: [test.count], data: test.labels }),
);
console.log(
  `wrote ${train.count} train and ${test.count} test images to ${FASHION_MNIST_SUBSET_DIR}`,
);
