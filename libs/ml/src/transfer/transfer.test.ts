import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { selectBackend } from '../backend/select-backend';
import { buildModel } from '../models/build-model';
import type { ModelPreset } from '../models/presets';
import { serializeModel, writeModelDir } from '../models/serialize-model';
import { fitModel } from '../train/fit';
import type { ImageSplit } from '../data/dataset';
import { loadModelFrom, ModelLoadError } from './load-model';
import { buildTransferModel, cutModel, defaultCutLayer } from './transfer-model';
import { fitPhases, transferPhases, type PhaseMarker } from './phases';

const shape: [number, number, number] = [12, 12, 1];
const tinyPreset: ModelPreset = {
  name: 'tiny-base',
  description: 'test base',
  inputShape: shape,
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' },
    { type: 'maxPooling2d', poolSize: 2, name: 'p1' },
    { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c2' },
    { type: 'flatten', name: 'flat' },
    { type: 'dense', units: 3, activation: 'softmax', name: 'out' },
  ],
  optimizer: { type: 'adam', learningRate: 1e-2 },
  loss: 'categoricalCrossentropy',
  batchSize: 8,
  epochs: 1,
};

/** Images whose class is the bright quadrant (0, 1, 2): learnable in a few steps. */
function quadrantSplit(count: number, seed: number): ImageSplit {
  const [h, w] = shape;
  const images = new Uint8Array(count * h * w);
  const labels = new Uint8Array(count);
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const q = y < h / 2 ? (x < w / 2 ? 0 : 1) : 2;
        images[i * h * w + y * w + x] = (q === label ? 160 : 20) + Math.floor(rnd() * 60);
      }
  }
  return { images, labels, count };
}

let dir: string;
let server: Server;
let url: string;

