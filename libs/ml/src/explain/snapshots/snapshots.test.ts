// Training snapshots: probe choice, quantisation, filters, activation statistics, budgets, and
// the final snapshot's Grad-CAMs against the explanation pack's on the same tiny trained model.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageSplit } from '../../data/dataset';
import { layerActivations } from '../activations';
import { buildExplanationPack } from '../pack/build';
import { fromBase64, quantize01 } from './encode';
import { scaleFilters } from './filters';
import { layerActivationStats } from './layer-stats';
import { resolveSnapshotOptions } from './options';
import { selectProbes } from './probes';
import { SnapshotRecorder, type SnapshotSink } from './recorder';
import { takeSnapshot } from './snapshot';
import { SNAPSHOT_INDEX_NAME, SNAPSHOT_PROBES_NAME, type SnapshotIndex } from './types';

const H = 12;
const W = 12;
const CLASSES = 4;

/** 4 classes of 12x12 gray images: a bright bar in one of four places, plus seeded noise. */
function barSplit(count: number, seed: number): ImageSplit {
  let a = seed;
  const noise = () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) >>> 26) * 2;
  const images = new Uint8Array(count * H * W);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % CLASSES;
    labels[i] = c;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const on = c === 0 ? y < 3 : c === 1 ? y >= 9 : c === 2 ? x < 3 : x >= 9;
        images[i * H * W + y * W + x] = (on ? 200 : 20) + noise();
      }
  }
  return { images, labels, count };
}

function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: [H, W, 1],
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv1',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }));
  m.add(
    tf.layers.conv2d({
      filters: 6,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv2',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(
    tf.layers.dense({
      units: CLASSES,
      activation: 'softmax',
      name: 'out',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    }),
  );
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return m;
}

/** Uploads kept in memory. */
function memorySink(): SnapshotSink & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    uploadArtifact: (name, bytes) => {
      files.set(name, bytes);
      return Promise.resolve({ id: name, name, kind: 'snapshot', bytes: bytes.length } as never);
    },
  };
}

const json = <T>(bytes: Uint8Array | undefined): T =>
  JSON.parse(new TextDecoder().decode(bytes)) as T;

