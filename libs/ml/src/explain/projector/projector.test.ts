// The projector's parts against references: PCA against scikit-learn (frozen fixture, up to
// sign), seeded UMAP and t-SNE reproducible, features equal to a hand-truncated model's (flat and
// nested), the artifact decodable, and no tensor left behind.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng';
import { expectClose } from '../explain-test-helpers';
import fixture from '../fixtures/pca-sklearn.json';
import {
  computeProjectorFiles,
  extractFeatures,
  jacobiEigen,
  pca,
  penultimateLayer,
  quantizeLayout,
  stratifiedSubset,
  tsne,
  umap,
  type ProjectorIndex,
} from './index';

/** Three well separated Gaussian clusters in `d` dimensions, `per` points each. */
function clusters(per: number, d: number, seed: number): { x: Float32Array; labels: Uint8Array } {
  const rng = createRng(seed);
  const n = per * 3;
  const x = new Float32Array(n * d);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = (j % 3 === c ? 8 : 0) + rng() - 0.5;
  }
  return { x, labels };
}

// Up to the sign of each component: flip `actual`'s column c to match `expected`'s first large entry.
function alignSigns(
  actual: Float32Array | Float64Array,
  expected: number[],
  k: number,
  rows: number,
) {
  const out = Float64Array.from(actual);
  for (let c = 0; c < k; c++) {
    let r = 0;
    while (r < rows - 1 && Math.abs(expected[r * k + c]!) < 1e-3) r++;
    if (Math.sign(out[r * k + c]!) !== Math.sign(expected[r * k + c]!))
      for (let i = 0; i < rows; i++) out[i * k + c] = -out[i * k + c]!;
  }
  return out;
}

describe('pca', () => {
  it('matches scikit-learn PCA (components, variances, scores) up to sign', () => {
    const { n, d, data } = fixture;
    const r = pca(Float32Array.from(data), { n, d }, { k: 3 });
    expectClose(r.explainedVariance, fixture.explainedVariance, 1e-4);
    // Components are rows [3, d]: align signs per row by transposing to columns.
    const compT = Float64Array.from(
      { length: 3 * d },
      (_, i) => r.components[(i % 3) * d + Math.floor(i / 3)]!,
    );
    const expT = Array.from(
      { length: 3 * d },
      (_, i) => fixture.components[(i % 3) * d + Math.floor(i / 3)]!,
    );
    expectClose(alignSigns(compT, expT, 3, d), expT, 1e-4);
    expectClose(alignSigns(r.scores, fixture.scores, 3, n), fixture.scores, 1e-4);
  });

  it('gives the same leading components with the subspace solver as with Jacobi', () => {
    const { n, d, data } = fixture;
    const a = pca(Float32Array.from(data), { n, d }, { k: 2, solver: 'jacobi' });
    const b = pca(Float32Array.from(data), { n, d }, { k: 2, solver: 'subspace', seed: 3 });
    expectClose(b.components, a.components, 1e-6);
    expectClose(b.scores, a.scores, 1e-5);
  });

  it('Jacobi recovers a known eigen-decomposition', () => {
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1.
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expectClose(values, [3, 1], 1e-12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('refuses a single row and mismatched sizes', () => {
    expect(() => pca(new Float32Array(3), { n: 1, d: 3 }, { k: 2 })).toThrow(/at least 2 rows/);
    expect(() => pca(new Float32Array(5), { n: 2, d: 3 }, { k: 2 })).toThrow(/expected 2x3/);
  });
});

describe('seeded layouts', () => {
  const { x, labels } = clusters(30, 6, 5);
  const shape = { n: 90, d: 6 };

  it('UMAP: the same seed gives identical coordinates, another seed others', async () => {
    const a = await umap(x, shape, { seed: 1, nEpochs: 50 });
    const b = await umap(x, shape, { seed: 1, nEpochs: 50 });
    const c = await umap(x, shape, { seed: 2, nEpochs: 50 });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('t-SNE: the same seed gives identical coordinates, another seed others; clusters stay apart', async () => {
    const a = await tsne(x, shape, { seed: 1, iterations: 250, perplexity: 10 });
    const b = await tsne(x, shape, { seed: 1, iterations: 250, perplexity: 10 });
    const c = await tsne(x, shape, { seed: 2, iterations: 250, perplexity: 10 });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    // Nearest neighbour of every point in the layout has the same cluster.
    let same = 0;
    for (let i = 0; i < 90; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < 90; j++) {
        if (j === i) continue;
        const dd = (a[2 * i]! - a[2 * j]!) ** 2 + (a[2 * i + 1]! - a[2 * j + 1]!) ** 2;
        if (dd < bestD) [bestD, best] = [dd, j];
      }
      if (labels[best] === labels[i]) same++;
    }
    expect(same).toBe(90);
  });

  it('the stratified subset is seeded, balanced and sorted', () => {
    const lab = Uint8Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
    const s = stratifiedSubset(lab, { max: 30, seed: 4 });
    expect(Array.from(stratifiedSubset(lab, { max: 30, seed: 4 }))).toEqual(Array.from(s));
    expect(Array.from(stratifiedSubset(lab, { max: 30, seed: 5 }))).not.toEqual(Array.from(s));
    const counts = [0, 0, 0];
    s.forEach((i) => counts[lab[i]!]!++);
    expect(counts).toEqual([10, 10, 10]);
    expect(Array.from(s)).toEqual([...s].sort((p, q) => p - q));
    expect(stratifiedSubset(lab, { max: 200, seed: 1 }).length).toBe(100);
  });
});

const SHAPE: [number, number, number] = [6, 6, 1];
const init = (seed: number) => tf.initializers.glorotUniform({ seed });

function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: SHAPE,
      filters: 3,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv',
      kernelInitializer: init(1),
    }),
  );
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(
    tf.layers.dense({ units: 8, activation: 'relu', name: 'hidden', kernelInitializer: init(2) }),
  );
  m.add(tf.layers.dropout({ rate: 0.5, name: 'drop' }));
  m.add(
    tf.layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: init(3) }),
  );
  return m;
}

