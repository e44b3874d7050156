import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SeededDropout } from './custom-layers';

/** The 0/1 keep pattern of one training call. */
function mask(layer: tf.layers.Layer, x: tf.Tensor): number[] {
  return tf.tidy(() =>
    Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()).map((v) =>
      v === 0 ? 0 : 1,
    ),
  );
}

describe('SeededDropout', () => {
  it('draws a new mask on every training call (a seeded stock Dropout repeats its mask)', () => {
    const x = tf.ones([1, 200]);
    const stock = tf.layers.dropout({ rate: 0.5, seed: 7 });
    expect(mask(stock, x)).toEqual(mask(stock, x)); // the defect this layer fixes
    const seeded = new SeededDropout({ rate: 0.5, seed: 7 });
    const a = mask(seeded, x);
    const b = mask(seeded, x);
    expect(a).not.toEqual(b);
    // Roughly half the units dropped each time.
    for (const m of [a, b]) expect(Math.abs(m.reduce((s, v) => s + v, 0) - 100)).toBeLessThan(30);
    x.dispose();
  });

  it('is reproducible from its seed and the identity at inference', () => {
    const x = tf.ones([2, 50]);
    const first = new SeededDropout({ rate: 0.3, seed: 11 });
    const second = new SeededDropout({ rate: 0.3, seed: 11 });
    expect([mask(first, x), mask(first, x)]).toEqual([mask(second, x), mask(second, x)]);
    const before = tf.memory().numTensors;
    const y = first.apply(x, { training: false }) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('serialises as a plain Dropout with its base seed', () => {
    const model = tf.sequential({
      layers: [new SeededDropout({ rate: 0.25, seed: 3, inputShape: [4] })],
    });
    const x = tf.ones([1, 4]);
    model.apply(x, { training: true });
    const json = model.toJSON(null, false) as tf.io.ModelArtifacts['modelTopology'];
    expect(json).toMatchObject({
      config: { layers: [{ class_name: 'Dropout', config: { rate: 0.25, seed: 3 } }] },
    });
    tf.dispose([x]);
    model.dispose();
  });
});
