import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classActivationMap } from '../explain/cam';
import { vanillaGradients } from '../explain/input-attribution';
import { computeExplanation, imageForModel } from './explain-image';
import { explainMethods, type ExplainMethodName } from './explain-methods';

/** A small seeded CNN on 8x8 inputs: conv(4) -> conv(6) -> flatten -> dense(3). */
function cnn(channels: 1 | 3): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        name: 'c1',
        inputShape: [8, 8, channels],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: tf.initializers.constant({ value: 0.05 }),
      }),
      tf.layers.conv2d({
        name: 'c2',
        filters: 6,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(2),
        biasInitializer: tf.initializers.constant({ value: 0.05 }),
      }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
}

let model: tf.LayersModel;
let image: tf.Tensor4D;
beforeAll(() => {
  model = cnn(1);
  image = tf.tensor4d(
    Array.from({ length: 64 }, (_, i) => ((i * 37) % 64) / 64),
    [1, 8, 8, 1],
  );
});
afterAll(() => {
  image.dispose();
  model.dispose();
});

const inUnit = (rows: number[][]) => rows.flat().every((v) => v >= 0 && v <= 1);

describe('on-demand methods', () => {
  it('computes each method with its faithfulness in [0, 1]; the Grad-CAM equals classActivationMap', () => {
    const all: ExplainMethodName[][] = [
      ['gradcam', 'gradcampp', 'layercam', 'eigencam'],
      ['scorecam', 'saliency', 'smoothgrad', 'integrated-gradients'],
    ];
    for (const methods of all) {
      const before = tf.memory().numTensors;
      const r = explainMethods({
        model,
        image,
        methods,
        layer: null,
        classIndex: null,
        classNames: ['a', 'b', 'c'],
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(r.skipped).toEqual([]);
      expect(r.methods.map((m) => m.method)).toEqual(methods);
      for (const m of r.methods) {
        expect(m.heatmapShape).toEqual([8, 8]);
        expect(m.heatmap).toHaveLength(8);
        expect(inUnit(m.heatmap), m.method).toBe(true);
        // Min-max normalised at the map's resolution, then resized: not all zero here.
        expect(Math.max(...m.heatmap.flat()), m.method).toBeGreaterThan(0.5);
        for (const v of [m.faithfulness.deletionAuc, m.faithfulness.insertionAuc]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(m.layer).toBe(
          ['gradcam', 'gradcampp', 'layercam', 'eigencam', 'scorecam'].includes(m.method)
            ? 'c2'
            : null,
        );
        expect(m.className).toBe(['a', 'b', 'c'][m.classIndex]);
      }
    }
    const predicted = tf.tidy(() => (model.predict(image) as tf.Tensor).argMax(1).dataSync()[0]!);
    const r = explainMethods({
      model,
      image,
      methods: ['gradcam', 'saliency'],
      layer: null,
      classIndex: null,
      classNames: [],
    });
    const ref = classActivationMap({ model, images: image, method: 'gradcam' });
    const sal = vanillaGradients({ model, images: image });
    expect(r.methods[0]!.classIndex).toBe(predicted);
    const flat = r.methods[0]!.heatmap.flat();
    ref.heatmap.forEach((v, i) => expect(flat[i]!).toBeCloseTo(v, 4));
    const salFlat = r.methods[1]!.heatmap.flat();
    sal.heatmap.forEach((v, i) => expect(salFlat[i]!).toBeCloseTo(v, 4));
  });

  it('explains the given class at the given layer', () => {
    const r = explainMethods({
      model,
      image,
      methods: ['layercam'],
      layer: 'c1',
      classIndex: 2,
      classNames: [],
    });
    const ref = classActivationMap({
      model,
      images: image,
      method: 'layercam',
      layer: 'c1',
      classIndex: 2,
    });
    expect(r.methods[0]).toMatchObject({ classIndex: 2, className: '2', layer: 'c1' });
    const flat = r.methods[0]!.heatmap.flat();
    ref.heatmap.forEach((v, i) => expect(flat[i]!).toBeCloseTo(v, 4));
  });

  it('bounds the work: too many methods, a costly Score-CAM and the time budget', () => {
    const base = { model, image, layer: null, classIndex: null, classNames: [] };
    expect(() =>
      explainMethods({
        ...base,
        methods: ['gradcam', 'saliency', 'smoothgrad', 'eigencam', 'layercam'],
      }),
    ).toThrow(/5 methods asked for; a job computes at most 4/);
    const costly = explainMethods({
      ...base,
      methods: ['scorecam', 'gradcam'],
      bounds: { scoreCamMaxPasses: 5 },
    });
    expect(costly.methods.map((m) => m.method)).toEqual(['gradcam']);
    expect(costly.skipped).toEqual([
      { method: 'scorecam', reason: 'Score-CAM at c2 takes 6 forward passes, over the bound of 5' },
    ]);
    // A fake clock: each reading is 40 s later, so the second method starts past 60 s.
    let t = 0;
    const late = explainMethods({
      ...base,
      methods: ['gradcam', 'eigencam'],
      now: () => (t += 40_000),
    });
    expect(late.methods.map((m) => m.method)).toEqual(['gradcam']);
    expect(late.skipped[0]).toMatchObject({
      method: 'eigencam',
      reason: expect.stringMatching(/60000 ms were spent/),
    });
  });

  it('computeExplanation does not run a Score-CAM skipped for its cost for result.cam either', async () => {
    const r = await computeExplanation(
      model,
      image,
      {
        method: 'scorecam',
        methods: ['scorecam'],
        classIndex: null,
        layer: null,
        topK: 1,
        activationsLayer: null,
      },
      [],
      { scoreCamMaxPasses: 5 },
    );
    expect(r.methods).toEqual([]);
    expect(r.skipped.map((m) => m.method)).toEqual(['scorecam']);
    const ref = classActivationMap({ model, images: image, method: 'gradcam' });
    expect(r.cam.method).toBe('gradcam');
    r.cam.heatmap.flat().forEach((v, i) => expect(v).toBeCloseTo(ref.heatmap[i]!, 6));
  });

  it('computeExplanation keeps cam and adds methods, reusing the CAM when it is one of them; no leak', async () => {
    const before = tf.memory().numTensors;
    const r = await computeExplanation(
      model,
      image,
      {
        method: 'gradcam',
        methods: ['saliency', 'gradcam'],
        classIndex: null,
        layer: null,
        topK: 2,
        activationsLayer: null,
      },
      ['a', 'b', 'c'],
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r.predictions).toHaveLength(2);
    expect(r.cam.layer).toBe('c2');
    expect(r.methods.map((m) => m.method)).toEqual(['saliency', 'gradcam']);
    const camFlat = r.cam.heatmap.flat();
    r.methods[1]!.heatmap.flat().forEach((v, i) => expect(v).toBeCloseTo(camFlat[i]!, 4));
    expect(r.activations.layer).toBe('c2');
  });

  it('decodes an RGB upload for a grayscale model and reports the steps; no leak', async () => {
    const rgb = await sharp(
      Buffer.from(Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 7) % 256)),
      {
        raw: { width: 16, height: 16, channels: 3 },
      },
    )
      .png()
      .toBuffer();
    const before = tf.memory().numTensors;
    const { image: x, conversion } = await imageForModel(model, rgb);
    expect(x.shape).toEqual([1, 8, 8, 1]);
    expect(Math.max(...x.dataSync())).toBeLessThanOrEqual(1);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(conversion.steps).toHaveLength(2);
    expect(conversion.steps[0]).toMatch(/^converted RGB to grayscale/);
    expect(conversion.steps[1]).toMatch(/^resized 16x16 -> 8x8/);
  });
});
