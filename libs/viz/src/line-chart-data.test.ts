// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  MAX_POINTS_WITH_DOTS,
  drawsPoints,
  escapeHtml,
  markersInDomain,
  plotSeries,
  snapStep,
  tooltipHtml,
  tooltipRows,
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