/** Trains the tiny model briefly and writes it to `dir/base` as model.json + weights.bin. */
async function saveTrainedBase(): Promise<void> {
  const model = buildModel(tinyPreset, { seed: 5 });
  await fitModel(model, {
    train: quadrantSplit(48, 1),
    shape,
    numClasses: 3,
    epochs: 1,
    batchSize: 8,
  });
  await writeModelDir(path.join(dir, 'base'), await serializeModel(model));
  model.dispose();
}

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
  dir = await mkdtemp(path.join(tmpdir(), 'convscope-transfer-'));
  await saveTrainedBase();
  server = createServer((req, res) => {
    const name = path.basename(req.url ?? '');
    readFile(path.join(dir, 'base', name)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/model.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const bytes = (ts: tf.Tensor[]) =>
  ts.map((t) => Buffer.from((t.dataSync() as Float32Array).buffer).toString('hex'));

describe('loadModelFrom', () => {
  it('loads the same model from a directory, a model.json path, a file:// URL and an http URL', async () => {
    const sources = [
      path.join(dir, 'base'),
      path.join(dir, 'base', 'model.json'),
      pathToFileURL(path.join(dir, 'base')).href,
      url,
    ];
    const weights: string[][] = [];
    for (const source of sources) {
      const m = await loadModelFrom(source);
      expect(m.layers.map((l) => l.name)).toEqual(['c1', 'p1', 'c2', 'flat', 'out']);
      weights.push(bytes(m.getWeights()));
      m.dispose();
    }
    for (const w of weights.slice(1)) expect(w).toEqual(weights[0]);
  });

  it('names a bad path or URL in the error', async () => {
    const missing = path.join(dir, 'nope');
    await expect(loadModelFrom(missing)).rejects.toThrow(ModelLoadError);
    await expect(loadModelFrom(missing)).rejects.toThrow(
      `cannot load model from "${missing}": no such file or directory`,
    );
    await expect(loadModelFrom(dir)).rejects.toThrow(
      `cannot load model from "${dir}": the directory has no model.json`,
    );
    const badUrl = url.replace('model.json', 'missing.json');
    await expect(loadModelFrom(badUrl)).rejects.toThrow(`cannot load model from "${badUrl}"`);
  });
});

describe('transfer learning', () => {
  it('cuts at the last 4-D output by default and keeps the base nested', async () => {
    const loaded = await loadModelFrom(path.join(dir, 'base'));
    expect(defaultCutLayer(loaded)).toBe('c2');
    const before = tf.memory().numTensors;
    const base = cutModel(loaded);
    // flatten has no weights; the dense head of the original (kernel + bias) is freed.
    expect(tf.memory().numTensors).toBe(before - 2);
    const { model } = buildTransferModel({ base, numClasses: 2, hidden: [5], seed: 1 });
    expect(model.layers.map((l) => l.name)).toEqual([
      'image',
      'base',
      'head_pool',
      'head_dense1',
      'head_dropout',
      'predictions',
    ]);
    expect(model.getLayer('base')).toBe(base);
    expect(model.getLayer('base')).toBeInstanceOf(tf.LayersModel);
    expect(model.trainableWeights).toHaveLength(4); // head only
    expect(() => cutModel(model, 'nope')).toThrow(/has no layer "nope"; its layers: image, base/);
    // Disposing the full model frees the base too: 4 base + 4 head weights (the optimizer is the caller's).
    const beforeDispose = tf.memory().numTensors;
    const optimizer = model.optimizer;
    model.dispose();
    expect(beforeDispose - tf.memory().numTensors).toBe(8);
    optimizer.dispose();
  });

  it('trains the head with the base frozen (bitwise), then fine-tunes it; saves and reloads', async () => {
    const base = cutModel(await loadModelFrom(url));
    const { model } = buildTransferModel({
      base,
      numClasses: 3,
      seed: 2,
      optimizer: { type: 'adam', learningRate: 1e-2 },
    });
    const baseBefore = bytes(base.getWeights());
    const headBefore = bytes(model.getLayer('predictions').getWeights());
    const markers: PhaseMarker[] = [];
    const epochs: number[] = [];
    let headBaseWeights: string[] = [];
    const phases = transferPhases({
      base,
      headEpochs: 2,
      fineTuneEpochs: 2,
      fineTuneOptimizer: { type: 'adam', learningRate: 1e-3 },
      binary: false,
    });
    const result = await fitPhases(model, {
      train: quadrantSplit(48, 3),
      validation: quadrantSplit(12, 4),
      shape,
      numClasses: 3,
      batchSize: 8,
      phases,
      onPhaseStart: (m) => {
        markers.push({ ...m });
        if (m.phase === 'finetune') headBaseWeights = bytes(base.getWeights());
      },
      callbacks: { onEpochEnd: (e) => void epochs.push(e) },
    });
    expect(headBaseWeights).toEqual(baseBefore);
    expect(bytes(model.getLayer('predictions').getWeights())).not.toEqual(headBefore);
    const after = bytes(base.getWeights());
    after.forEach((w, i) => expect(w).not.toBe(baseBefore[i]));
    expect(epochs).toEqual([0, 1, 2, 3]);
    expect(markers).toEqual([
      { phase: 'head', startEpoch: 0, epochs: 2 },
      { phase: 'finetune', startEpoch: 2, epochs: 2 },
    ]);
    expect(result.phases).toEqual(markers);
    expect(result.epochPhases).toEqual(['head', 'head', 'finetune', 'finetune']);
    expect(result.history).toHaveLength(4);

    const out = path.join(dir, 'transfer');
    await writeModelDir(out, await serializeModel(model));
    const reloaded = await loadModelFrom(out);
    expect(reloaded.getLayer('base')).toBeInstanceOf(tf.LayersModel);
    const x = tf.randomUniform([3, ...shape], 0, 1, 'float32', 7);
    const p1 = model.predict(x) as tf.Tensor;
    const p2 = reloaded.predict(x) as tf.Tensor;
    expect(Array.from(p2.dataSync())).toEqual(Array.from(p1.dataSync()));
    tf.dispose([x, p1, p2]);
    model.dispose();
    reloaded.dispose();
  });

  it('unfreezes only the top N layers of the base when asked', async () => {
    const base = cutModel(await loadModelFrom(path.join(dir, 'base')));
    const { model } = buildTransferModel({ base, numClasses: 3, seed: 3 });
    const phases = transferPhases({
      base,
      headEpochs: 1,
      fineTuneEpochs: 1,
      fineTuneOptimizer: { type: 'adam', learningRate: 1e-3 },
      unfreeze: 1,
      binary: false,
    });
    phases[1]!.prepare!(model);
    // Only c2 (kernel, bias) and the head (kernel, bias) train.
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual([
      'c2/kernel',
      'c2/bias',
      'predictions/kernel',
      'predictions/bias',
    ]);
    model.dispose();
  });
});
