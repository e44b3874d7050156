import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mcDropout, MC_DROPOUT_KERNEL } from '../../uncertainty/mc-dropout-kernel';
import { dropoutMask, type RowKeys } from '../../uncertainty/row-noise';
import { randomValues } from '../test-helpers';
import { loadOnednnAddon, onednnAddonBuilt } from './addon';
import { ONEDNN } from './kernels';
import { initOnednnBackend } from './setup';

const addonBuilt = onednnAddonBuilt();
const SKIP = addonBuilt
  ? ''
  : ' (SKIPPED: addon not built; run `npm run build:native -w @convscope/ml`, needs libdnnl-dev)';

/** mcDropout's output and the gradient of sum(out * dy) w.r.t. x, on `backend`. */
async function run(
  backend: string,
  shape: number[],
  rate: number,
  stream: number,
  rows: RowKeys | null,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor(randomValues(shape, 3), shape);
    const dy = tf.tensor(randomValues(shape, 4), shape);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(mcDropout(t, { stream, rate, rows }), dy));
    const y = mcDropout(x, { stream, rate, rows });
    const g = tf.grad(f)(x);
    return [Float32Array.from(y.dataSync()), Float32Array.from(g.dataSync())];
  });
}

/** Index of the first element whose bits differ (-1: bitwise equal); lengths must match. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -2;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

function rowKeys(batch: number): RowKeys {
  return {
    pass: Uint32Array.from({ length: batch }, (_, i) => (i * 7 + 3) % 5),
    sample: Uint32Array.from({ length: batch }, (_, i) => 1000 + i * 13),
  };
}

describe.skipIf(!addonBuilt)(
  `MC dropout on onednn: the wasm kernel's values, bit for bit${SKIP}`,
  () => {
    beforeAll(async () => {
      await initOnednnBackend();
    });

    it('runs the native kernel on onednn', () => {
      const cfg = tf.getKernel(MC_DROPOUT_KERNEL, ONEDNN);
      expect(cfg).toBeDefined();
      expect(cfg?.kernelFunc).not.toBe(tf.getKernel(MC_DROPOUT_KERNEL, 'wasm')?.kernelFunc);
    });

    const cases = [
      {
        name: 'rate 0.5, NHWC, width 5*3*7 (not a multiple of 32)',
        shape: [6, 5, 3, 7],
        rate: 0.5,
      },
      { name: 'rate 0.5, dense rows of 64', shape: [9, 64], rate: 0.5 },
      { name: 'rate 0.3, odd width', shape: [5, 37], rate: 0.3 },
      { name: 'rate 0.9', shape: [4, 3, 3, 5], rate: 0.9 },
      { name: 'rate 0', shape: [3, 11], rate: 0 },
      { name: 'rate 0.5, large (threaded)', shape: [8, 16, 16, 32], rate: 0.5 },
      { name: 'rate 0.25, large (threaded)', shape: [8, 8, 8, 64], rate: 0.25 },
    ];
    it.each(cases)('$name: output and gradient, with and without row keys', async (c) => {
      const before = tf.memory().numTensors;
      for (const rows of [null, rowKeys(c.shape[0]!)]) {
        for (const stream of [0, 12345, 0xfffffff0]) {
          const got = await run(ONEDNN, c.shape, c.rate, stream, rows);
          const want = await run('wasm', c.shape, c.rate, stream, rows);
          expect(firstBitDifference(got[0]!, want[0]!), `output, stream ${stream}`).toBe(-1);
          expect(firstBitDifference(got[1]!, want[1]!), `gradient, stream ${stream}`).toBe(-1);
          // Something was dropped and something kept (rate 0: nothing dropped).
          const zeros = got[0]!.filter((v) => v === 0).length;
          if (c.rate > 0) expect(zeros).toBeGreaterThan(0);
          else expect(zeros).toBe(0);
          expect(zeros).toBeLessThan(got[0]!.length);
        }
      }
      await tf.setBackend(ONEDNN);
      expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
    });

    it('the multipliers (src null) equal dropoutMask', () => {
      const addon = loadOnednnAddon();
      for (const [rate, width] of [
        [0.5, 70],
        [0.2, 33],
      ] as const) {
        const rows = rowKeys(3);
        const got = new Float32Array(3 * width);
        addon.mcDropout(null, got, [3, width], 777, rate, rows.pass, rows.sample);
        expect(firstBitDifference(got, dropoutMask(777, rows, 3, width, rate))).toBe(-1);
      }
    });

    it('rejects bad arguments with clear errors', async () => {
      const addon = loadOnednnAddon();
      const dst = new Float32Array(6);
      expect(() => addon.mcDropout(null, dst, [2, 3], 1, 1, null, null)).toThrow(/rate/);
      expect(() => addon.mcDropout(null, dst, [2, 3], -1, 0.5, null, null)).toThrow(/stream/);
      expect(() => addon.mcDropout(null, dst, [2, 4], 1, 0.5, null, null)).toThrow(/dst/);
      expect(() => addon.mcDropout(null, dst, [2, 3], 1, 0.5, new Uint32Array(2), null)).toThrow(
        /pass and sample/,
      );
      expect(() =>
        addon.mcDropout(null, dst, [2, 3], 1, 0.5, new Uint32Array(3), new Uint32Array(3)),
      ).toThrow(/pass/);
      await tf.setBackend(ONEDNN);
      const x = tf.zeros([4, 3]);
      expect(() => mcDropout(x, { stream: 1, rate: 0.5, rows: rowKeys(2) })).toThrow(
        /rows per forward/,
      );
      x.dispose();
    });
  },
);
