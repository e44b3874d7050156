import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { classActivationMap, firstComponentProjection, gradCam } from './cam';
import { expectClose, noLeak, pearson, tinyLogits, tinyModel, X } from './explain-test-helpers';

const image = (): tf.Tensor4D => tf.tensor4d(X.flat(), [1, 4, 4, 1]);

// tinyModel(): see explain-test-helpers.ts (conv 2x3x3 valid ReLU on 4x4 -> flatten -> dense 2 softmax).

// The conv outputs, by hand (all pre-activations are positive, so ReLU keeps them):
//   A0 = filter 0 + 2:   (0,0): (1-0)+(0-3)+(2-1) = -1 + 2 = 1   (0,1): (2-1)+(1-1)+(0-0) = 1 + 2 = 3
//                        (1,0): (0-3)+(2-1)+(1-0) = -1 + 2 = 1   (1,1): (1-1)+(0-0)+(1-2) = -1 + 2 = 1
//   A1 = filter 1 + 0.5: (0,0): (1+2+0)-(2+0+1) = 0 + .5 = 0.5   (0,1): (2+0+1)-(0+1+0) = 2 + .5 = 2.5
//                        (1,0): (0+1+3)-(1+1+0) = 2 + .5 = 2.5   (1,1): (1+3+1)-(1+0+2) = 2 + .5 = 2.5
const A0 = [1, 3, 1, 1]; // positions (0,0), (0,1), (1,0), (1,1)
const A1 = [0.5, 2.5, 2.5, 2.5];
// logit0 = 1*1 - 1*0.5 + 2*3 + 0*2.5 + 0*1 + 1*2.5 - 1*1 + 0.5*2.5 = 9.25
// logit1 = 0 + 0.5 + 0 + 2.5 + 0 + 2.5 + 0 + 2.5 = 8        -> predicted class 0
const LOGITS = [9.25, 8];
// d logit_c / d A_k(i,j) = V[(i*2+j)*2+k][c] (read off the columns of V):
//   class 0 -> G0 = [1, 2, 0, -1], G1 = [-1, 0, 1, 0.5];   class 1 -> G0 = [0, 0, 0, 0], G1 = [1, 1, 1, 1]

