/**
 * The cost of the embedding projector on 10,000 Fashion-MNIST test images: fmnist-cnn trains a
 * couple of epochs on 6,000 training images (so the features mean something), then libs/ml's
 * computeProjectorFiles projects the whole test split (the system's full set when installed:
 * 10,000 points; else the committed subset's 1,000) with its defaults and a time budget large
 * enough that nothing is skipped. Reports seconds per stage and the artifact's bytes. Used by
 * `npm run bench` (key "projector"); standalone:
 *   npx tsx bench/projector.bench.ts [epochs]
 * prints one JSON object. Not a test: nothing here asserts timings.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildModel,
  computeProjectorFiles,
  fitModel,
  getPreset,
  loadFashionMnist,
  selectBackend,
} from '@convscope/ml';

/** What {@link benchProjector} reports. */
export interface ProjectorFigures {
  backend: string;
  /** Test samples projected (PCA and UMAP lay out every one). */
  points: number;
  featureSeconds: number;
  pcaSeconds: number;
  umapSeconds: number;
  tsneSeconds: number;
  /** Points of the t-SNE (a seeded stratified subset). */
  tsnePoints: number;
  /** Bytes of projector.json. */
  bytes: number;
  /** computeProjectorFiles end to end. */
  totalSeconds: number;
  /** What the default 60 s budget would have left out at this speed. */
  skippedAtDefaultBudget: string[];
  trainImages: number;
}

const round = (x: number, d = 3) => Number(x.toFixed(d));

/** Trains fmnist-cnn for `epochs` epochs, then projects the test split. */
export async function benchProjector(epochs = 2): Promise<ProjectorFigures> {
  const { backend } = await selectBackend();
  const dir = existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz')
    ? '/usr/share/datasets/fashion-mnist'
    : undefined;
  const ds = await loadFashionMnist({ dir });
  const train = { ...ds.train, count: Math.min(ds.train.count, 6000) };
  const preset = getPreset('fmnist-cnn');
  const model = buildModel(preset, { seed: 1, numClasses: 10 });
  await fitModel(model, {
    train,
    shape: [28, 28, 1],
    numClasses: 10,
    epochs,
    batchSize: preset.batchSize,
    seed: 1,
  });
  const t0 = performance.now();
  const { files, index } = await computeProjectorFiles({
    model,
    images: ds.test.images,
    labels: ds.test.labels,
    count: ds.test.count,
    shape: [28, 28, 1],
    classNames: ds.classNames,
    seed: 1,
    options: { maxSeconds: 600 },
  });
  const totalSeconds = (performance.now() - t0) / 1000;
  model.dispose();
  const t = index.timings;
  // Methods run in order; each starts only while the budget is not spent.
  const skipped: string[] = [];
  let clock = (t.features ?? 0) + (t.pca ?? 0);
  for (const m of ['umap', 'tsne'] as const) {
    if (clock > 60 || clock + (t[m] ?? 0) > 60) skipped.push(m);
    clock += t[m] ?? 0;
  }
  return {
    backend,
    points: index.count,
    featureSeconds: round(t.features ?? 0),
    pcaSeconds: round(t.pca ?? 0),
    umapSeconds: round(t.umap ?? 0),
    tsneSeconds: round(t.tsne ?? 0),
    tsnePoints: index.layouts.find((l) => l.method === 'tsne')?.points ?? 0,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    totalSeconds: round(totalSeconds),
    skippedAtDefaultBudget: skipped,
    trainImages: train.count,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  console.log(JSON.stringify(await benchProjector(Number(process.argv[2] ?? 2))));
