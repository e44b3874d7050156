import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeBatch } from './batches';

/** Every byte value once per image (4 images of 8x8x4 = 256 pixels), in a different order each. */
function split(): { images: Uint8Array; labels: Uint8Array; count: number } {
  const images = new Uint8Array(4 * 256).map((_, i) => (i * (1 + 2 * (i >> 8))) & 255);
  return { images, labels: new Uint8Array([2, 0, 1, 2]), count: 4 };
}

describe('makeBatch', () => {
  it('scales every byte value exactly as a float32 division by 255 or a rescale multiply', () => {
    const data = split();
    for (const rescale of [undefined, 1 / 127.5, 0.5, undefined]) {
      const { xs, ys } = makeBatch(data, [3, 1], {
        shape: [8, 8, 4],
        numClasses: 3,
        encoding: 'one-hot',
        rescale,
      });
      const got = xs.dataSync();
      const want = new Float32Array(2 * 256);
      [3, 1].forEach((index, i) => {
        for (let p = 0; p < 256; p++) {
          const b = data.images[index * 256 + p]!;
          want[i * 256 + p] = rescale === undefined ? b / 255 : b * rescale;
        }
      });
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(new Set(Array.from(got)).size).toBe(256);
      expect(xs.shape).toEqual([2, 8, 8, 4]);
      expect(Array.from(ys.dataSync())).toEqual([0, 0, 1, 1, 0, 0]);
      tf.dispose([xs, ys]);
    }
  });

  it('encodes binary labels as a column', () => {
    const before = tf.memory().numTensors;
    const { xs, ys } = makeBatch(split(), [0, 1], {
      shape: [8, 8, 4],
      numClasses: 2,
      encoding: 'binary',
    });
    expect(ys.shape).toEqual([2, 1]);
    expect(Array.from(ys.dataSync())).toEqual([2, 0]);
    tf.dispose([xs, ys]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