// A transfer-style model: a nested base, then a nested head whose classifier is inside it.
function nestedModel(): tf.LayersModel {
  const base = tf.sequential({ name: 'base' });
  base.add(
    tf.layers.conv2d({
      inputShape: SHAPE,
      filters: 3,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv',
      kernelInitializer: init(1),
    }),
  );
  base.add(tf.layers.flatten({ name: 'flat' }));
  const head = tf.sequential({ name: 'head' });
  head.add(
    tf.layers.dense({
      inputShape: [48],
      units: 8,
      activation: 'relu',
      name: 'hidden',
      kernelInitializer: init(2),
    }),
  );
  head.add(
    tf.layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: init(3) }),
  );
  const input = tf.input({ shape: SHAPE });
  const y = head.apply(base.apply(input)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

function bytes(count: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: count * 36 }, () => Math.floor(rng() * 256));
}

describe('penultimate features', () => {
  it('equal a hand-truncated model up to the hidden layer, without leaking tensors', () => {
    const model = tinyModel();
    expect(penultimateLayer(model)).toEqual({ path: 'drop', classifier: 'out' });
    const images = bytes(7, 9);
    const split = { images, labels: new Uint8Array(7), count: 7 };
    extractFeatures({ model, split, shape: SHAPE }); // builds the cached flat model once
    const before = tf.memory().numTensors;
    const f = extractFeatures({ model, split, shape: SHAPE, batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(f.dim).toBe(8);
    const truncated = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('hidden').getOutputAt(0),
    });
    const expected = tf.tidy(() =>
      (
        truncated.predict(
          tf.tensor4d(
            Float32Array.from(images, (v) => v / 255),
            [7, ...SHAPE],
          ),
        ) as tf.Tensor
      ).dataSync(),
    );
    expectClose(f.values, expected, 1e-6);
    model.dispose();
  });

  it('find the classifier inside a nested head and read its input there', () => {
    const model = nestedModel();
    expect(penultimateLayer(model)).toEqual({ path: 'head/hidden', classifier: 'head/out' });
    const images = bytes(4, 2);
    const f = extractFeatures({
      model,
      split: { images, labels: new Uint8Array(4), count: 4 },
      shape: SHAPE,
    });
    const base = model.getLayer('base') as tf.LayersModel;
    const head = model.getLayer('head') as tf.LayersModel;
    const expected = tf.tidy(() => {
      const x = tf.tensor4d(
        Float32Array.from(images, (v) => v / 255),
        [4, ...SHAPE],
      );
      return (head.getLayer('hidden').apply(base.predict(x)) as tf.Tensor).dataSync();
    });
    expectClose(f.values, expected, 1e-6);
    model.dispose();
  });

  it('refuses a model whose classifier reads the input directly', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units: 2, activation: 'softmax' }));
    expect(() => penultimateLayer(m)).toThrow(/no penultimate layer/);
    m.dispose();
  });
});

