// What a TRAIN job's payload becomes before any training: the experiment file with its flat
// overrides, validated; and the errors that make the worker fail a job without a retry.
import { describe, expect, it } from 'vitest';
import { queuedRunConfig } from '../train/run-config';
import { trainJobRunner } from './run-train-job';
import { isPermanentJobError } from './run-worker';

const FILE = { preset: 'fmnist-cnn', training: { epochs: 3, batchSize: 32 } };

describe('queuedRunConfig', () => {
  it('applies training overrides and the optimizer, keeping the rest of the file', () => {
    const c = queuedRunConfig(FILE, { epochs: 1, learningRate: 0.01, optimizer: 'sgd' });
    expect(c.training).toMatchObject({ epochs: 1, batchSize: 32, learningRate: 0.01 });
    expect(c.preset.name).toBe('fmnist-cnn');
    expect(c.preset.optimizer.type).toBe('sgd');
    // The file given is not changed.
    expect(FILE.training.epochs).toBe(3);
  });

  it('refuses what can never run, naming the field (a permanent job error)', () => {
    const cases: [unknown, unknown, RegExp][] = [
      [FILE, { dropout: 0.5 }, /hyperparameters\.dropout: unknown hyperparameter/],
      [FILE, { epochs: 'many' }, /training\.epochs/],
      [{ preset: 'nope' }, undefined, /unknown preset "nope"/],
      [{ ...FILE, training: { seeds: [1, 2] } }, undefined, /training\.seeds/],
      ['preset: fmnist-cnn', undefined, /expected an experiment file object/],
    ];
    for (const [file, overrides, message] of cases) {
      let error: unknown;
      try {
        queuedRunConfig(file, overrides);
      } catch (err) {
        error = err;
      }
      expect((error as Error | undefined)?.message).toMatch(message);
      expect(isPermanentJobError(error)).toBe(true);
    }
  });
});

describe('trainJobRunner', () => {
  const context = { workerId: 'w', signal: new AbortController().signal, log: () => undefined };
  const runner = trainJobRunner({ apiUrl: 'http://127.0.0.1:9' });
  const job = (payload: unknown) => ({
    id: 'j',
    kind: 'TRAIN' as const,
    runId: 'r',
    attempt: 1,
    leaseExpiresAt: new Date().toISOString(),
    payload,
  });

  it('fails a bad payload or config before training, without retry', async () => {
    for (const payload of [{}, { runId: 'r', config: { preset: 'nope' } }]) {
      const error = await runner(job(payload), context).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(Error);
      expect(isPermanentJobError(error)).toBe(true);
    }
  });
});
