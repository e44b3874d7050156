import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdxFormatError, readIdxFile, type IdxArray } from './idx';
import type { ImageDataset, ImageSplit } from './dataset';

/** Class names of Fashion-MNIST, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** The four IDX files of Fashion-MNIST, as named by the original release and Debian's package. */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** Directory of the balanced subset committed with the repository (6,000 train, 1,000 test). */
export const FASHION_MNIST_SUBSET_DIR = fileURLToPath(new URL('../../data/fashion-mnist-subset/', import.meta.url));

/** Where Debian's `dataset-fashion-mnist` package installs the full set. */
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

async function loadSplit(dir: string, imagesFile: string, labelsFile: string): Promise<ImageSplit> {
  const imagesPath = path.join(dir, imagesFile);
  const labelsPath = path.join(dir, labelsFile);
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  expectShape(images, imagesPath, 3);
  expectShape(labels, labelsPath, 1);
  if (images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new IdxFormatError(imagesPath, `expected 28x28 images, got ${images.shape[1]}x${images.shape[2]}`);
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new IdxFormatError(
      labelsPath,
      `${labels.shape[0]} labels for ${images.shape[0]} images in ${path.basename(imagesPath)}`,
    );
  }
  const bad = labels.data.findIndex((l) => l >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0) throw new IdxFormatError(labelsPath, `label ${labels.data[bad]} at index ${bad} is not in 0..9`);
  return { images: images.data, labels: labels.data, count: labels.data.length };
}

function expectShape(array: IdxArray, file: string, rank: number): void {
  if (array.shape.length !== rank) {
    throw new IdxFormatError(file, `expected a rank-${rank} array, got shape [${array.shape.join(', ')}]`);
  }
}

/**
 * Loads Fashion-MNIST from a directory holding the four IDX gzip files.
 * Without `dir`, loads the balanced subset committed in the repository (works offline).
 */
export async function loadFashionMnist(options: { dir?: string } = {}): Promise<ImageDataset> {
  const dir = options.dir ?? FASHION_MNIST_SUBSET_DIR;
  const [train, test] = await Promise.all([
    loadSplit(dir, FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels),
    loadSplit(dir, FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels),
  ]);
  return {
    name: 'fashion-mnist',
    height: 28,
    width: 28,
    channels: 1,
    classNames: [...FASHION_MNIST_CLASSES],
    train,
    test,
    source: options.dir ? path.resolve(dir) : 'committed subset (libs/ml/data/fashion-mnist-subset)',
  };
}
