import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedL1L2, fusedL2, l2Penalty } from './l2-regularizer';
import { randomValues } from './test-helpers';
import { initWasmBackend } from './wasm-setup';

/** Value and gradient of c * reg(x) (c scales dy away from 1). */
function valueAndGrad(
  reg: { apply(x: tf.Tensor): tf.Scalar },
  x: tf.Variable,
  c: number,
): { value: number[]; grad: number[] } {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mul<tf.Scalar>(reg.apply(x), c), [x]);
    return { value: Array.from(value.dataSync()), grad: Array.from(grads[x.name]!.dataSync()) };
  });
}

describe('fused L2 regularizer', () => {
  beforeAll(async () => {
    await initWasmBackend();
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`gives bitwise the stock loss and gradient on ${backend}`, async () => {
      await tf.setBackend(backend);
      try {
        const x = tf.variable(tf.tensor(randomValues([37, 129], 3), [37, 129]));
        for (const [l2, c] of [
          [4.6e-5, 1],
          [0.01, 0.37],
          [1.3, -2.5],
        ] as const) {
          const stock = valueAndGrad(tf.regularizers.l2({ l2 }), x, c);
          const fused = valueAndGrad(fusedL2(l2), x, c);
          expect(fused.value).toEqual(stock.value);
          expect(fused.grad).toEqual(stock.grad);
          expect(fused.grad.some((g) => g !== 0)).toBe(true);
        }
        x.dispose();
      } finally {
        await tf.setBackend('wasm');
      }
    });
  }

  it('keeps the stock class name and config, and L1 terms on the stock path', () => {
    const reg = fusedL2(0.02);
    expect(reg).toBeInstanceOf(FusedL1L2);
    expect(reg.getClassName()).toBe('L1L2');
    expect(reg.getConfig()).toEqual(tf.regularizers.l2({ l2: 0.02 }).getConfig());
    const x = tf.variable(tf.tensor1d([1, -2, 3]));
    const l1l2 = new FusedL1L2({ l1: 0.5, l2: 0.1 });
    const stock = tf.regularizers.l1l2({ l1: 0.5, l2: 0.1 });
    expect(valueAndGrad(l1l2, x, 1)).toEqual(valueAndGrad(stock, x, 1));
    x.dispose();
  });

  it('serialises as the stock L2 in a model and loads back', async () => {
    const make = (reg: ReturnType<typeof tf.regularizers.l2>) =>
      tf.sequential({
        name: 'reg_model',
        layers: [
          tf.layers.dense({ name: 'fc', units: 3, inputShape: [4], kernelRegularizer: reg }),
        ],
      });
    const model = make(fusedL2(0.05));
    const stock = make(tf.regularizers.l2({ l2: 0.05 }));
    const json = model.toJSON(null, false);
    expect(JSON.stringify(json)).toContain('"class_name":"L1L2"');
    expect(json).toEqual(stock.toJSON(null, false));
    const loaded = await tf.models.modelFromJSON({ modelTopology: json });
    const reg = loaded.getLayer('fc').getConfig()['kernelRegularizer'];
    expect(reg).toEqual({ className: 'L1L2', config: { l1: 0, l2: 0.05 } });
    // A loaded model trains with the one-pass gradient too (the class is registered as L1L2).
    const loadedReg = (loaded.getLayer('fc') as unknown as { kernelRegularizer: unknown })
      .kernelRegularizer;
    expect(loadedReg).toBeInstanceOf(FusedL1L2);
    for (const m of [model, stock, loaded]) m.dispose();
  });

  it('leaks no tensors', () => {
    const x = tf.variable(tf.ones([16, 8]));
    valueAndGrad(fusedL2(0.1), x, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) valueAndGrad(fusedL2(0.1), x, 1);
    tf.tidy(() => {
      l2Penalty(x, 0.1);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