describe('Grad-CAM on a hand-computed model', () => {
  it('gives the hand-derived map and heatmap for the predicted class', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() => gradCam({ model, images: x }));
    expect(r.layer).toBe('conv');
    expect(r.classIndex).toEqual([0]);
    expectClose(r.score, [9.25]);
    // Channel weights: mean of G0 = (1+2+0-1)/4 = 0.5, mean of G1 = (-1+0+1+0.5)/4 = 0.125.
    // map = ReLU(0.5*A0 + 0.125*A1) = [0.5+0.0625, 1.5+0.3125, 0.5+0.3125, 0.5+0.3125]
    const expected = [0.5625, 1.8125, 0.8125, 0.8125];
    expect(r.mapShape).toEqual([1, 2, 2]);
    expectClose(r.map, expected, 1e-6);
    expect(pearson(r.map, expected)).toBeGreaterThan(0.999999);
    // Min-max: (map - 0.5625) / 1.25 = [0, 1, 0.2, 0.2]. Bilinear 2x2 -> 4x4 with half-pixel
    // centres: output rows/cols sample source coordinates -0.25 (clamped to 0), 0.25, 0.75, 1.25
    // (clamped to 1), i.e. weights (1,0), (.75,.25), (.25,.75), (0,1).
    //   row 0 [0, 1]      -> [0, .25, .75, 1];   row 1 [.2, .2] -> [.2, .2, .2, .2]
    const r0 = [0, 0.25, 0.75, 1];
    const r1 = [0.2, 0.2, 0.2, 0.2];
    const mix = (a: number) => r0.map((v, i) => a * v + (1 - a) * r1[i]!);
    expect(r.heatmapShape).toEqual([1, 4, 4]);
    expectClose(r.heatmap, [...r0, ...mix(0.75), ...mix(0.25), ...r1], 1e-6);
    model.dispose();
    x.dispose();
  });

  it('explains a given class: class 1 weights only channel 1 (mean gradient 1)', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() => gradCam({ model, images: x, classIndex: 1, layer: 'conv' }));
    expect(r.classIndex).toEqual([1]);
    expectClose(r.score, [LOGITS[1]!]);
    expectClose(r.map, A1, 1e-6); // 0*A0 + 1*A1
    model.dispose();
    x.dispose();
  });

  it('Layer-CAM: ReLU(sum_k ReLU(g_k) * A_k) element-wise', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() => classActivationMap({ model, images: x, method: 'layercam' }));
    // k0: ReLU([1,2,0,-1]) * [1,3,1,1] = [1,6,0,0]; k1: ReLU([-1,0,1,.5]) * [.5,2.5,2.5,2.5] = [0,0,2.5,1.25]
    expectClose(r.map, [1, 6, 2.5, 1.25], 1e-6);
    model.dispose();
    x.dispose();
  });

  it('Grad-CAM++: closed form with exp(score)', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() => classActivationMap({ model, images: x, method: 'gradcampp' }));
    // alpha = g^2 / (2 g^2 + sum(A_k) g^3); sum A0 = 6, sum A1 = 8; only g > 0 count (ReLU).
    //   k0: g=1 -> 1/(2+6) = 1/8;  g=2 -> 4/(8+48) = 1/14           w0 = e^Y (1/8*1 + 1/14*2)
    //   k1: g=1 -> 1/(2+8) = 1/10; g=.5 -> .25/(.5+1) = 1/6         w1 = e^Y (1/10*1 + 1/6*.5)
    const e = Math.exp(LOGITS[0]!);
    const w0 = e * (1 / 8 + 2 / 14);
    const w1 = e * (1 / 10 + 0.5 / 6);
    const expected = A0.map((a, i) => w0 * a + w1 * A1[i]!);
    expectClose(r.map, expected, 1e-5);
    model.dispose();
    x.dispose();
  });

  it('Eigen-CAM: projection on the first principal component', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() => classActivationMap({ model, images: x, method: 'eigencam' }));
    // Rows (position) x channels: (1,.5), (3,2.5), (1,2.5), (1,2.5); channel means 1.5 and 2.
    // Centred: (-.5,-1.5), (1.5,.5), (-.5,.5), (-.5,.5); X^T X = [[3,1],[1,3]], top eigenvector
    // (1,1)/sqrt2; projections (-2, 2, 0, 0)/sqrt2, positively correlated with the channel sums
    // (1.5, 5.5, 3.5, 3.5), so kept; ReLU -> [0, sqrt2, 0, 0].
    expectClose(r.map, [0, Math.SQRT2, 0, 0], 1e-5);
    model.dispose();
    x.dispose();
  });

  it('Score-CAM: weights are the class probability of the image masked by each channel', () => {
    const model = tinyModel();
    const x = image();
    const r = noLeak(() =>
      classActivationMap({ model, images: x, method: 'scorecam', batchSize: 1 }),
    );
    // Independent reference in plain arithmetic: upsample each channel 2x2 -> 4x4 (weights as
    // in the heatmap test), min-max normalise, mask the image, run the model by hand, softmax.
    const up = (a: number[]) => {
      const w = [
        [1, 0],
        [0.75, 0.25],
        [0.25, 0.75],
        [0, 1],
      ];
      const out: number[] = [];
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) {
          let s = 0;
          for (let p = 0; p < 2; p++)
            for (let q = 0; q < 2; q++) s += w[i]![p]! * w[j]![q]! * a[p * 2 + q]!;
          out.push(s);
        }
      const lo = Math.min(...out);
      const hi = Math.max(...out);
      return out.map((v) => (v - lo) / (hi - lo));
    };
    const prob0 = (img: number[][]) => {
      const [l0 = NaN, l1 = NaN] = tinyLogits(img);
      return 1 / (1 + Math.exp(l1 - l0)); // softmax of two logits
    };
    const weights = [A0, A1].map((a) => {
      const m = up(a);
      return prob0(X.map((row, i) => row.map((v, j) => v * m[i * 4 + j]!)));
    });
    const expected = A0.map((a, i) => Math.max(0, weights[0]! * a + weights[1]! * A1[i]!));
    expectClose(r.map, expected, 1e-5);
    model.dispose();
    x.dispose();
  });

  it('explains a batch in one call, each sample as if alone', () => {
    const model = tinyModel();
    const x = tf.concat<tf.Tensor4D>([image(), tf.mul(image(), 0.5), tf.reverse(image(), 2)]);
    for (const method of ['gradcam', 'gradcampp', 'layercam', 'scorecam', 'eigencam'] as const) {
      const batch = noLeak(() => classActivationMap({ model, images: x, method }));
      for (let i = 0; i < 3; i++) {
        const one = tf.slice(x, [i, 0, 0, 0], [1, 4, 4, 1]);
        const single = noLeak(() => classActivationMap({ model, images: one, method }));
        expect(batch.classIndex[i]).toBe(single.classIndex[0]);
        expectClose(batch.map.subarray(i * 4, i * 4 + 4), single.map, 1e-5);
        expectClose(batch.heatmap.subarray(i * 16, i * 16 + 16), single.heatmap, 1e-5);
        one.dispose();
      }
    }
    // Two classes given per sample.
    const per = noLeak(() => gradCam({ model, images: x, classIndex: [1, 0, 1] }));
    expect(per.classIndex).toEqual([1, 0, 1]);
    expectClose(per.map.subarray(0, 4), A1, 1e-6);
    model.dispose();
    x.dispose();
  });

  it('names the problem: unknown layer, non-4-D layer, class out of range, wrong image shape', () => {
    const model = tinyModel();
    const x = image();
    expect(() => gradCam({ model, images: x, layer: 'nope' })).toThrow(
      /unknown layer "nope"; available layers: conv, flat, out/,
    );
    expect(() => gradCam({ model, images: x, layer: 'flat' })).toThrow(
      /not \[batch, h, w, channels\]/,
    );
    expect(() => gradCam({ model, images: x, classIndex: 5 })).toThrow(
      /class index 5 is out of range/,
    );
    const wrong = tf.zeros<tf.Rank.R4>([1, 5, 5, 1]);
    expect(() => gradCam({ model, images: wrong })).toThrow(/do not match the model input/);
    model.dispose();
    tf.dispose([x, wrong]);
  });
});

describe('firstComponentProjection', () => {
  it('uses whichever Gram matrix is smaller, with the same result up to sign', () => {
    // 3 rows x 2 columns (n > k: X^T X) and its transpose's view (n < k: X X^T).
    const X = Float64Array.from([2, 0, 0, 1, -2, -1]);
    const p = firstComponentProjection(X, 3, 2);
    // X^T X = [[8, 2], [2, 2]]: eigenvalues 5 +- sqrt(13); the projection has norm sqrt(lambda1).
    const lambda = 5 + Math.sqrt(13);
    expect(Math.hypot(...p)).toBeCloseTo(Math.sqrt(lambda), 10);
    const Xt = Float64Array.from([2, 0, -2, 0, 1, -1]); // [2, 3]
    const q = firstComponentProjection(Xt, 2, 3);
    expect(Math.hypot(...q)).toBeCloseTo(Math.sqrt(lambda), 10);
  });
});
