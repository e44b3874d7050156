// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { drawReliabilityDiagram } from './reliability-chart';

const BINS = [
  { binLower: 0, binUpper: 0.5, confidence: 0.3, accuracy: 0.25, count: 10 },
  { binLower: 0.5, binUpper: 0.75, confidence: null, accuracy: null, count: 0 },
  { binLower: 0.75, binUpper: 1, confidence: 0.9, accuracy: 0.8, count: 30 },
];

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawReliabilityDiagram', () => {
  // 300 px high: 232 px inside the margins, of which 51 for the histogram and 14 between.
  const MAIN_H = 167;

  function draw() {
    const container = document.createElement('div');
    document.body.append(container);
    drawReliabilityDiagram(container, { bins: BINS, ece: 0.123456, width: 468, height: 300 });
    return container;
  }

  it('draws an accuracy bar per non-empty bin with its confidence tick and the count histogram', () => {
    const container = draw();
    expect(container.querySelector('text.chart-title')?.textContent).toBe(
      'Reliability · ECE 0.1235',
    );
    const bars = [...container.querySelectorAll('rect.reliability-bar')];
    expect(bars.map((b) => b.getAttribute('data-bin'))).toEqual(['0', '2']);
    // Bar heights are the accuracy on the main panel's [0, 1] scale; x follows the bin edges
    // over 400 px (inset by 1 px on each side).
    const num = (el: Element | undefined, a: string) => Number(el?.getAttribute(a));
    expect(num(bars[0], 'height')).toBeCloseTo(0.25 * MAIN_H, 6);
    expect(num(bars[1], 'height')).toBeCloseTo(0.8 * MAIN_H, 6);
    expect([num(bars[0], 'x'), num(bars[0], 'width')]).toEqual([1, 198]);
    expect([num(bars[1], 'x'), num(bars[1], 'width')]).toEqual([301, 98]);
    const ticks = [...container.querySelectorAll('line.confidence-mark')];
    expect(num(ticks[1], 'y1')).toBeCloseTo((1 - 0.9) * MAIN_H, 6);
    // The over-confidence gap of bin 2 spans accuracy..confidence.
    const gaps = [...container.querySelectorAll('rect.gap-bar')];
    expect(num(gaps[1], 'height')).toBeCloseTo(0.1 * MAIN_H, 6);
    const counts = [...container.querySelectorAll('rect.count-bar')];
    expect(counts.map((c) => c.getAttribute('data-count'))).toEqual(['10', '0', '30']);
    expect(num(counts[2], 'height')).toBeCloseTo(51, 6);
    expect(num(counts[0], 'height')).toBeCloseTo(17, 6);
    expect(container.querySelectorAll('line.perfect')).toHaveLength(1);
  });

  it("tells a bin's numbers on hover, empty bins included", () => {
    const container = draw();
    const targets = [...container.querySelectorAll('g.hover-targets rect')];
    expect(targets).toHaveLength(3);
    const tooltip = container.querySelector('[data-chart-tooltip]');
    targets[2]?.dispatchEvent(new MouseEvent('pointermove'));
    expect(tooltip?.textContent).toBe(
      'confidence 0.75–1.00: accuracy 80.0%, mean confidence 90.0%, 30 samples',
    );
    targets[1]?.dispatchEvent(new MouseEvent('pointermove'));
    expect(tooltip?.textContent).toBe('confidence 0.50–0.75: no samples');
  });

  it('puts the legend under the title on narrow screens, moving the panels down for it', () => {
    const container = document.createElement('div');
    document.body.append(container);
    drawReliabilityDiagram(container, { bins: BINS, ece: 0.1, width: 340, height: 300 });
    const legend = container.querySelector('g.legend');
    expect(legend?.getAttribute('data-placement')).toBe('below-title');
    // x = min(52, 340 − 260) = 52; one 20 px line under the title.
    expect(legend?.getAttribute('transform')).toBe('translate(52,32)');
    expect(container.querySelector('g.plot')?.getAttribute('transform')).toBe('translate(52,50)');
  });
});
