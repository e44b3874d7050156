import { describe, expect, it } from 'vitest';
import {
  columnLabel,
  columnValue,
  dynamicColumnKeys,
  flattenHyperparameters,
  hyperparameterPaths,
  metricNames,
  metricValue,
  parseColumnKey,
  parseColumns,
  serializeColumns,
  toggleColumn,
  type ColumnRunLike,
} from './columns';

const goal = (m: string): 'min' | 'max' => (m.includes('acc') ? 'max' : 'min');

const runs: ColumnRunLike[] = [
  {
    hyperparameters: { lr: 0.01, batchSize: 64, optimizer: { name: 'adam', beta1: 0.9 } },
    summary: [
      { name: 'val_accuracy', last: 0.88, min: 0.5, max: 0.91 },
      { name: 'loss', last: 0.3, min: 0.25, max: 2.1 },
    ],
    tags: ['baseline', 'fast'],
  },
  {
    hyperparameters: { lr: 0.1, augment: true, layers: [32, 64], arch: 'cnn' },
    summary: [{ name: 'val_loss', last: 0.4, min: 0.35, max: 1 }],
    tags: [],
  },
  { hyperparameters: null, summary: [] },
];

describe('flattenHyperparameters', () => {
  it('flattens nested objects to dotted paths and lists to JSON text', () => {
    expect([...flattenHyperparameters(runs[0]!.hyperparameters)]).toEqual([
      ['lr', 0.01],
      ['batchSize', 64],
      ['optimizer.name', 'adam'],
      ['optimizer.beta1', 0.9],
    ]);
    expect(flattenHyperparameters(runs[1]!.hyperparameters).get('layers')).toBe('[32,64]');
    expect(flattenHyperparameters('x').size).toBe(0);
  });

  it('stops at three levels: deeper objects are JSON text', () => {
    const m = flattenHyperparameters({ a: { b: { c: { d: 1 } } } });
    expect([...m]).toEqual([['a.b.c', '{"d":1}']]);
  });
});

describe('catalog', () => {
  it('offers every hyperparameter path, best and last of every metric, and tags', () => {
    expect(hyperparameterPaths(runs)).toEqual([
      'arch',
      'augment',
      'batchSize',
      'layers',
      'lr',
      'optimizer.beta1',
      'optimizer.name',
    ]);
    expect(metricNames(runs)).toEqual(['loss', 'val_accuracy', 'val_loss']);
    const keys = dynamicColumnKeys(runs);
    expect(keys).toContain('hp.optimizer.name');
    expect(keys).toContain('best.val_accuracy');
    expect(keys).toContain('final.loss');
    expect(keys.at(-1)).toBe('tags');
    expect(keys).toHaveLength(7 + 3 * 2 + 1);
  });
});

describe('column values', () => {
  it('reads best by goal, last as logged, null when missing', () => {
    const s = runs[0]!.summary;
    expect(metricValue(s, 'val_accuracy', 'best', 'max')).toBe(0.91);
    expect(metricValue(s, 'loss', 'best', 'min')).toBe(0.25);
    expect(metricValue(s, 'loss', 'last', 'min')).toBe(0.3);
    expect(metricValue(s, 'nope', 'best', 'max')).toBeNull();
    expect(metricValue([{ name: 'x', last: NaN, min: 0, max: 0 }], 'x', 'last', 'min')).toBeNull();
  });

  it('reads hyperparameters, metrics and tags by key; built-ins are the table’s', () => {
    expect(columnValue(runs[0]!, 'hp.optimizer.name', goal)).toBe('adam');
    expect(columnValue(runs[1]!, 'hp.augment', goal)).toBe(true);
    expect(columnValue(runs[2]!, 'hp.lr', goal)).toBeNull();
    expect(columnValue(runs[0]!, 'best.val_accuracy', goal)).toBe(0.91);
    expect(columnValue(runs[1]!, 'best.val_loss', goal)).toBe(0.35);
    expect(columnValue(runs[0]!, 'tags', goal)).toBe('baseline, fast');
    expect(columnValue(runs[1]!, 'tags', goal)).toBeNull();
    expect(columnValue(runs[0]!, 'created', goal)).toBeUndefined();
  });

  it('parses keys and labels them', () => {
    expect(parseColumnKey('hp.optimizer.name')).toEqual({ kind: 'hp', name: 'optimizer.name' });
    expect(parseColumnKey('final.loss')).toEqual({ kind: 'final', name: 'loss' });
    expect(parseColumnKey('last.loss')).toEqual({ kind: 'builtin', key: 'last.loss' });
    expect(parseColumnKey('tags')).toEqual({ kind: 'tags' });
    expect(parseColumnKey('hp.')).toEqual({ kind: 'builtin', key: 'hp.' });
    expect(parseColumnKey('duration')).toEqual({ kind: 'builtin', key: 'duration' });
    expect(columnLabel('hp.lr')).toBe('lr');
    expect(columnLabel('best.val_accuracy')).toBe('best val_accuracy');
    expect(columnLabel('final.loss')).toBe('last loss');
    expect(columnValue(runs[0]!, 'final.loss', goal)).toBe(0.3);
  });
});

describe('column lists', () => {
  it('toggles a key at the end or out', () => {
    expect(toggleColumn(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(toggleColumn(['a', 'b', 'c'], 'b')).toEqual(['a', 'c']);
  });

  it('round-trips through a URL value, commas in keys included', () => {
    const keys = ['status', 'hp.a,b', 'best.val acc'];
    const text = serializeColumns(keys);
    expect(text).toBe('status,hp.a%2Cb,best.val%20acc');
    expect(parseColumns(text)).toEqual(keys);
  });

  it('skips empty, duplicate and malformed parts and keeps at most 200', () => {
    expect(parseColumns('a,,a,%E0%A4%A,b')).toEqual(['a', 'b']);
    expect(parseColumns(null)).toEqual([]);
    const many = Array.from({ length: 250 }, (_, i) => `k${i}`).join(',');
    expect(parseColumns(many)).toHaveLength(200);
  });
});
