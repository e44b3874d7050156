// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bandText, drawDistributionChart, drawHistogramChart } from './distributions-chart';
import { distributionBands, type TensorAtEpoch } from './distributions';

afterEach(() => {
  document.body.replaceChildren();
});

const P = [0, 7, 16, 31, 50, 69, 84, 93, 100];
const series: TensorAtEpoch[] = [1, 2, 3].map((step) => ({
  step,
  percentiles: P,
  stats: {
    weight: 'kernel',
    role: 'value',
    count: 9,
    min: -step,
    max: step,
    counts: [],
    edges: [],
    band: P.map((p) => ((p - 50) / 50) * step),
  },
}));

function container(): HTMLElement {
  const el = document.createElement('div');
  document.body.append(el);
  return el;
}

describe('drawDistributionChart', () => {
  it('draws four bands, the median and a dot per epoch; a click selects the nearest epoch', () => {
    const onSelectStep = vi.fn();
    const el = container();
    drawDistributionChart(el, {
      bands: distributionBands(series),
      width: 400,
      height: 200,
      selectedStep: 2,
      onSelectStep,
    });
    const svg = el.querySelector('svg[data-chart="distribution"]')!;
    expect(svg.getAttribute('data-epochs')).toBe('3');
    expect([...svg.querySelectorAll('path.band')].map((p) => p.getAttribute('data-range'))).toEqual(
      ['0-100', '7-93', '16-84', '31-69'],
    );
    expect(svg.querySelectorAll('path.median')).toHaveLength(1);
    expect(
      [...svg.querySelectorAll('circle.epoch-dot')].map((c) => c.getAttribute('data-step')),
    ).toEqual(['1', '2', '3']);
    expect(svg.querySelector('line.selected-step')?.getAttribute('data-step')).toBe('2');
    // jsdom has no layout: the pointer at x 0 of the svg is left of the plot, nearest epoch 1.
    svg
      .querySelector('rect.hover-target')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onSelectStep).toHaveBeenCalledWith(1);
  });

  it('says so when there is no epoch', () => {
    const el = container();
    drawDistributionChart(el, { bands: distributionBands([]), width: 300, height: 150 });
    expect(el.querySelector('.chart-empty')?.textContent).toBe('No epochs recorded yet');
  });

  it('writes an epoch’s median and bands for the tooltip', () => {
    expect(bandText(distributionBands(series), 2)).toBe(
      'epoch 2 · median 0 · p0–p100 -2 … 2 · p7–p93 -1.72 … 1.72 · p16–p84 -1.36 … 1.36 · p31–p69 -0.76 … 0.76',
    );
  });
});

describe('drawHistogramChart', () => {
  it('draws one bar per bin with its count and range', () => {
    const el = container();
    drawHistogramChart(el, {
      bars: [
        { x0: 0, x1: 1, count: 2 },
        { x0: 1, x1: 2, count: 5 },
      ],
      width: 300,
      height: 150,
    });
    const bars = [...el.querySelectorAll('rect.hist-bar')];
    expect(el.querySelector('svg')!.getAttribute('data-bins')).toBe('2');
    expect(bars.map((b) => b.getAttribute('data-count'))).toEqual(['2', '5']);
    expect(bars.map((b) => b.querySelector('title')!.textContent)).toEqual([
      '[0, 1): 2',
      '[1, 2]: 5',
    ]);
    // The taller bar reaches the top of the plot.
    expect(Number(bars[1]!.getAttribute('height'))).toBeGreaterThan(
      Number(bars[0]!.getAttribute('height')),
    );
  });
});
