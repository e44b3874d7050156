import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHART_SETTINGS,
  curveAxis,
  curvePoints,
  parseChartSettings,
  runClock,
  timedPoints,
} from './chart-settings';

describe('parseChartSettings', () => {
  it('reads stored settings and falls back per field on anything invalid', () => {
    expect(parseChartSettings(null)).toEqual(DEFAULT_CHART_SETTINGS);
    expect(parseChartSettings('{not json')).toEqual(DEFAULT_CHART_SETTINGS);
    expect(
      parseChartSettings(
        JSON.stringify({ smoothing: 0.6, yScale: 'log', xAxis: 'relative', ignoreOutliers: true }),
      ),
    ).toEqual({ smoothing: 0.6, yScale: 'log', xAxis: 'relative', ignoreOutliers: true });
    expect(
      parseChartSettings(
        JSON.stringify({ smoothing: 7, yScale: 'cubic', xAxis: 'batch', ignoreOutliers: 'yes' }),
      ),
    ).toEqual({ ...DEFAULT_CHART_SETTINGS, smoothing: 0.99 });
    expect(parseChartSettings(JSON.stringify({ smoothing: -1 })).smoothing).toBe(0);
  });
});

describe('curve axes of a run', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const metrics = [
    {
      name: 'loss',
      points: [
        { step: 1, value: 1, time: t(10) },
        { step: 2, value: 0.5, time: t(20) },
      ],
    },
    {
      name: 'batch_loss',
      points: [
        { step: 20, value: 2, time: t(5) },
        { step: 40, value: 1, time: t(15) },
      ],
    },
  ];

  it('titles the axis by the metric level and the mode', () => {
    expect(curveAxis('loss', 'step')).toEqual({ title: 'epoch', format: 'number', level: 'epoch' });
    expect(curveAxis('batch_loss', 'step').title).toBe('batch');
    expect(curveAxis('batch_loss', 'epoch').title).toBe('epoch');
    expect(curveAxis('loss', 'relative')).toEqual({
      title: 'relative time',
      format: 'duration',
      level: 'epoch',
    });
  });

  it('places points by time since the run began, or by epoch', () => {
    const clock = runClock(metrics);
    // The run's first point is batch_loss at 00:00:05; epochs 1 and 2 ended at :10 and :20.
    expect(clock.origin).toBe(Date.UTC(2026, 0, 1, 0, 0, 5));
    expect(clock.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(
      curvePoints(metrics[0]?.points ?? [], { metric: 'loss', mode: 'relative', clock }),
    ).toEqual([
      { step: 5, value: 1 },
      { step: 15, value: 0.5 },
    ]);
    // Batch at :05 is epoch 0 (the run's start), at :15 half-way through epoch 2.
    expect(
      curvePoints(metrics[1]?.points ?? [], { metric: 'batch_loss', mode: 'epoch', clock }).map(
        (p) => p.step,
      ),
    ).toEqual([0, 1.5]);
    expect(timedPoints([{ step: 1, value: 1, time: 'not a time' }])[0]?.time).toBeNull();
  });
});
