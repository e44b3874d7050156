import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import type { ImageSplit } from '../data/dataset';
import { evaluateTestSplit } from './test-evaluation';
import type { TrainingCallback } from './training-callback';
import { runTrainingLoop, type TrainingLoopOptions } from './training-loop';

const shape: [number, number, number] = [6, 6, 1];

/** Two classes told apart by brightness (class 1 bright), with a little per-image noise. */
function split(count: number, offset: number): ImageSplit {
  const pixels = 36;
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = (i + offset) % 2;
    labels[i] = label;
    for (let p = 0; p < pixels; p++)
      images[i * pixels + p] = (label ? 180 : 60) + ((i * 7 + p * 3 + offset) % 50);
  }
  return { images, labels, count };
}

const train = split(24, 0);
const validation = split(8, 1);

/** A small dense model on plain SGD (no optimizer slots, so every tensor is a weight). */
function tinyModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: shape }),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'zeros' }),
    ],
  });
  model.compile({
    optimizer: tf.train.sgd(0.5),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

function options(
  callbacks: TrainingCallback[],
  extra: Partial<TrainingLoopOptions> = {},
): TrainingLoopOptions {
  return {
    train,
    validation,
    shape,
    numClasses: 2,
    batchSize: 12,
    phases: [{ name: 'train', epochs: 2 }],
    callbacks,
    ...extra,
  };
}

/** A callback that records every hook it sees as `name:hook:detail`. */
function recorder(name: string, events: string[]): TrainingCallback {
  return {
    name,
    onTrainBegin: async ({ epochs, batchesPerEpoch }) => {
      await Promise.resolve();
      events.push(`${name}:trainBegin:${epochs}x${batchesPerEpoch}`);
    },
    onEpochBegin: ({ epoch, phase }) => void events.push(`${name}:epochBegin:${epoch}:${phase}`),
    onBatchEnd: ({ epoch, batch, step }) =>
      void events.push(`${name}:batchEnd:${epoch}.${batch}:${step}`),
    onEpochEnd: async ({ epoch }) => {
      await Promise.resolve();
      events.push(`${name}:epochEnd:${epoch}`);
    },
    onTrainEnd: ({ fit, test }) =>
      void events.push(`${name}:trainEnd:${fit.history.length}:${test ? 'test' : 'none'}`),
  };
}

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

describe('runTrainingLoop', () => {
  it('calls every hook of every callback in list order, hook by hook', async () => {
    const events: string[] = [];
    const model = tinyModel();
    try {
      await runTrainingLoop(
        model,
        options([recorder('a', events), recorder('b', events)], {
          evaluate: (m) =>
            evaluateTestSplit(m, {
              split: validation,
              shape,
              classNames: ['dark', 'bright'],
              columns: 2,
            }),
        }),
      );
    } finally {
      model.dispose();
    }
    const perEpoch = (e: number) => [
      `a:epochBegin:${e}:train`,
      `b:epochBegin:${e}:train`,
      `a:batchEnd:${e}.0:${2 * e + 1}`,
      `b:batchEnd:${e}.0:${2 * e + 1}`,
      `a:batchEnd:${e}.1:${2 * e + 2}`,
      `b:batchEnd:${e}.1:${2 * e + 2}`,
      `a:epochEnd:${e}`,
      `b:epochEnd:${e}`,
    ];
    expect(events).toEqual([
      'a:trainBegin:2x2',
      'b:trainBegin:2x2',
      ...perEpoch(0),
      ...perEpoch(1),
      'a:trainEnd:2:test',
      'b:trainEnd:2:test',
    ]);
  });

  it('numbers epochs and names phases continuously across phases', async () => {
    const events: string[] = [];
    const model = tinyModel();
    try {
      const { fit } = await runTrainingLoop(
        model,
        options([recorder('a', events)], {
          phases: [
            { name: 'head', epochs: 1, patience: null },
            { name: 'finetune', epochs: 2 },
          ],
        }),
      );
      expect(fit.epochPhases).toEqual(['head', 'finetune', 'finetune']);
    } finally {
      model.dispose();
    }
    expect(events.filter((e) => e.includes('epochBegin'))).toEqual([
      'a:epochBegin:0:head',
      'a:epochBegin:1:finetune',
      'a:epochBegin:2:finetune',
    ]);
    expect(events[0]).toBe('a:trainBegin:3x2');
    expect(events.at(-1)).toBe('a:trainEnd:3:none');
  });

  it("stops after an epoch any callback answers 'stop' to; the others still see that epoch", async () => {
    const events: string[] = [];
    const stopper: TrainingCallback = { name: 'stop', onEpochEnd: () => 'stop' };
    const model = tinyModel();
    try {
      const { fit } = await runTrainingLoop(
        model,
        options([stopper, recorder('a', events)], { phases: [{ name: 'train', epochs: 5 }] }),
      );
      expect(fit.history).toHaveLength(1);
      expect(fit.stoppedEarly).toBe(false);
    } finally {
      model.dispose();
    }
    expect(events.filter((e) => e.includes('epochEnd'))).toEqual(['a:epochEnd:0']);
    expect(events.at(-1)).toBe('a:trainEnd:1:none');
  });

  it("rethrows a callback's error: later callbacks and onTrainEnd are not called", async () => {
    const events: string[] = [];
    const failing: TrainingCallback = {
      name: 'failing',
      onBatchEnd: ({ step }) => {
        if (step === 3) throw new Error('tracker unreachable');
      },
    };
    const model = tinyModel();
    try {
      await expect(
        runTrainingLoop(model, options([failing, recorder('a', events)])),
      ).rejects.toThrow('tracker unreachable');
    } finally {
      model.dispose();
    }
    expect(events.filter((e) => e.includes('batchEnd'))).toEqual([
      'a:batchEnd:0.0:1',
      'a:batchEnd:0.1:2',
    ]);
    expect(events.some((e) => e.includes('trainEnd'))).toBe(false);
  });

  it('flags the epochs that improved val_loss, as early stopping sees them', async () => {
    const flags: boolean[] = [];
    const model = tinyModel();
    let history: { val_loss?: number }[] = [];
    try {
      ({
        fit: { history },
      } = await runTrainingLoop(
        model,
        options([{ name: 'flags', onEpochEnd: ({ improved }) => void flags.push(improved) }], {
          phases: [{ name: 'train', epochs: 4 }],
        }),
      ));
    } finally {
      model.dispose();
    }
    let best = Infinity;
    const expected = history.map(({ val_loss = NaN }) => {
      const improved = val_loss < best;
      if (improved) best = val_loss;
      return improved;
    });
    expect(flags).toEqual(expected);
    expect(flags[0]).toBe(true);
  });

  it('leaves no tensor behind (best weights, evaluation and serialisation included)', async () => {
    const before = tf.memory().numTensors;
    const model = tinyModel();
    let bytes = 0;
    try {
      await runTrainingLoop(
        model,
        options(
          [
            {
              name: 'serialise',
              onTrainEnd: async ({ serialized }) => {
                // Twice: the second call reuses the first serialisation.
                const [a, b] = [await serialized(), await serialized()];
                expect(b).toBe(a);
                bytes = a.weights.length;
              },
            },
          ],
          {
            phases: [{ name: 'train', epochs: 3 }],
            evaluate: (m) =>
              evaluateTestSplit(m, {
                split: validation,
                shape,
                classNames: ['a', 'b'],
                columns: 2,
              }),
          },
        ),
      );
    } finally {
      // compile was given the optimizer, so the model does not dispose it.
      const optimizer = model.optimizer;
      model.dispose();
      optimizer.dispose();
    }
    expect(bytes).toBe((36 * 2 + 2) * 4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
