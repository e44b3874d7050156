import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildXceptionStyle } from './xception-style';

// A small variant keeps the pure-JS 'cpu' backend fast; the default is checked by shape only.
const SMALL = {
  inputShape: [16, 16, 3] as [number, number, number],
  numClasses: 4,
  entryFilters: [4, 8, 8],
  middleBlocks: 1,
};

function weightsOf(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

describe('buildXceptionStyle', () => {
  it('has the default entry flow shape and parameter count (counted by hand)', () => {
    const model = buildXceptionStyle();
    expect(model.inputs[0]?.shape).toEqual([null, 128, 128, 3]);
    expect(model.outputShape).toEqual([null, 10]);
    // 128 -> 64 (stem) -> 32, 16, 8 (entry blocks): the middle flow runs at 8x8x512.
    expect(model.getLayer('middle2_add').outputShape).toEqual([null, 8, 8, 512]);
    // stem 864 + 128 + 18432 + 256; entry blocks 128/256/512; two middle blocks; dense 5130.
    expect(model.countParams()).toBe(2348586);
    model.dispose();
  });

  it('contains separable convolutions, batch norms and residual additions', () => {
    const model = buildXceptionStyle(SMALL);
    const classes = new Set(model.layers.map((l) => l.getClassName()));
    for (const c of ['SeparableConv2D', 'BatchNormalization', 'Add', 'MaxPooling2D'])
      expect(classes).toContain(c);
    // 3 entry blocks + 1 middle block, each with one add.
    expect(model.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(4);
    expect(model.outputShape).toEqual([null, 4]);
    model.dispose();
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = buildXceptionStyle({ ...SMALL, seed: 5 });
    const b = buildXceptionStyle({ ...SMALL, seed: 5 });
    const c = buildXceptionStyle({ ...SMALL, seed: 6 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)).not.toEqual(weightsOf(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('predicts probabilities and a train step changes the weights without leaking tensors', async () => {
    const model = buildXceptionStyle({ ...SMALL, seed: 1 });
    const x = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 3);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4);
    const before = tf.memory().numTensors;
    const probs = model.predict(x) as tf.Tensor;
    const sums = Array.from(probs.sum(1).dataSync());
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    probs.dispose();
    const kernel = () => Array.from(model.getLayer('block2_sepconv1').getWeights()[1]!.dataSync());
    const gammaBefore = Array.from(
      model.getLayer('block1_sepconv1_bn').getWeights()[0]!.dataSync(),
    );
    const k0 = kernel();
    await model.trainOnBatch(x, y);
    const afterFirst = tf.memory().numTensors; // the optimizer creates its slots once
    await model.trainOnBatch(x, y);
    expect(kernel()).not.toEqual(k0);
    expect(
      Array.from(model.getLayer('block1_sepconv1_bn').getWeights()[0]!.dataSync()),
    ).not.toEqual(gammaBefore);
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThanOrEqual(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
