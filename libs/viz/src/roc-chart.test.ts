// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { seriesColor } from './palette';
import { drawRocCurves } from './roc-chart';

const CURVES = [
  { label: 'cat', auc: 0.9, fpr: [0, 0.5, 1], tpr: [0, 1, 1] },
  { label: 'dog', auc: 0.95, fpr: [0, 0, 1], tpr: [0, 1, 1] },
  // A class without positives: no finite point, no AUC.
  { label: 'bird', auc: null, fpr: [NaN], tpr: [NaN] },
];

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawRocCurves', () => {
  function draw() {
    const container = document.createElement('div');
    document.body.append(container);
    drawRocCurves(container, { curves: CURVES, width: 500, height: 300 });
    return container;
  }

  it('draws each curve on the unit square with the chance diagonal', () => {
    const container = draw();
    expect(container.querySelector('svg')?.getAttribute('data-chart')).toBe('roc');
    // The plot is square: 300 - 12 (top) - 40 (bottom) = 248 px.
    const chance = container.querySelector('line.chance');
    expect(['x1', 'y1', 'x2', 'y2'].map((a) => chance?.getAttribute(a))).toEqual([
      '0',
      '248',
      '248',
      '0',
    ]);
    const path = (label: string) =>
      container.querySelector(`path.roc-line[data-series="${label}"]`);
    expect(path('cat')?.getAttribute('d')).toBe('M0,248L124,0L248,0');
    expect(path('dog')?.getAttribute('d')).toBe('M0,248L0,0L248,0');
    expect(path('bird')?.getAttribute('data-points')).toBe('0');
    // Colours follow the class order; the best curve is drawn last (on top).
    expect(path('cat')?.getAttribute('stroke')).toBe(seriesColor(0));
    expect(path('dog')?.getAttribute('stroke')).toBe(seriesColor(1));
    expect(
      [...container.querySelectorAll('path.roc-line')].map((p) => p.getAttribute('data-series')),
    ).toEqual(['bird', 'cat', 'dog']);
    expect([...container.querySelectorAll('.x-axis .tick text')].map((t) => t.textContent)).toEqual(
      ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'],
    );
  });

  it('lists the classes by AUC in the legend and highlights the hovered one', () => {
    const container = draw();
    const items = [...container.querySelectorAll('g.legend-item')];
    expect(items.map((i) => i.textContent)).toEqual([
      'dog (AUC 0.950)',
      'cat (AUC 0.900)',
      'bird (AUC —)',
    ]);
    items[1]?.dispatchEvent(new MouseEvent('pointerenter'));
    const opacity = (label: string) =>
      container.querySelector(`path.roc-line[data-series="${label}"]`)?.getAttribute('opacity');
    expect([opacity('cat'), opacity('dog'), opacity('bird')]).toEqual(['1', '0.15', '0.15']);
    items[1]?.dispatchEvent(new MouseEvent('pointerleave'));
    expect([opacity('cat'), opacity('dog')]).toEqual(['1', '1']);
  });

  it('puts the legend under the plot when beside it the plot would be too narrow (phones)', () => {
    const container = document.createElement('div');
    document.body.append(container);
    drawRocCurves(container, { curves: CURVES, width: 300, height: 420 });
    const svg = container.querySelector('svg');
    expect(svg?.getAttribute('data-legend')).toBe('below');
    // The plot takes the width: 300 − 48 − 12 = 240 px; the legend starts under its axis title.
    const chance = container.querySelector('line.chance');
    expect(chance?.getAttribute('x2')).toBe('240');
    const legend = container.querySelector('g.legend');
    expect(legend?.getAttribute('transform')).toBe('translate(48,304)');
    // Taller than asked, by the legend: title and three entries of 18 px.
    expect(svg?.getAttribute('height')).toBe(String(12 + 240 + 40 + 12 + 4 * 18));
    expect(
      [...container.querySelectorAll('g.legend-item')].map((g) => g.getAttribute('transform')),
    ).toEqual(['translate(0,16)', 'translate(0,34)', 'translate(0,52)']);
  });

  it('zooms into a dragged false-positive-rate range and resets on double-click', () => {
    const container = draw();
    const svg = () => container.querySelector('svg');
    const target = () => container.querySelector('rect.hover-target');
    expect(svg()?.getAttribute('data-x-domain')).toBe('0,1');
    // 248 px square: pixels 0..62 are FPR 0..0.25.
    target()?.dispatchEvent(new MouseEvent('pointerdown', { clientX: 62 }));
    target()?.dispatchEvent(new MouseEvent('pointerup', { clientX: 0 }));
    expect(svg()?.getAttribute('data-x-domain')).toBe('0,0.25');
    // x is four times wider; y still 0..1 (cat starts at 0, dog reaches 1 inside the range).
    expect(container.querySelector('path.roc-line[data-series="cat"]')?.getAttribute('d')).toBe(
      'M0,248L496,0L992,0',
    );
    expect(container.querySelector('g.plot .series')?.getAttribute('clip-path')).toMatch(
      /^url\(#roc-clip-\d+\)$/,
    );
    target()?.dispatchEvent(new MouseEvent('dblclick'));
    expect(svg()?.getAttribute('data-x-domain')).toBe('0,1');
  });
});
