import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { selectBackend } from '../backend/select-backend';
import { loadImageFolder, type ImageFolderDataset } from '../data/image-folder';
import { createMemorySource, type ImageSource } from '../data/image-source';
import type { AugmentationConfig } from '../data/augment';
import { evaluateSource, fitModel } from './fit';

const shape: [number, number, number] = [12, 12, 3];
let tmp: string;
let ds: ImageFolderDataset;
let truncated: string;

/** Class 0: red rising left to right; class 1: blue rising top to bottom. Sizes vary per image. */
async function writeSample(path: string, cls: number, i: number) {
  const w = 14 + (i % 5) * 3;
  const h = 15 + (i % 3) * 4;
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      if (cls === 0) px[o] = Math.round((255 * x) / (w - 1));
      else px[o + 2] = Math.round((255 * y) / (h - 1));
      px[o + 1] = (x * 13 + y * 7 + i) % 40; // a little texture
    }
  }
  const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
  await writeFile(path, await (i % 2 ? img.png() : img.jpeg({ quality: 92 })).toBuffer());
}

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
  tmp = await mkdtemp(join(tmpdir(), 'convscope-fit-source-'));
  for (const [split, n] of [
    ['train', 12],
    ['validation', 4],
  ] as const) {
    for (const cls of [0, 1]) {
      await mkdir(join(tmp, split, `class${cls}`), { recursive: true });
      for (let i = 0; i < n; i++) {
        await writeSample(join(tmp, split, `class${cls}`, `${i}.${i % 2 ? 'png' : 'jpg'}`), cls, i);
      }
    }
  }
  // A JPEG truncated in its scan data: the header check passes, decoding in training fails.
  const noise = Uint8Array.from({ length: 48 * 48 * 3 }, (_, i) => (i * 7919) % 251);
  const jpeg = await sharp(noise, { raw: { width: 48, height: 48, channels: 3 } })
    .jpeg()
    .toBuffer();
  truncated = join(tmp, 'train', 'class1', 'zz-truncated.jpg');
  await writeFile(truncated, jpeg.subarray(0, jpeg.length >> 1));
  ds = await loadImageFolder({ dir: tmp, shape, onBadFile: 'skip' });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function tinyModel(seed: number): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: shape,
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

const augmentation: AugmentationConfig = {
  horizontalFlip: true,
  widthShiftRange: [1],
  rotationRange: 10,
  fillMode: 'reflect',
};

/** Wraps a source so its reads are logged into `events`. */
function logged(source: ImageSource, events: string[]): ImageSource {
  return {
    count: source.count,
    labels: source.labels,
    classNames: source.classNames,
    shape: source.shape,
    readBatch: (idx) => {
      events.push(`read${idx.length}`);
      return source.readBatch(idx);
    },
  };
}

describe('fitModel on an image-folder source', () => {
  it('trains an epoch with augmentation, prefetching, skipping the bad file, without leaking tensors', async () => {
    expect(ds.train.count).toBe(25); // 24 good images and the truncated one
    const model = tinyModel(1);
    // Warm-up from memory: Adam creates its slot variables on the first step; they belong to the model.
    await fitModel(model, {
      train: createMemorySource({
        split: { images: new Uint8Array(432), labels: new Uint8Array(1), count: 1 },
        shape,
      }),
      shape,
      numClasses: 2,
      epochs: 1,
      batchSize: 1,
    });
    const before = tf.memory().numTensors;
    const events: string[] = [];
    const result = await fitModel(model, {
      train: logged(ds.train, events),
      validation: ds.validation,
      shape,
      numClasses: 2,
      epochs: 1,
      batchSize: 8,
      seed: 4,
      augmentation,
      callbacks: { onBatchEnd: (b) => void events.push(`step${b.batch}`) },
    });
    expect(tf.memory().numTensors).toBe(before);
    // 25 samples in batches of 8: the read of batch b + 1 is issued before step b runs.
    expect(events).toEqual([
      'read8',
      'read8',
      'step0',
      'read8',
      'step1',
      'read1',
      'step2',
      'step3',
    ]);
    expect(ds.train.badFiles.map((b) => b.path)).toEqual([truncated]);
    const [logs] = result.history;
    if (!logs) throw new Error('no epoch was logged');
    expect(Number.isFinite(logs.loss)).toBe(true);
    expect(logs.train_images_per_s).toBeGreaterThan(0);
    // Validation is not augmented: the logged val_loss is the plain evaluation of the model.
    const plain = await evaluateSource(model, ds.validation!, { shape, numClasses: 2 });
    expect(logs.val_loss).toBeCloseTo(plain.loss, 5);
    expect(logs.val_accuracy).toBe(plain.accuracy);
    model.dispose();
  });

  it('learns the two classes and is reproducible for a seed', async () => {
    const run = async (augSeed: number) => {
      const model = tinyModel(7);
      const r = await fitModel(model, {
        train: ds.train,
        validation: ds.validation,
        shape,
        numClasses: 2,
        epochs: 6,
        batchSize: 8,
        seed: 1,
        augmentation: { ...augmentation, seed: augSeed },
      });
      model.dispose();
      return r.history;
    };
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(b.map((h) => h.loss)).toEqual(a.map((h) => h.loss));
    expect(c.map((h) => h.loss)).not.toEqual(a.map((h) => h.loss));
    expect(a.at(-1)?.loss).toBeLessThan(a[0]?.loss ?? NaN);
    expect(Math.max(...a.map((h) => h.val_accuracy!))).toBe(1);
  });

  it('refuses a source whose images do not match the model shape', async () => {
    const model = tinyModel(1);
    await expect(
      fitModel(model, {
        train: ds.train,
        shape: [8, 8, 3],
        numClasses: 2,
        epochs: 1,
        batchSize: 4,
      }),
    ).rejects.toThrow(/source images are \[12, 12, 3\], the model expects \[8, 8, 3\]/);
    model.dispose();
  });
});
