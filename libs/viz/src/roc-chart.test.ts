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
});
