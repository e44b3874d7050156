import { describe, expect, it } from 'vitest';
import {
  distributionBands,
  epochAt,
  histogramBars,
  isLayerMetric,
  layerChoices,
  layerCurves,
  layerStatsRefs,
  layerWarnings,
  tensorKey,
  tensorSeries,
  type LayerStatsEpochLike,
  type TensorStatsLike,
} from './distributions';

const P = [0, 7, 16, 31, 50, 69, 84, 93, 100];
const t = (weight: string, role: 'value' | 'gradient', base: number): TensorStatsLike => ({
  weight,
  role,
  count: 4,
  min: base,
  max: base + 8,
  counts: [1, 3],
  edges: [base, base + 4, base + 8],
  band: P.map((p) => base + p / 12.5), // 0..8 over the percentiles
});
const epoch = (step: number, layers: LayerStatsEpochLike['layers']): LayerStatsEpochLike => ({
  step,
  percentiles: P,
  layers,
});
// Epoch 2 arrives before epoch 1 (files load in any order); `fc` appears only from epoch 2.
const EPOCHS = [
  epoch(2, [
    {
      name: 'conv1',
      className: 'Conv2D',
      tensors: [t('kernel', 'value', 2), t('kernel', 'gradient', 20)],
    },
    { name: 'fc', className: 'Dense', tensors: [t('bias', 'value', 0)] },
  ]),
  epoch(1, [
    {
      name: 'conv1',
      className: 'Conv2D',
      tensors: [t('kernel', 'value', 1), t('bias', 'value', 0)],
    },
  ]),
];

describe('layer choices and series', () => {
  it('lists every layer and tensor in first-seen order of the sorted epochs', () => {
    expect(layerChoices(EPOCHS)).toEqual([
      {
        name: 'conv1',
        className: 'Conv2D',
        tensors: [
          { key: 'kernel', label: 'kernel' },
          { key: 'bias', label: 'bias' },
          { key: 'kernel.grad', label: 'kernel gradient' },
        ],
      },
      { name: 'fc', className: 'Dense', tensors: [{ key: 'bias', label: 'bias' }] },
    ]);
    expect(tensorKey({ weight: 'gamma', role: 'gradient' })).toBe('gamma.grad');
  });

  it('gives a tensor over the epochs that have it, sorted by step', () => {
    expect(tensorSeries(EPOCHS, 'conv1', 'kernel').map((s) => [s.step, s.stats.min])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(tensorSeries(EPOCHS, 'conv1', 'kernel.grad').map((s) => s.step)).toEqual([2]);
    expect(tensorSeries(EPOCHS, 'nope', 'kernel')).toEqual([]);
  });
});

describe('distributionBands', () => {
  it('pairs symmetric percentiles outermost first, with the median', () => {
    const b = distributionBands(tensorSeries(EPOCHS, 'conv1', 'kernel'));
    expect(b.steps).toEqual([1, 2]);
    expect(b.bands.map((x) => x.range)).toEqual([
      [0, 100],
      [7, 93],
      [16, 84],
      [31, 69],
    ]);
    // Epoch 1's kernel: base 1, band value = 1 + p / 12.5.
    expect(b.bands[2]!.points[0]).toEqual({ step: 1, lo: 1 + 16 / 12.5, hi: 1 + 84 / 12.5 });
    expect(b.median).toEqual([
      { step: 1, value: 5 },
      { step: 2, value: 6 },
    ]);
    expect(distributionBands([])).toEqual({ bands: [], median: [], steps: [] });
  });
});

describe('histogram bars and epoch choice', () => {
  it('turns counts and edges into bars, refusing a mismatch', () => {
    expect(histogramBars({ counts: [1, 3], edges: [0, 0.5, 1] })).toEqual([
      { x0: 0, x1: 0.5, count: 1 },
      { x0: 0.5, x1: 1, count: 3 },
    ]);
    expect(histogramBars({ counts: [1, 3], edges: [0, 1] })).toEqual([]);
  });

  it('picks the epoch nearest to a step, the last by default', () => {
    const s = tensorSeries(EPOCHS, 'conv1', 'kernel');
    expect(epochAt(s, null)?.step).toBe(2);
    expect(epochAt(s, 1.2)?.step).toBe(1);
    expect(epochAt([], 3)).toBeUndefined();
  });
});

describe('layer curves and warnings', () => {
  const metrics = [
    { name: 'loss', points: [{ step: 1, value: 1 }] },
    {
      name: 'grad_norm/conv1',
      points: [
        { step: 2, value: 0.5 },
        { step: 1, value: 1 },
        { step: 3, value: 0.0009 },
      ],
    },
    {
      name: 'grad_norm/fc',
      points: [
        { step: 1, value: 2 },
        { step: 2, value: 0.0021 },
      ],
    },
    {
      name: 'dead_relu/conv1',
      points: [
        { step: 1, value: 0.2 },
        { step: 2, value: 0.5 },
        { step: 3, value: 0.75 },
      ],
    },
    { name: 'system/cpu_percent', points: [] },
  ];

  it('recognises the per-layer metrics', () => {
    expect(metrics.map((m) => isLayerMetric(m.name))).toEqual([false, true, true, true, false]);
    expect(isLayerMetric('weight_norm/x')).toBe(true);
  });

  it('splits the curves by layer, sorted by step', () => {
    const c = layerCurves(metrics, 'grad_norm/');
    expect(c.map((x) => x.layer)).toEqual(['conv1', 'fc']);
    expect(c[0]!.points.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('warns of a gradient norm below 1e-3 of its first epoch and of more than half the units dead', () => {
    const w = layerWarnings({
      gradNorm: layerCurves(metrics, 'grad_norm/'),
      dead: layerCurves(metrics, 'dead_relu/'),
    });
    // conv1: 0.0009 < 1 * 1e-3 at step 3; fc: 0.0021 is not below 2 * 1e-3 = 0.002. Dead: 0.5 is not > 0.5.
    expect(w.map(({ layer, kind, step, value }) => ({ layer, kind, step, value }))).toEqual([
      { layer: 'conv1', kind: 'vanishing', step: 3, value: 0.0009 },
      { layer: 'conv1', kind: 'dead', step: 3, value: 0.75 },
    ]);
    expect(w[1]!.message).toBe(
      'conv1: 75% of its ReLU units never activate on the probe batch at epoch 3 (more than 50%)',
    );
    expect(w[0]!.message).toMatch(/gradient norm 0.0009 at epoch 3, below 0.001 of epoch 1's 1/);
  });
});

describe('layerStatsRefs', () => {
  it('keeps the layer-stats artifacts, sorted by epoch', () => {
    expect(
      layerStatsRefs([
        'model.json',
        'histograms.e0010.json',
        'histograms.e0002.json',
        'histograms.e2.json',
        'x/histograms.e0001.json',
      ]),
    ).toEqual([
      { name: 'histograms.e0002.json', step: 2 },
      { name: 'histograms.e0010.json', step: 10 },
    ]);
  });
});
