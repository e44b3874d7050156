// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createChart, fitFontSize } from './chart-shell';

afterEach(() => {
  document.body.replaceChildren();
});

describe('fitFontSize', () => {
  it('keeps the largest size when the longest text fits', () => {
    // "0.960": 5 chars × 12 px × 0.6 = 36 px ≤ 60 − 4.
    expect(fitFontSize(['0.960', '1.000'], 60)).toBe(12);
  });

  it('shrinks in half pixels so the longest text fits the cell', () => {
    // (33 − 4) / (5 × 0.6) = 9.67 → 9.5 px.
    expect(fitFontSize(['0.960', '—'], 33)).toBe(9.5);
    // (36 − 4) / 3 = 10.67 → 10.5 px.
    expect(fitFontSize(['0.960'], 36)).toBe(10.5);
  });

  it('never goes under `min` nor over `max`', () => {
    expect(fitFontSize(['0.960'], 10)).toBe(9);
    expect(fitFontSize(['0.960'], 10, { min: 7 })).toBe(7);
    expect(fitFontSize(['1'], 500, { max: 14 })).toBe(14);
    expect(fitFontSize([], 20)).toBe(12);
  });
});

describe('createChart', () => {
  it('keeps focus on the element with the same data-focus-key across a redraw', () => {
    const container = document.createElement('div');
    document.body.append(container);
    const handle = createChart(container, 'test', { n: 2 }, (svg, _tooltip, o) => {
      for (let i = 0; i < o.n; i++)
        svg.append('g').attr('tabindex', 0).attr('data-focus-key', `k${i}`);
    });
    const second = () => container.querySelector<SVGGElement>('[data-focus-key="k1"]');
    const before = second();
    before?.focus();
    expect(document.activeElement).toBe(before);
    handle.update({ n: 3 });
    expect(second(), 'a new element').not.toBe(before);
    expect(document.activeElement, 'focus moved to the new k1').toBe(second());
    // Without focus inside the chart, a redraw takes none.
    before?.blur();
    (document.activeElement as HTMLElement | null)?.blur();
    handle.update({ n: 1 });
    expect(document.activeElement).toBe(document.body);
  });
});
