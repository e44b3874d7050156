import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { loadFashionMnist } from '../data/fashion-mnist';
import { parseExperimentConfig } from '../models/config';
import { selectClasses } from '../data/class-subset';
import { runExperimentConfig } from './run-config';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

describe('selectClasses', () => {
  it('keeps and renumbers the classes, with a seeded number per class', async () => {
    const ds = await loadFashionMnist();
    const sub = selectClasses(ds, { classes: [7, 2], trainPerClass: 5, seed: 1 });
    expect(sub.classNames).toEqual(['Sneaker', 'Pullover']);
    expect(sub.train.count).toBe(10);
    expect([...sub.train.labels].sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(sub.test.count).toBe(200); // the subset's test split has 100 per class
    // Pixels travel with their label: the first kept Sneaker image is one of the source's Sneakers.
    const i = sub.train.labels.indexOf(0);
    const img = sub.train.images.subarray(i * 784, (i + 1) * 784).join(',');
    const sources = [...ds.train.labels.keys()].filter((k) => ds.train.labels[k] === 7);
    expect(
      sources.some((k) => ds.train.images.subarray(k * 784, (k + 1) * 784).join(',') === img),
    ).toBe(true);
    const again = selectClasses(ds, { classes: [7, 2], trainPerClass: 5, seed: 1 });
    expect(again.train.images).toEqual(sub.train.images);
    const other = selectClasses(ds, { classes: [7, 2], trainPerClass: 5, seed: 2 });
    expect(other.train.images).not.toEqual(sub.train.images);
    expect(() => selectClasses(ds, { classes: [10] })).toThrow(/class 10 is not a label/);
  });
});

describe('runExperimentConfig', () => {
  it('pretrains a base, transfers it in two phases and trains the scratch baseline', async () => {
    const config = parseExperimentConfig(`
preset: fmnist-cnn
data: { source: fashion-mnist, classes: [5, 6], trainPerClass: 20 }
training: { batchSize: 16, validationSplit: 0, patience: 100, seed: 3, testLimit: 60 }
transfer:
  base: { pretrain: { classes: [0, 1], epochs: 1 } }
  headEpochs: 2
  fineTuneEpochs: 1
  compareWithScratch: true
`);
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const r = await runExperimentConfig(config, { onRunStart: (l) => lines.push(l) });
    expect(r.runs.map((x) => x.role)).toEqual(['base', 'transfer', 'scratch']);
    const [base, transfer, scratch] = r.runs.map((x) => x.result);
    if (!base || !transfer || !scratch) throw new Error('expected base, transfer and scratch runs');
    expect(base.history).toHaveLength(1);
    expect(transfer.history).toHaveLength(3);
    expect(transfer.phases).toEqual([
      { phase: 'head', startEpoch: 0, epochs: 2 },
      { phase: 'finetune', startEpoch: 2, epochs: 1 },
    ]);
    expect(transfer.epochPhases).toEqual(['head', 'head', 'finetune']);
    expect(scratch.history).toHaveLength(3);
    expect(scratch.phases).toEqual([{ phase: 'train', startEpoch: 0, epochs: 3 }]);
    expect(transfer.testReport.numClasses).toBe(2);
    expect(r.comparison!.transfer).toBe(transfer.testAccuracy);
    expect(r.comparison!.difference).toBeCloseTo(transfer.testAccuracy - scratch.testAccuracy, 12);
    expect(lines).toHaveLength(3);
    // Every model, nested base and optimizer is disposed.
    expect(tf.memory().numTensors).toBe(before);
  });
});
