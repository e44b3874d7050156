import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { channelStatistics, layerActivations, topActivatingImages } from './activations';
import { expectClose, noLeak } from './explain-test-helpers';

/** 1x1 conv with 2 filters: channel 0 = x, channel 1 = -x + 1 (linear), then a dense head. */
function oneByOne(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [2, 2, 1], filters: 2, kernelSize: 1, name: 'mix' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }));
  m.setWeights([
    tf.tensor4d([1, -1], [1, 1, 1, 2]),
    tf.tensor1d([0, 1]),
    tf.ones([8, 2]),
    tf.zeros([2]),
  ]);
  return m;
}

describe('layerActivations', () => {
  it('returns every layer from one forward pass', () => {
    const model = oneByOne();
    const calls = new Map<string, number>();
    for (const layer of model.layers) {
      const call = layer.call.bind(layer);
      layer.call = (inputs, kwargs) => {
        calls.set(layer.name, (calls.get(layer.name) ?? 0) + 1);
        return call(inputs, kwargs);
      };
    }
    const x = tf.tensor4d([1, 2, 3, 4, 0, 0, 1, 1], [2, 2, 2, 1]);
    const acts = noLeak(() => layerActivations({ model, images: x }));
    expect([...calls.values()]).toEqual([1, 1, 1]);
    expect(acts.map((a) => [a.layer, a.shape])).toEqual([
      ['mix', [2, 2, 2, 2]],
      ['flat', [2, 8]],
      ['out', [2, 2]],
    ]);
    // Pixel p -> (p, 1 - p), interleaved channels last.
    expect(Array.from(acts[0]!.data)).toEqual([1, 0, 2, -1, 3, -2, 4, -3, 0, 1, 0, 1, 1, 0, 1, 0]);
    // All-ones dense: both logits equal -> softmax 0.5 each.
    expectClose(acts[2]!.data, [0.5, 0.5, 0.5, 0.5], 1e-6);
    model.dispose();
    x.dispose();
  });

  it('falls back to the eager walk when a nested layer and an outer layer share a name', () => {
    const base = tf.sequential({ name: 'base' });
    base.add(tf.layers.dense({ inputShape: [3], units: 2, name: 'fc', useBias: false }));
    const input = tf.input({ shape: [3] });
    const hidden = base.apply(input) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 2, name: 'fc', useBias: false })
      .apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.setWeights([tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]), tf.tensor2d([1, 2, 3, 4], [2, 2])]);
    // A dense-only model takes [batch, features]; the API's type says images, hence the cast.
    const x = tf.tensor<tf.Rank.R4>([[1, 2, 3]]);
    const acts = noLeak(() => layerActivations({ model, images: x, layers: ['base/fc', 'fc'] }));
    // base/fc: [1+3, 2+3] = [4, 5]; fc: [4*1 + 5*3, 4*2 + 5*4] = [19, 28]
    expect(Array.from(acts[0]!.data)).toEqual([4, 5]);
    expect(Array.from(acts[1]!.data)).toEqual([19, 28]);
    model.dispose();
    x.dispose();
  });
});

describe('channelStatistics', () => {
  it('computes mean, population std, max and zero fraction per channel', () => {
    // 2 channels, 4 positions: channel 0 = [0, 2, 4, 0], channel 1 = [1, 1, 1, 5]
    const s = channelStatistics({ shape: [1, 2, 2, 2], data: [0, 1, 2, 1, 4, 1, 0, 5] });
    expect(Array.from(s.mean)).toEqual([1.5, 2]);
    // channel 0: deviations -1.5, .5, 2.5, -1.5 -> (2.25+.25+6.25+2.25)/4 = 2.75
    // channel 1: deviations -1, -1, -1, 3 -> (1+1+1+9)/4 = 3
    expect(s.std[0]).toBeCloseTo(Math.sqrt(2.75), 12);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(3), 12);
    expect(Array.from(s.max)).toEqual([4, 5]);
    expect(Array.from(s.zeroFraction)).toEqual([0.5, 0]);
  });
});

describe('topActivatingImages', () => {
  it('finds the top-k images per channel across batches (ties: lower index first)', () => {
    const model = oneByOne();
    // 7 constant images with values 3 1 4 1 5 9 2: channel 0 mean = v, channel 1 mean = 1 - v.
    const values = [3, 1, 4, 1, 5, 9, 2];
    const images = Uint8Array.from(values.flatMap((v) => [v, v, v, v]));
    const top = noLeak(() =>
      topActivatingImages({ model, layer: 'mix', images, shape: [7, 2, 2, 1], k: 3, batchSize: 3 }),
    );
    expect(top.channels).toBe(2);
    expect(top.k).toBe(3);
    expect(Array.from(top.indices)).toEqual([5, 4, 2, 1, 3, 6]); // channel 0: 9, 5, 4; channel 1: 0, 0, -1
    expect(Array.from(top.values)).toEqual([9, 5, 4, 0, 0, -1]);
    // Scaled bytes: the same order, values / 10.
    const scaled = topActivatingImages({
      model,
      layer: 'mix',
      images,
      shape: [7, 2, 2, 1],
      k: 1,
      scale: 0.1,
    });
    expect(Array.from(scaled.indices)).toEqual([5, 1]);
    expectClose(scaled.values, [0.9, 0.9], 1e-6);
    expect(() => topActivatingImages({ model, layer: 'mix', images, shape: [6, 2, 2, 1] })).toThrow(
      /expected 6 x 2 x 2 x 1/,
    );
    model.dispose();
  });
});
