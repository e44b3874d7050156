// Grad-CAM, Grad-CAM++, Layer-CAM and input gradients of the fmnist-cnn preset against PyTorch
// (fixtures/make_gradcam_fixture.py: the same weights, float64, torch.autograd). No torch needed here.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../models/build-model';
import { getPreset } from '../models/presets';
import { classActivationMap, type CamMethod } from './cam';
import { expectClose, noLeak, pearson } from './explain-test-helpers';
import { vanillaGradients } from './input-attribution';
import { initWasmBackend } from '../backend/wasm-setup';

interface TorchFixture {
  seed: number;
  weightSums: Record<string, [number, number]>;
  images: number[][];
  logits: number[][];
  classIndex: number[];
  score: number[];
  cams: Record<string, { map: number[][][]; heatmap?: number[][][] }>;
  inputGradient: number[][][];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/gradcam-fmnist.json', import.meta.url), 'utf8'),
) as TorchFixture;
const N = fixture.images.length;

let model: tf.LayersModel;
let images: tf.Tensor4D;
let minPearson: Record<string, number> = {};

function compareMaps(key: string, got: Float32Array, expected: number[][][], size: number): void {
  let min = Infinity;
  for (let i = 0; i < N; i++) {
    const e = expected[i]!.flat();
    const g = got.subarray(i * size, (i + 1) * size);
    if (Math.max(...e) === 0) {
      // An all-zero reference map (every location negative before ReLU): ours must be ~0 too.
      expect(Math.max(...g)).toBeLessThan(1e-6);
      continue;
    }
    const r = pearson(g, e);
    min = Math.min(min, r);
    expect(r, `${key} image ${i}`).toBeGreaterThanOrEqual(0.99);
    expectClose(g, e, 1e-4);
  }
  minPearson[key] = min;
}

// The stock CPU backend and the WASM backend (the portable training backend; 'onednn' runs on
// it too): a kernel that differs there (its OneHot ignores the dtype) is caught here.
describe.each(['cpu', 'wasm'])(
  'on the %s backend, explanations of fmnist-cnn agree with PyTorch',
  (backend) => {
    beforeAll(async () => {
      if (backend === 'wasm') await initWasmBackend();
      expect(await tf.setBackend(backend)).toBe(true);
      model = buildModel(getPreset('fmnist-cnn'), { seed: fixture.seed });
      images = tf.tensor4d(
        fixture.images.flat().map((v) => v / 255),
        [N, 28, 28, 1],
      );
      minPearson = {};
    });
    afterAll(() => {
      console.log(
        `${backend}: min Pearson vs PyTorch per method/layer: ${JSON.stringify(minPearson)}`,
      );
      model.dispose();
      images.dispose();
    });

    it('rebuilds the same weights and logits', () => {
      // In weight order (a second model built in the same process gets suffixed weight names).
      const sums = Object.values(fixture.weightSums);
      expect(model.weights).toHaveLength(sums.length);
      model.weights.forEach((w, i) => {
        const v = w.read().dataSync();
        let s = 0;
        let s2 = 0;
        for (const x of v) {
          s += x;
          s2 += x * x;
        }
        const [es, es2] = sums[i]!;
        expect(Math.abs(s - es)).toBeLessThan(1e-3);
        expect(Math.abs(s2 - es2) / Math.max(1, es2)).toBeLessThan(1e-5);
      });
    });

    const cases: [CamMethod, string, string, number | undefined][] = [
      ['gradcam', 'pool2', 'gradcam/pool2', undefined],
      ['gradcampp', 'pool2', 'gradcampp/pool2', undefined],
      ['layercam', 'pool2', 'layercam/pool2', undefined],
      ['gradcam', 'conv2', 'gradcam/conv2', undefined],
    ];
    for (const [method, layer, key] of cases) {
      it(`${key}: map and heatmap`, () => {
        // The default layer is pool2 (last 4-D output): leave it implicit there.
        const r = noLeak(() =>
          classActivationMap({
            model,
            images,
            method,
            layer: layer === 'pool2' ? undefined : layer,
          }),
        );
        expect(r.layer).toBe(layer);
        expect(r.classIndex).toEqual(fixture.classIndex);
        expectClose(r.score, fixture.score, 1e-5);
        const [, h, w] = r.mapShape;
        expect(h * w).toBe(fixture.cams[key]!.map[0]!.flat().length);
        compareMaps(key, r.map, fixture.cams[key]!.map, h * w);
        const heat = fixture.cams[key]!.heatmap;
        if (heat) compareMaps(`${key} heatmap`, r.heatmap, heat, 28 * 28);
      });
    }

    it('gradcam for a given class per image (image i, class i)', () => {
      const classIndex = Array.from({ length: N }, (_, i) => i);
      const r = noLeak(() => classActivationMap({ model, images, classIndex }));
      expect(r.classIndex).toEqual(classIndex);
      compareMaps('gradcam-label/pool2', r.map, fixture.cams['gradcam-label/pool2']!.map, 49);
    });

    it('vanilla input gradients', () => {
      const r = noLeak(() => vanillaGradients({ model, images }));
      expect(r.classIndex).toEqual(fixture.classIndex);
      let min = Infinity;
      for (let i = 0; i < N; i++) {
        const e = fixture.inputGradient[i]!.flat();
        const g = r.attribution!.subarray(i * 784, (i + 1) * 784);
        const p = pearson(g, e);
        min = Math.min(min, p);
        expect(p).toBeGreaterThanOrEqual(0.99);
        expectClose(g, e, 1e-4);
      }
      minPearson['inputGradient'] = min;
    });
  },
);
