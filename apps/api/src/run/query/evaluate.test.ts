import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  isMinimised,
  sortRuns,
  type MetricAggregate,
  type RunProjection,
} from './evaluate';
import { parseQuery, parseSortKey } from './parser';

function run(
  id: string,
  over: Partial<RunProjection> & { m?: Record<string, MetricAggregate> } = {},
): RunProjection {
  const { m, ...rest } = over;
  return {
    id,
    name: id,
    status: 'COMPLETED',
    project: 'p',
    tags: [],
    hyperparameters: {},
    createdAt: new Date('2026-11-01T12:00:00Z'),
    startedAt: new Date('2026-11-01T12:00:00Z'),
    endedAt: new Date('2026-11-01T12:01:00Z'),
    metrics: new Map(Object.entries(m ?? {})),
    ...rest,
  };
}

const agg = (min: number, max: number, last: number): MetricAggregate => ({ min, max, last });
const select = (runs: RunProjection[], q: string) =>
  runs.filter(compileQuery(parseQuery(q), Date.parse('2026-11-02T00:00:00Z'))).map((r) => r.id);

describe('runs query evaluation', () => {
  const runs = [
    run('a', {
      hyperparameters: { learningRate: 0.001 },
      m: { val_accuracy: agg(0.5, 0.95, 0.9) },
    }),
    run('b', {
      hyperparameters: { learningRate: 0.001 },
      m: { val_accuracy: agg(0.5, 0.85, 0.8) },
      tags: ['baseline'],
    }),
    run('c', {
      hyperparameters: { learningRate: 0.001 },
      m: { val_accuracy: agg(0.5, 0.85, 0.8) },
    }),
    run('d', {
      hyperparameters: { learningRate: 0.1 },
      m: { val_accuracy: agg(0.5, 0.99, 0.99) },
      tags: ['baseline'],
    }),
    run('e', { hyperparameters: { lr: 0.005 }, tags: ['baseline'] }),
    run('f', { hyperparameters: { lr: '0.005' }, m: { val_accuracy: agg(0.9, 0.92, 0.91) } }),
  ];

  it('evaluates the example query (lr alias, best = max for accuracy)', () => {
    expect(select(runs, 'hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")')).toEqual(
      ['a', 'b', 'e', 'f'],
    );
  });

  it('treats a missing value as not matching, and NOT as its complement', () => {
    expect(select(runs, 'best.val_accuracy > 0')).toEqual(['a', 'b', 'c', 'd', 'f']);
    expect(select(runs, 'not best.val_accuracy > 0')).toEqual(['e']);
    expect(select(runs, 'hp.learningRate = 0.005')).toEqual(['e', 'f']);
  });

  it('minimises loss-like metrics and reads final values', () => {
    expect(isMinimised('val_loss')).toBe(true);
    expect(isMinimised('Error_rate')).toBe(true);
    expect(isMinimised('val_accuracy')).toBe(false);
    const r = [
      run('x', { m: { val_loss: agg(0.2, 2, 0.4) } }),
      run('y', { m: { val_loss: agg(0.3, 1, 0.3) } }),
    ];
    expect(select(r, 'best.val_loss < 0.25')).toEqual(['x']);
    expect(select(r, 'final.val_loss < 0.35')).toEqual(['y']);
  });

  it('compares tags, status, names, dates and duration', () => {
    const r = [
      run('x', {
        name: 'CNN-small',
        status: 'RUNNING',
        endedAt: null,
        tags: ['Baseline', 'v2'],
        createdAt: new Date('2026-10-31T23:59:59Z'),
      }),
      run('y', {
        name: 'mlp',
        project: 'other',
        tags: ['v2'],
        createdAt: new Date('2026-11-01T00:00:00Z'),
      }),
    ];
    expect(select(r, 'tag = "v2"')).toEqual(['x', 'y']);
    expect(select(r, 'tag = "baseline"')).toEqual([]);
    expect(select(r, 'tag ~ "BASE"')).toEqual(['x']);
    expect(select(r, 'tag != "Baseline"')).toEqual(['y']);
    expect(select(r, 'status = "running"')).toEqual(['x']);
    expect(select(r, 'name ~ "cnn"')).toEqual(['x']);
    expect(select(r, 'project = "other"')).toEqual(['y']);
    expect(select(r, 'created >= "2026-11-01"')).toEqual(['y']);
    expect(select(r, 'created = "2026-11-01"')).toEqual(['y']);
    expect(select(r, 'created <= "2026-10-31"')).toEqual(['x']);
    expect(select(r, 'created < "2026-11-01T00:00:00Z"')).toEqual(['x']);
    expect(select(r, 'ended > "2026-01-01"')).toEqual(['y']);
    // y: 60 s; x is still running: now (2026-11-02) − start.
    expect(select(r, 'duration = 60')).toEqual(['y']);
    expect(select(r, 'duration > 3600')).toEqual(['x']);
  });

  it('sorts with missing values last in both directions', () => {
    const r = [
      run('a', { m: { acc: agg(0, 0.5, 0.5) } }),
      run('b'),
      run('c', { m: { acc: agg(0, 0.9, 0.9) } }),
      run('d', { m: { acc: agg(0, 0.5, 0.1) } }),
    ];
    const key = parseSortKey('best.acc');
    expect(sortRuns(r, key, 'desc').map((x) => x.id)).toEqual(['c', 'd', 'a', 'b']);
    expect(sortRuns(r, key, 'asc').map((x) => x.id)).toEqual(['a', 'd', 'c', 'b']);
    expect(sortRuns(r, parseSortKey('final.acc'), 'asc').map((x) => x.id)).toEqual([
      'd',
      'a',
      'c',
      'b',
    ]);
  });
});
