// A comparison of three runs as the API's compareRuns returns it, for the compare components' tests.
import type { Comparison, ComparedRun } from '../lib/compare';

const run = (id: string, name: string, hyperparameters: ComparedRun['hyperparameters']) =>
  ({
    id,
    name,
    status: 'COMPLETED',
    project: { name: 'fmnist' },
    hyperparameters,
    reproducibility: null,
    summary: [
      { name: 'val_accuracy', last: 0.8, lastStep: 3, min: 0.5, max: 0.9, count: 4 },
      { name: 'val_loss', last: 0.4, lastStep: 3, min: 0.3, max: 1.2, count: 4 },
    ],
  }) satisfies ComparedRun;

// One point a minute from 2026-01-01 (the API sends every point's time; the time axes need it).
const points = (values: number[]) =>
  values.map((value, step) => ({
    step,
    value,
    time: new Date(Date.UTC(2026, 0, 1) + step * 60_000).toISOString(),
  }));

/** Three runs: a baseline, one better and one worse on most classes. */
export function comparisonFixture(): Comparison {
  return {
    runs: [
      run('r1', 'baseline', { learningRate: 0.001, batchSize: 32, optimizer: 'adam' }),
      run('r2', 'wider', { learningRate: 0.01, batchSize: 32, optimizer: 'adam' }),
      run('r3', 'tiny', { learningRate: 0.1, batchSize: 64, optimizer: 'sgd' }),
    ],
    metrics: [
      {
        name: 'loss',
        series: [
          { runId: 'r1', downsampled: false, points: points([1.2, 0.8, 0.6]) },
          { runId: 'r2', downsampled: false, points: points([1.1, 0.7, 0.5]) },
          { runId: 'r3', downsampled: false, points: [] },
        ],
      },
      {
        name: 'val_loss',
        series: [
          { runId: 'r1', downsampled: false, points: points([1.3, 0.9, 0.7]) },
          { runId: 'r2', downsampled: false, points: points([1.2, 0.8, 0.6]) },
        ],
      },
      // One point per run: not worth a chart.
      {
        name: 'lr',
        series: [{ runId: 'r1', downsampled: false, points: points([0.001]) }],
      },
    ],
    hyperparameters: [
      { key: 'batchSize', differs: true, values: [32, 32, 64] },
      { key: 'learningRate', differs: true, values: [0.001, 0.01, 0.1] },
      { key: 'optimizer', differs: true, values: ['adam', 'adam', 'sgd'] },
      { key: 'seed', differs: false, values: [7, 7, 7] },
      { key: 'notes', differs: true, values: ['x', null, null] },
    ],
    perClass: [
      {
        label: 'Trouser',
        metrics: [
          { runId: 'r1', precision: 0.9, recall: 0.8, f1: 0.85 },
          { runId: 'r2', precision: 0.95, recall: 0.8, f1: 0.87 },
          { runId: 'r3', precision: 0.7, recall: null, f1: 0.6 },
        ],
        deltas: [
          { runId: 'r1', precision: 0, recall: 0, f1: 0 },
          { runId: 'r2', precision: 0.05, recall: 0, f1: 0.02 },
          { runId: 'r3', precision: -0.2, recall: null, f1: -0.25 },
        ],
      },
    ],
    topK: [
      {
        runId: 'r1',
        evaluationId: 'e1',
        topK: [
          { k: 1, accuracy: 0.81 },
          { k: 2, accuracy: 0.93 },
        ],
      },
      { runId: 'r2', evaluationId: null, topK: [] },
      {
        runId: 'r3',
        evaluationId: 'e3',
        topK: [
          { k: 1, accuracy: 0.5 },
          { k: 2, accuracy: 0.7 },
        ],
      },
    ],
  };
}