describe('selectProbes', () => {
  const split = barSplit(40, 7);
  it('takes 1 (or 2) images of each class, the same for the same seed', () => {
    const one = selectProbes(split, { perClass: 1, maxProbes: 20, seed: 42, numClasses: CLASSES });
    expect(one.map((p) => p.label)).toEqual([0, 1, 2, 3]);
    for (const p of one) expect(split.labels[p.index]).toBe(p.label);
    expect(
      selectProbes(split, { perClass: 1, maxProbes: 20, seed: 42, numClasses: CLASSES }),
    ).toEqual(one);
    // Another seed: another draw (10 candidates per class, 4 classes: equal by chance 1 in 10^4).
    expect(
      selectProbes(split, { perClass: 1, maxProbes: 20, seed: 43, numClasses: CLASSES }),
    ).not.toEqual(one);
    const two = selectProbes(split, { perClass: 2, maxProbes: 20, seed: 42, numClasses: CLASSES });
    expect(two.map((p) => p.label)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(new Set(two.map((p) => p.index)).size).toBe(8);
  });
  it('is bounded, skips classes without samples and refuses 3 per class', () => {
    expect(
      selectProbes(split, { perClass: 2, maxProbes: 3, seed: 1, numClasses: CLASSES }),
    ).toHaveLength(3);
    expect(
      selectProbes(split, { perClass: 1, maxProbes: 20, seed: 1, numClasses: 6 }),
    ).toHaveLength(4);
    expect(() =>
      selectProbes(split, { perClass: 3, maxProbes: 20, seed: 1, numClasses: 4 }),
    ).toThrow(/1 or 2/);
  });
});

describe('quantisation and filter scaling', () => {
  it('quantises [0, 1] to bytes within half a step, clamping outside values', () => {
    const v = Float32Array.from({ length: 1001 }, (_, i) => i / 1000);
    const q = quantize01(v);
    for (let i = 0; i < v.length; i++)
      expect(Math.abs(q[i]! / 255 - v[i]!)).toBeLessThanOrEqual(0.5 / 255 + 1e-9);
    expect(Array.from(quantize01([-0.5, 1.5, 0.5]))).toEqual([0, 255, 128]);
    expect(Array.from(fromBase64(Buffer.from([1, 2, 250]).toString('base64')))).toEqual([
      1, 2, 250,
    ]);
  });
  it('scales each filter min-max or symmetric about zero (values by hand)', () => {
    const values = Float32Array.from([-1, 0, 3, 2, 2, 2]);
    expect(Array.from(scaleFilters(values, { count: 2, per: 3, scaling: 'minmax' }))).toEqual([
      0, 64, 255, 128, 128, 128,
    ]);
    // Symmetric: bound 3 -> -1 is 0.5 - 1/6, 0 is 0.5, 3 is 1; flat 2s: bound 2, all 1.
    expect(Array.from(scaleFilters(values, { count: 2, per: 3, scaling: 'symmetric' }))).toEqual([
      85, 128, 255, 255, 255, 255,
    ]);
  });
});

describe('snapshots of a tiny trained model', () => {
  const train = barSplit(64, 3);
  const test = barSplit(16, 11);
  let model: tf.LayersModel;
  const x = (s: ImageSplit) =>
    tf.tidy(() =>
      tf.tensor4d(
        Float32Array.from(s.images, (v) => v * (1 / 255)),
        [s.count, H, W, 1],
      ),
    );

  beforeAll(async () => {
    model = tinyModel();
    const xs = x(train);
    const ys = tf.oneHot(tf.tensor1d(Array.from(train.labels), 'int32'), CLASSES);
    await model.fit(xs, ys, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);
  });

  it('final CAMs equal the explanation pack Grad-CAM PNGs byte for byte (true and predicted class)', async () => {
    const xs = x(test);
    const probs = model.predict(xs) as tf.Tensor;
    const probabilities = probs.dataSync() as Float32Array;
    tf.dispose([xs, probs]);
    const pack = await buildExplanationPack({
      model,
      split: test,
      shape: [H, W, 1],
      probabilities,
      classNames: ['top', 'bottom', 'left', 'right'],
      options: {
        samples: test.count,
        camMethods: ['gradcam'],
        filterChannels: 0,
        saliencySamples: 0,
        limeSamples: 0,
        gridChannels: 4,
        topK: 1,
      },
    });
    const sink = memorySink();
    const recorder = new SnapshotRecorder(
      sink,
      { test, shape: [H, W, 1], classNames: ['a', 'b', 'c', 'd'], seed: 5 },
      resolveSnapshotOptions({ probesPerClass: 2 }),
    );
    await recorder.begin(model);
    const before = tf.memory().numTensors;
    const snap = await recorder.capture(model, { epoch: 4, phase: 'train', final: true });
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
    expect(snap?.cams?.layer).toBe(pack.index.camLayer);
    expect(snap?.cams?.shape).toEqual([H, W]);
    let compared = 0;
    let comparedPredicted = 0;
    for (const [i, p] of snap!.predictions.entries()) {
      const targets: [string | null | undefined, number][] = [
        [snap!.cams!.true[i], p.label],
        [snap!.cams!.predicted[i], p.predicted],
      ];
      for (const [map, cls] of targets) {
        if (!map) continue;
        const file = pack.files.find(
          (f) => f.name === `explain.s${p.index}.cam.gradcam.c${cls}.png`,
        );
        expect(file, `pack map of sample ${p.index} class ${cls}`).toBeDefined();
        const png = await sharp(file!.data).extractChannel(0).raw().toBuffer();
        expect(Array.from(fromBase64(map))).toEqual(Array.from(png));
        compared++;
        if (cls !== p.label) comparedPredicted++;
      }
      // The pack's prediction of the sample is the snapshot's.
      const s = pack.index.samples.find((q) => q.index === p.index)!;
      expect(p.predicted).toBe(s.predicted);
      expect(p.confidence).toBeCloseTo(s.confidence, 3);
    }
    expect(compared).toBeGreaterThanOrEqual(8);
    // The tiny model still gets some probes wrong: their predicted-class maps are compared too.
    expect(comparedPredicted).toBeGreaterThan(0);
  });

  it('activation statistics equal numbers computed from the downloaded activations', () => {
    const xs = x(test);
    const stats = layerActivationStats(model, xs);
    const acts = layerActivations({ model, images: xs });
    xs.dispose();
    expect(stats.map((s) => s.layer)).toEqual(['conv1', 'pool1', 'conv2', 'flat', 'out']);
    for (const a of acts) {
      const n = a.data.length;
      const mean = a.data.reduce((s, v) => s + v, 0) / n;
      const std = Math.sqrt(a.data.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
      const zeros = a.data.filter((v) => v === 0).length / n;
      const s = stats.find((q) => q.layer === a.layer)!;
      expect(s.mean).toBeCloseTo(mean, 4);
      expect(s.std).toBeCloseTo(std, 4);
      expect(s.zeroFraction).toBeCloseTo(zeros, 5);
    }
  });

  it('stores the first layer filters as gray images, min-max per filter', async () => {
    const sink = memorySink();
    const r = new SnapshotRecorder(
      sink,
      { test, shape: [H, W, 1], classNames: ['a', 'b', 'c', 'd'], seed: 5 },
      resolveSnapshotOptions({ maxFilters: 3 }),
    );
    await r.begin(model);
    const snap = await r.capture(model, { epoch: 1, phase: 'train', final: false });
    const f = snap!.filters!;
    expect([f.layer, f.count, f.total, f.channels]).toEqual(['conv1', 3, 4, 1]);
    expect(f.shape).toEqual([3, 3]);
    const kernel = model.getLayer('conv1').getWeights()[0]!.dataSync(); // [3,3,1,4]
    const bytes = fromBase64(f.data);
    for (let k = 0; k < 3; k++) {
      const w = Array.from({ length: 9 }, (_, p) => kernel[p * 4 + k]!);
      const lo = Math.min(...w);
      const hi = Math.max(...w);
      expect(Array.from(bytes.subarray(k * 9, k * 9 + 9))).toEqual(
        w.map((v) => Math.round((255 * (v - lo)) / (hi - lo))),
      );
    }
    const probes = json<{ probes: unknown[]; storedShape: number[]; images: string }>(
      sink.files.get(SNAPSHOT_PROBES_NAME),
    );
    expect(probes.probes).toHaveLength(4);
    expect(probes.storedShape).toEqual([H, W, 1]);
    expect(fromBase64(probes.images)).toHaveLength(4 * H * W);
  });

  it('keeps each file in its byte budget and each snapshot in its time budget, listing what it left out', async () => {
    const sink = memorySink();
    const r = new SnapshotRecorder(
      sink,
      { test, shape: [H, W, 1], classNames: ['a', 'b', 'c', 'd'], seed: 5 },
      resolveSnapshotOptions({ maxBytes: 1500 }),
    );
    await r.begin(model);
    const snap = await r.capture(model, { epoch: 1, phase: 'train', final: false });
    expect(snap?.skipped.map((s) => s.what)).toContain('filters');
    for (const [name, bytes] of sink.files)
      if (name !== SNAPSHOT_PROBES_NAME) expect(bytes.length, name).toBeLessThanOrEqual(1500);
    const tiny = new SnapshotRecorder(
      sink,
      { test, shape: [H, W, 1], classNames: ['a', 'b', 'c', 'd'], seed: 5 },
      resolveSnapshotOptions({ maxBytes: 100 }),
    );
    expect(await tiny.capture(model, { epoch: 2, phase: 'train', final: false })).toBeUndefined();
    expect(tiny.skipped[0]).toEqual({ what: 'epoch 2', reason: 'over the byte budget of 100' });

    // A clock that moves 10 s per reading: predictions then nothing else within 5 s.
    let t = 0;
    const xs = x(test);
    const timed = takeSnapshot({
      model,
      images: xs,
      probes: [...Array(test.count).keys()].map((index) => ({ index, label: test.labels[index]! })),
      camLayer: 'conv2',
      epoch: 1,
      phase: 'train',
      final: false,
      filters: { maxFilters: 4, scaling: 'minmax' },
      maxSeconds: 5,
      now: () => (t += 10_000),
    });
    xs.dispose();
    expect(timed.predictions).toHaveLength(test.count);
    expect(timed.cams).toBeUndefined();
    expect(timed.skipped.map((s) => s.what)).toEqual(['gradcam', 'activations', 'filters']);
  });

  it('snapshots every N epochs, marks the phases and writes the index last', async () => {
    const sink = memorySink();
    const r = new SnapshotRecorder(
      sink,
      { test, shape: [H, W, 1], classNames: ['a', 'b', 'c', 'd'], seed: 5 },
      resolveSnapshotOptions({ every: 2 }),
    );
    await r.begin(model);
    const phases = ['head', 'head', 'finetune', 'finetune'] as const;
    for (let e = 1; e <= 4; e++)
      if (r.due(e)) await r.capture(model, { epoch: e, phase: phases[e - 1]!, final: false });
    await r.capture(model, { epoch: 4, phase: 'finetune', final: true });
    await r.finish();
    const names = [...sink.files.keys()];
    expect(names).toEqual([
      SNAPSHOT_PROBES_NAME,
      'snapshot.e0002.json',
      'snapshot.e0004.json',
      'snapshot.final.json',
      SNAPSHOT_INDEX_NAME,
    ]);
    const index = json<SnapshotIndex>(sink.files.get(SNAPSHOT_INDEX_NAME));
    expect(index.snapshots.map((s) => [s.epoch, s.phase, s.final])).toEqual([
      [2, 'head', false],
      [4, 'finetune', false],
      [4, 'finetune', true],
    ]);
    expect(index.phases).toEqual([
      { phase: 'head', firstEpoch: 2, epochs: 1 },
      { phase: 'finetune', firstEpoch: 4, epochs: 1 },
    ]);
    expect(index.totalBytes).toBe(
      index.snapshots.reduce((s, e) => s + sink.files.get(e.name)!.length, 0),
    );
  });

  it('refuses options out of range, naming them', () => {
    expect(() => resolveSnapshotOptions({ every: 0 })).toThrow(/snapshots.every/);
    expect(() => resolveSnapshotOptions({ probesPerClass: 3 })).toThrow(/snapshots.probesPerClass/);
    expect(() => resolveSnapshotOptions({ maxBytes: -1 })).toThrow(/snapshots.maxBytes/);
  });
});

describe('snapshots of nested (transfer-style), RGB and sigmoid models', () => {
  it('finds the first conv inside a nested base, draws RGB filters in colour, names layers by path', () => {
    const base = tf.sequential({ name: 'base' });
    base.add(
      tf.layers.conv2d({
        inputShape: [8, 8, 3],
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
        name: 'conv1',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    );
    const input = tf.input({ shape: [8, 8, 3] });
    const features = base.apply(input) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(features) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 3, activation: 'softmax', name: 'head' })
      .apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const images = tf.randomUniform<tf.Rank.R4>([2, 8, 8, 3], 0, 1, 'float32', 9);
    const before = tf.memory().numTensors;
    const snap = takeSnapshot({
      model,
      images,
      probes: [
        { index: 0, label: 0 },
        { index: 1, label: 2 },
      ],
      camLayer: 'base/conv1',
      epoch: 1,
      phase: 'head',
      final: false,
      filters: { maxFilters: 8, scaling: 'symmetric' },
      maxSeconds: 60,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(snap.skipped).toEqual([]);
    expect(snap.cams?.layer).toBe('base/conv1');
    expect(snap.cams?.shape).toEqual([8, 8]);
    expect(snap.layers?.map((l) => l.layer)).toEqual(['base/conv1', 'flat', 'head']);
    const f = snap.filters!;
    expect([f.layer, f.count, f.channels, f.scaling]).toEqual(['base/conv1', 2, 3, 'symmetric']);
    const kernel = base.getLayer('conv1').getWeights()[0]!.dataSync(); // [3,3,3,2]
    const bytes = fromBase64(f.data);
    // Filter 1, pixel 4, channel c is kernel[(4 * 3 + c) * 2 + 1], symmetric about its largest |w|.
    const w1 = Array.from({ length: 27 }, (_, i) => kernel[i * 2 + 1]!);
    const bound = Math.max(...w1.map(Math.abs));
    for (let c = 0; c < 3; c++)
      expect(bytes[27 + 4 * 3 + c]).toBe(Math.round(255 * (0.5 + w1[4 * 3 + c]! / (2 * bound))));
    images.dispose();
    model.dispose();
  });

  it('explains a one-unit sigmoid model with its one map, stored as the true one', () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, name: 'c' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    const images = tf.randomUniform<tf.Rank.R4>([2, 6, 6, 1], 0, 1, 'float32', 3);
    const snap = takeSnapshot({
      model: m,
      images,
      probes: [
        { index: 0, label: 0 },
        { index: 1, label: 1 },
      ],
      camLayer: 'c',
      epoch: 1,
      phase: 'train',
      final: true,
      filters: { maxFilters: 2, scaling: 'minmax' },
      maxSeconds: 60,
    });
    const p = m.predict(images) as tf.Tensor;
    const q = p.dataSync();
    for (const [i, pred] of snap.predictions.entries()) {
      expect(pred.predicted).toBe(q[i]! >= 0.5 ? 1 : 0);
      expect(pred.confidence).toBeCloseTo(Math.max(q[i]!, 1 - q[i]!), 4);
    }
    expect(snap.cams?.true).toHaveLength(2);
    expect(snap.cams?.predicted).toEqual([null, null]);
    tf.dispose([p, images]);
    m.dispose();
  });
});