function decode16(b64: string): Uint16Array {
  const buf = Buffer.from(b64, 'base64');
  return new Uint16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
}

describe('computeProjectorFiles', () => {
  const count = 60;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
  const input = (model: tf.LayersModel, options = {}) => ({
    model,
    images: bytes(count, 7),
    labels,
    count,
    shape: SHAPE,
    classNames: ['a', 'b', 'c'],
    seed: 42,
    options: { umapEpochs: 30, tsneIterations: 100, perplexity: 5, tsnePoints: 30, ...options },
  });
  const parse = (data: Uint8Array) => JSON.parse(new TextDecoder().decode(data)) as ProjectorIndex;

  it('stores every layout with labels, predictions and confidences; same seed, same layouts; no leaks', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const a = await computeProjectorFiles(input(model));
    const b = await computeProjectorFiles(input(model));
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2); // the cached flat model's
    const file = a.files[0]!;
    expect(file.name).toBe('projector.json');
    const index = parse(file.data);
    expect(index.layouts.map((l) => l.method)).toEqual(['pca', 'umap', 'tsne']);
    expect(index.layouts.map((l) => l.points)).toEqual([60, 60, 30]);
    expect(index.layouts[2]!.indices).toBeDefined();
    expect(index.featureLayer).toBe('drop');
    expect(Array.from(decode16(index.labels))).toEqual(Array.from(labels));
    // Predictions agree with the model's.
    const probs = tf.tidy(
      () =>
        (
          model.predict(
            tf.tensor4d(
              Float32Array.from(bytes(count, 7), (v) => v / 255),
              [count, ...SHAPE],
            ),
          ) as tf.Tensor
        ).arraySync() as number[][],
    );
    const pred = decode16(index.predicted);
    const conf = decode16(index.confidence);
    probs.forEach((row, i) => {
      expect(pred[i]).toBe(row.indexOf(Math.max(...row)));
      expect(conf[i]! / 65535).toBeCloseTo(Math.max(...row), 4);
    });
    expect(parse(b.files[0]!.data).layouts.map((l) => l.coords)).toEqual(
      index.layouts.map((l) => l.coords),
    );
    model.dispose();
  });

  it('skips the methods the time budget does not allow and says so', async () => {
    const model = tinyModel();
    const { index } = await computeProjectorFiles(input(model, { maxSeconds: 0 }));
    expect(index.layouts.map((l) => l.method)).toEqual(['pca']);
    expect(index.skipped.map((s) => s.what)).toEqual(['umap', 'tsne']);
    expect(index.skipped[0]!.reason).toMatch(/time budget of 0 s/);
    model.dispose();
  });

  it('projects a seeded stratified subset of a split over maxPoints, with its sample indices', async () => {
    const model = tinyModel();
    const { index } = await computeProjectorFiles(
      input(model, { maxPoints: 30, methods: ['pca'] }),
    );
    expect(index.count).toBe(30);
    const pcaLayout = index.layouts[0]!;
    const buf = Buffer.from(pcaLayout.indices!, 'base64');
    const idx = new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    expect(Array.from(idx)).toEqual(Array.from(stratifiedSubset(labels, { max: 30, seed: 42 })));
    model.dispose();
  });

  it('refuses an artifact over its byte budget', async () => {
    const model = tinyModel();
    await expect(
      computeProjectorFiles(input(model, { maxBytes: 100, methods: ['pca'] })),
    ).rejects.toThrow(/over its budget of 100/);
    model.dispose();
  });
});

describe('quantizeLayout', () => {
  it('maps each axis onto 0..65535 within its bounds', () => {
    const q = quantizeLayout(Float32Array.from([0, 10, 2, 20, 1, 15]));
    expect(q.bounds).toEqual([0, 2, 10, 20]);
    expect(Array.from(q.coords)).toEqual([0, 0, 65535, 65535, 32768, 32768]);
  });
});
