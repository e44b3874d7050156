import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExperimentConfig } from './config';

const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

describe('examples/', () => {
  it('holds one config per study', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    expect(files).toEqual([
      'cats-dogs-small.yaml',
      'cifar3-cnn.yaml',
      'fmnist-transfer.yaml',
      'mc-dropout-cnn.yaml',
      'monkey-eye.yaml',
      'monkey-xception-transfer.yaml',
      'vnn.yaml',
    ]);
  });

  it('every example config parses and validates', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => /\.(ya?ml|json)$/.test(f));
    for (const f of files) {
      const c = await loadExperimentConfig(path.join(EXAMPLES, f));
      expect(c.preset.layers.length, f).toBeGreaterThan(0);
    }
  });

  it('the studies use the models and settings they document', async () => {
    const load = (f: string) => loadExperimentConfig(path.join(EXAMPLES, f));
    const cats = await load('cats-dogs-small.yaml');
    expect(cats.preset.loss).toBe('binaryCrossentropy');
    expect(cats.preset.optimizer).toEqual({ type: 'rmsprop', learningRate: 1e-4 });
    const transfer = await load('fmnist-transfer.yaml');
    expect(transfer.data).toMatchObject({ classes: [5, 6, 7, 8, 9], trainPerClass: 100 });
    expect(transfer.transfer).toMatchObject({
      base: { pretrain: { classes: [0, 1, 2, 3, 4] } },
      compareWithScratch: true,
    });
    const xception = await load('monkey-xception-transfer.yaml');
    expect(typeof xception.transfer?.base).toBe('string');
    const vnn = await load('vnn.yaml');
    expect(vnn.preset.layers.map((l) => l.type)).toContain('gaussianSampling');
    const mc = await load('mc-dropout-cnn.yaml');
    expect(mc.preset.layers.filter((l) => l.type === 'mcDropout')).toHaveLength(3);
    expect((await load('cifar3-cnn.yaml')).preset.inputShape).toEqual([32, 32, 3]);
    expect((await load('monkey-eye.yaml')).preset.inputShape).toEqual([128, 128, 3]);
    // Image-folder studies point below the repository's (git-ignored) data/datasets/, resolved
    // against examples/ and not against the working directory.
    const datasets = path.resolve(EXAMPLES, '..', 'data', 'datasets');
    const studies: [string, string][] = [
      ['monkey-eye.yaml', '10-monkey-species'],
      ['monkey-xception-transfer.yaml', '10-monkey-species'],
      ['cats-dogs-small.yaml', 'cats_and_dogs_small'],
      ['cifar3-cnn.yaml', 'cifar3'],
    ];
    for (const [f, folder] of studies) {
      const data = (await load(f)).data;
      expect(data, f).toMatchObject({
        source: 'image-folder',
        folder: path.join(datasets, folder),
      });
    }
    // The monkey archive has training/ and validation/ only: the test split is held out.
    expect((await load('monkey-eye.yaml')).data).toMatchObject({ split: { test: 0.1 } });
  });
});
