import { describe, expect, it } from 'vitest';
import { keyHyperparameters } from './hyperparameters';
import { flattenJson } from './json';
import { formatShape, normalizeModelSummary } from './model-summary';
import { rocCurvesOf, rocQuery } from './queries';
import { parseRunFilter, toGraphQLFilter, toGraphQLOrder } from './run-filters';
import { formatTimestamp, runDurationMs } from './time';

describe('keyHyperparameters', () => {
  it('finds aliases in display order and formats numbers', () => {
    const hp = {
      batch_size: 64,
      learningRate: 0.0005,
      epochs: 10,
      preset: 'small-cnn',
      seed: 1,
      optimizer: { name: 'adam', beta1: 0.9 },
    };
    expect(keyHyperparameters(hp)).toEqual([
      { label: 'preset', value: 'small-cnn', numeric: null },
      { label: 'lr', value: '5e-4', numeric: 0.0005 },
      { label: 'batch', value: '64', numeric: 64 },
      { label: 'epochs', value: '10', numeric: 10 },
      { label: 'optimizer', value: 'adam', numeric: null },
    ]);
  });
  it('returns nothing for a non-object', () => {
    expect(keyHyperparameters(null)).toEqual([]);
  });
});

describe('flattenJson', () => {
  it('flattens nested objects into sorted dotted keys', () => {
    expect(flattenJson({ b: 1.5, a: { y: [1, 2], x: 'adam' }, c: {} })).toEqual([
      { key: 'a.x', value: 'adam' },
      { key: 'a.y', value: '[1, 2]' },
      { key: 'b', value: '1.5' },
      { key: 'c', value: '{}' },
    ]);
  });
});

describe('normalizeModelSummary', () => {
  it('reads layers and sums params when totals are missing', () => {
    const view = normalizeModelSummary({
      inputShape: [28, 28, 1],
      layers: [
        { name: 'conv1', className: 'Conv2D', outputShape: [null, 26, 26, 16], params: 160 },
        { name: 'flatten', class: 'Flatten', outputShape: [null, 10816], paramCount: 0 },
        {
          name: 'dense',
          type: 'Dense',
          outputShape: [null, 10],
          numParams: 108170,
          trainable: true,
        },
      ],
    });
    expect(view?.layers.map((l) => [l.name, l.className, l.outputShape, l.params])).toEqual([
      ['conv1', 'Conv2D', '(None, 26, 26, 16)', 160],
      ['flatten', 'Flatten', '(None, 10816)', 0],
      ['dense', 'Dense', '(None, 10)', 108170],
    ]);
    expect(view?.totalParams).toBe(108330);
    expect(view?.facts).toEqual([{ key: 'inputShape', value: '(28, 28, 1)' }]);
  });
  it('derives non-trainable params from the totals', () => {
    const view = normalizeModelSummary({ layers: [], totalParams: 1000, trainableParams: 900 });
    expect(view?.nonTrainableParams).toBe(100);
  });
  it('is null for an empty summary', () => {
    expect(normalizeModelSummary(null)).toBeNull();
    expect(normalizeModelSummary({})).toBeNull();
  });
  it('formats multi-output shapes', () => {
    expect(
      formatShape([
        [null, 4],
        [null, 2],
      ]),
    ).toBe('(None, 4), (None, 2)');
  });
});

describe('run filters', () => {
  it('parses URL params and ignores unknown statuses', () => {
    expect(parseRunFilter({ project: 'mnist', status: 'running' })).toEqual({
      project: 'mnist',
      status: 'RUNNING',
      q: null,
      sort: null,
      dir: null,
    });
    expect(parseRunFilter({ status: 'bogus', project: ['a', 'b'] })).toEqual({
      project: 'a',
      status: null,
      q: null,
      sort: null,
      dir: null,
    });
    expect(parseRunFilter({ q: ' hp.lr < 0.01 ', sort: 'best', dir: 'desc' })).toMatchObject({
      q: 'hp.lr < 0.01',
      sort: 'best',
      dir: 'desc',
    });
    expect(toGraphQLFilter({ project: null, status: null })).toBeUndefined();
    expect(toGraphQLFilter({ project: 'p', status: 'FAILED' })).toEqual({
      projects: ['p'],
      statuses: ['FAILED'],
    });
    expect(toGraphQLFilter({ project: null, status: null, q: 'tag = "x"' })).toEqual({
      query: 'tag = "x"',
    });
    expect(toGraphQLOrder({ project: null, status: null })).toEqual({
      by: { field: 'CREATED_AT' },
      direction: 'DESC',
    });
    expect(toGraphQLOrder({ project: null, status: null, sort: 'best', dir: 'desc' })).toEqual({
      by: { key: 'best.val_accuracy' },
      direction: 'DESC',
    });
    expect(toGraphQLOrder({ project: null, status: null, sort: 'lr' })).toEqual({
      by: { key: 'hp.learningRate' },
      direction: 'ASC',
    });
    expect(toGraphQLOrder({ project: null, status: null, sort: 'final.loss', dir: 'asc' })).toEqual(
      { by: { key: 'final.loss' }, direction: 'ASC' },
    );
  });
});

describe('time helpers', () => {
  it('formats UTC timestamps deterministically', () => {
    expect(formatTimestamp('2026-11-22T08:05:09.123Z')).toBe('Nov 22, 08:05');
    expect(formatTimestamp('2026-01-02T23:59:59Z', true)).toBe('Jan 2, 23:59:59');
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp('garbage')).toBe('—');
  });
  it('prefers the API duration and otherwise counts from the start', () => {
    expect(runDurationMs({ durationMs: 1234, startedAt: null, endedAt: null }, 0)).toBe(1234);
    expect(
      runDurationMs(
        { durationMs: null, startedAt: '2026-01-01T00:00:00Z', endedAt: null },
        Date.parse('2026-01-01T00:01:30Z'),
      ),
    ).toBe(90_000);
    expect(runDurationMs({ durationMs: null, startedAt: null, endedAt: null }, 5)).toBeNull();
  });
});

describe('ROC query', () => {
  it('asks for one aliased roc(label) per class index and reads the answer back in order', () => {
    const q = rocQuery(3).toString();
    expect(q).toContain('c0: roc(label: "0") { ...RocCurveFields }');
    expect(q).toContain('c2: roc(label: "2") { ...RocCurveFields }');
    expect(q).toContain('fragment RocCurveFields on RocCurve');
    expect(q).not.toContain('c3:');
    const curve = { fpr: [0, 1], tpr: [0, 1] };
    expect(
      rocCurvesOf({ run: { evaluation: { id: 'e', c0: curve, c1: null, c2: curve } } }, 3),
    ).toEqual([curve, null, curve]);
    expect(rocCurvesOf({ run: null }, 2)).toEqual([null, null]);
  });
});
