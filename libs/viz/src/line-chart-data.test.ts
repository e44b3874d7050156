// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  MAX_POINTS_WITH_DOTS,
  drawsPoints,
  escapeHtml,
  logTicks,
  markersInDomain,
  percentile,
  plotSeries,
  snapStep,
  tooltipHtml,
  tooltipRows,
  valueDomain,
} from './line-chart-data';
import { seriesColor } from './palette';

const pts = (...steps: number[]) => steps.map((step) => ({ step, value: step * 10 }));

describe('plotSeries', () => {
  it('sorts by step, drops non-finite steps, keeps NaN values and fills in palette colours', () => {
    const [a, b] = plotSeries([
      { name: 'a', points: [...pts(2, 0), { step: NaN, value: 1 }, { step: 1, value: NaN }] },
      { name: 'b', points: pts(1), color: '#123456', dashed: true },
    ]);
    expect(a?.points.map((p) => p.step)).toEqual([0, 1, 2]);
    expect(a?.points[1]?.value).toBeNaN();
    expect(a?.color).toBe(seriesColor(0));
    expect(b).toMatchObject({ name: 'b', color: '#123456', dashed: true });
  });
});

describe('drawsPoints', () => {
  const many = [{ points: pts(...Array.from({ length: MAX_POINTS_WITH_DOTS + 1 }, (_, i) => i)) }];
  it('draws dots for epoch-level data only, unless told otherwise or labels need them', () => {
    expect(drawsPoints([{ points: pts(1, 2) }])).toBe(true);
    expect(drawsPoints(many)).toBe(false);
    expect(drawsPoints(many, { showPoints: true })).toBe(true);
    expect(drawsPoints([{ points: pts(1) }], { showPoints: false })).toBe(false);
    expect(drawsPoints(many, { showPoints: false, hasPointLabels: true })).toBe(true);
  });
});

describe('markersInDomain', () => {
  it('keeps the markers inside the plotted steps, edges included', () => {
    const markers = [
      { step: -1 },
      { step: 0 },
      { step: 4.5 },
      { step: 10 },
      { step: 11 },
      { step: NaN },
    ];
    expect(markersInDomain(markers, [0, 10]).map((m) => m.step)).toEqual([0, 4.5, 10]);
  });
});

describe('snapStep', () => {
  it('snaps to the logged step nearest the pointer across every series', () => {
    const series = [{ points: pts(0, 10, 20) }, { points: pts(12) }];
    expect(snapStep(series, 11.2)).toBe(12);
    expect(snapStep(series, 9)).toBe(10);
    expect(snapStep(series, 100)).toBe(20);
    // A tie keeps the first series' step.
    expect(snapStep([{ points: pts(10) }, { points: pts(12) }], 11)).toBe(10);
    expect(snapStep([{ points: [] }], 3)).toBeNull();
  });
});

describe('tooltip', () => {
  const series = plotSeries([
    { name: 'loss', points: pts(0, 1) },
    { name: 'val <loss>', points: pts(0), color: '#f00' },
  ]);

  it('lists each series at the step, with a dash where it has no point', () => {
    const rows = tooltipRows(series, 1);
    expect(rows.map((r) => [r.name, r.point?.value])).toEqual([
      ['loss', 10],
      ['val <loss>', undefined],
    ]);
    const html = tooltipHtml({ rows, step: 1, xLabel: 'epoch', formatValue: (v) => `${v}!` });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelector('.chart-tooltip-title')?.textContent).toBe('epoch 1');
    expect([...doc.querySelectorAll('.chart-tooltip-name')].map((e) => e.textContent)).toEqual([
      'loss',
      'val <loss>',
    ]);
    expect([...doc.querySelectorAll('.chart-tooltip-value')].map((e) => e.textContent)).toEqual([
      '10!',
      '—',
    ]);
    expect(html).toContain('style="background:#f00"');
    expect(tooltipHtml({ rows: [], step: 3, formatValue: String })).toBe(
      '<div class="chart-tooltip-title">step 3</div>',
    );
  });

  it('escapes the characters that would be markup', () => {
    expect(escapeHtml(`a<b>&"c'`)).toBe('a&#60;b&#62;&#38;&#34;c&#39;');
  });
});

describe('valueDomain', () => {
  it('pads min..max 5%, clamped at 0 for non-negative data, skipping non-finite values', () => {
    expect(valueDomain([1, 2, 3, NaN])?.domain).toEqual([0.9, 3.1]);
    expect(valueDomain([0, 2])?.domain).toEqual([0, 2.1]);
    expect(valueDomain([-1, 1])?.domain).toEqual([-1.1, 1.1]);
    expect(valueDomain([5])?.domain).toEqual([4.5, 5.5]);
    expect(valueDomain([NaN])).toBeNull();
  });

  it('fits the 5th..95th percentile padded 10% when ignoring outliers', () => {
    // 1..20 and a spike of 1000 (21 values): p5 at index 1 = 2, p95 at index 19 = 20.
    const values = [...Array.from({ length: 20 }, (_, i) => i + 1), 1000];
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    const d = valueDomain(values, { ignoreOutliers: true })?.domain;
    expect(d?.[0]).toBeCloseTo(0.2, 12);
    expect(d?.[1]).toBeCloseTo(21.8, 12);
  });

  it('keeps positive values only on a log scale, padded in log space', () => {
    const d = valueDomain([-1, 0, 1, 100], { scale: 'log' });
    expect(d?.nonPositive).toBe(2);
    // log10: [0, 2], padded 0.1 each side.
    expect(d?.domain[0]).toBeCloseTo(10 ** -0.1, 12);
    expect(d?.domain[1]).toBeCloseTo(10 ** 2.1, 12);
    expect(valueDomain([0, -3], { scale: 'log' })).toBeNull();
  });

  it('ticks a log axis at powers of ten, or finer within a decade', () => {
    expect(logTicks([10 ** -0.1, 10 ** 2.1], 5)).toEqual([1, 10, 100]);
    expect(logTicks([0.15, 0.9], 4)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(logTicks([0.05, 30], 3)).toEqual([0.1, 1, 10]);
    expect(logTicks([0, 10], 3)).toEqual([]);
  });
});

describe('tooltipHtml with smoothing and a time axis', () => {
  it('shows the smoothed value with the logged one after it, and the formatted x', () => {
    const html = tooltipHtml({
      rows: [{ name: 'loss', color: '#000', point: { step: 90, value: 2 }, smoothed: 1.5 }],
      step: 90,
      xLabel: 'relative time',
      formatValue: (v) => v.toFixed(1),
      formatX: (x) => `${x / 60}m`,
    });
    expect(html).toContain('relative time 1.5m');
    expect(html).toContain('1.5 <span class="chart-tooltip-raw">(2.0)</span>');
  });
});
