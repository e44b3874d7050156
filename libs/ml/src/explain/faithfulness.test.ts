import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectClose, noLeak } from './explain-test-helpers';
import { faithfulness, rankByFaithfulness } from './faithfulness';

// 2x2 grayscale input, flatten, dense 2 softmax: logit0 = 2 x0 + x1 + 0 x2 - x3, logit1 = 0,
// so p(class 0) = sigmoid(logit0).
function linearModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [2, 2, 1] }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  m.setWeights([tf.tensor2d([2, 0, 1, 0, 0, 0, -1, 0], [4, 2]), tf.zeros([2])]);
  return m;
}
const sig = (z: number) => 1 / (1 + Math.exp(-z));
// Trapezoid with 4 intervals of 0.25.
const auc = (y: number[]) => y.slice(1).reduce((a, v, i) => a + (0.25 * (v + y[i]!)) / 2, 0);

describe('faithfulness', () => {
  it('deletion and insertion curves, their AUCs and average drop, by hand', () => {
    const model = linearModel();
    const x = tf.ones<tf.Rank.R4>([1, 2, 2, 1]);
    // Saliency order: pixel 0, 1, 2, 3 (one pixel per step with steps = 4).
    const saliency = [1, 0.75, 0.5, 0.25];
    const r = noLeak(() => faithfulness({ model, images: x, saliency, steps: 4 }));
    expect(r.fractions).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // Deletion: logit0 after removing pixels 0..k-1: 2, 0, -1, -1, 0
    const del = [2, 0, -1, -1, 0].map(sig);
    // Insertion from a black image, adding pixels 0..k-1: 0, 2, 3, 3, 2
    const ins = [0, 2, 3, 3, 2].map(sig);
    expectClose(r.deletion, del, 1e-6);
    expectClose(r.insertion, ins, 1e-6);
    expect(r.deletionAuc[0]).toBeCloseTo(auc(del), 6);
    expect(r.insertionAuc[0]).toBeCloseTo(auc(ins), 6);
    // x * saliency: logit0 = 2*1 + .75 + 0 - .25 = 2.5 > 2: no drop, confidence increases.
    expect(r.averageDrop[0]).toBe(0);
    expect(r.increaseInConfidence).toEqual([true]);
    expect(r.mean.score).toBeCloseTo(auc(ins) - auc(del), 6);
    model.dispose();
    x.dispose();
  });

  it('average drop when the mask lowers the probability; ranks methods', () => {
    const model = linearModel();
    const x = tf.ones<tf.Rank.R4>([2, 2, 2, 1]);
    const good = [1, 0.75, 0.5, 0.25, 1, 0.75, 0.5, 0.25];
    const bad = [0.25, 0.5, 0.75, 1, 0.25, 0.5, 0.75, 1]; // least important pixels first
    const rg = noLeak(() =>
      faithfulness({ model, images: x, saliency: good, steps: 4, batchSize: 3 }),
    );
    const rb = noLeak(() => faithfulness({ model, images: x, saliency: bad, steps: 4 }));
    // bad mask: logit0 = 2*.25 + .5 + 0 - 1 = 0 -> drop (sig(2) - sig(0)) / sig(2)
    expect(rb.averageDrop[0]).toBeCloseTo((sig(2) - 0.5) / sig(2), 6);
    expect(rb.increaseInConfidence).toEqual([false, false]);
    const ranked = rankByFaithfulness({ bad: rb, good: rg });
    expect(ranked.map((e) => e.method)).toEqual(['good', 'bad']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    expect(() => faithfulness({ model, images: x, saliency: [1, 2] })).toThrow(
      /expected 2 x 2 x 2/,
    );
    model.dispose();
    x.dispose();
  });
});
