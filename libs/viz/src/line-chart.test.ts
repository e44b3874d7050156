// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawLineChart, type LineChartOptions } from './line-chart';
import { seriesColor } from './palette';

// innerW 400 × innerH 220 with the default margins (left 52, right 16, top 30, bottom 38).
const SIZE = { width: 468, height: 288 };
const line = (name: string, values: number[], extra: object = {}) => ({
  name,
  points: values.map((value, step) => ({ step, value })),
  ...extra,
});

function draw(options: Partial<LineChartOptions>) {
  const container = document.createElement('div');
  document.body.append(container);
  const handle = drawLineChart(container, { ...SIZE, series: [], ...options });
  const all = (selector: string) => [...container.querySelectorAll(selector)];
  const texts = (selector: string) => all(selector).map((e) => e.textContent);
  return { container, handle, all, texts };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawLineChart', () => {
  it('draws one path per series at the scaled points', () => {
    const { container, all } = draw({
      series: [line('loss', [0, 1, 2]), line('val_loss', [2, 1], { dashed: true, color: '#f00' })],
      ariaLabel: 'Loss',
    });
    const svg = container.querySelector('svg[data-chart="line"]');
    expect(svg?.getAttribute('viewBox')).toBe('0 0 468 288');
    expect(svg?.getAttribute('aria-label')).toBe('Loss');
    const paths = all('path.series-line');
    expect(paths.map((p) => p.getAttribute('data-series'))).toEqual(['loss', 'val_loss']);
    // y: [0, 2] padded 5% to [0, 2.1], niced to [0, 2.2] over 220 px; x: [0, 2] over 400 px.
    expect(paths[0]?.getAttribute('d')).toBe('M0,220L200,120L400,20');
    expect(paths[1]?.getAttribute('d')).toBe('M0,20L200,120');
    expect(paths[0]?.getAttribute('stroke')).toBe(seriesColor(0));
    expect(paths[0]?.getAttribute('stroke-dasharray')).toBeNull();
    expect(paths[1]?.getAttribute('stroke')).toBe('#f00');
    expect(paths[1]?.getAttribute('stroke-dasharray')).toBe('6 4');
    // A dot per point (epoch-level data); dashed series get hollow dots.
    expect(all('circle.series-point')).toHaveLength(5);
    expect(all('g.series-group[data-series="val_loss"] circle')[0]?.getAttribute('fill')).toBe(
      '#fff',
    );
  });

  it('labels the axes with integer steps and formatted values, and draws the legend', () => {
    const { texts, all } = draw({
      series: [line('loss', [0, 1, 2]), line('acc', [1, 1.5, 0.5])],
      xLabel: 'epoch',
      yLabel: 'loss',
      formatValue: (v) => v.toFixed(1),
    });
    expect(texts('.x-axis .tick text')).toEqual(['0', '1', '2']);
    expect(texts('.y-axis .tick text')).toEqual(['0.0', '0.5', '1.0', '1.5', '2.0']);
    expect(all('g.grid line')).toHaveLength(5);
    expect(texts('text.x-label')).toEqual(['epoch']);
    expect(texts('text.y-label')).toEqual(['loss']);
    expect(texts('g.legend-item text')).toEqual(['loss', 'acc']);
  });

  it('leaves gaps at NaN values and draws no dots for long series', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 50 ? NaN : i));
    const { all } = draw({ series: [line('loss', values)], legend: false });
    const d = all('path.series-line')[0]?.getAttribute('d') ?? '';
    // Two segments: two moveto commands.
    expect(d.match(/M/g)).toHaveLength(2);
    expect(all('circle.series-point')).toHaveLength(0);
    expect(all('g.legend')).toHaveLength(0);
  });

  it('says so when there is nothing to plot', () => {
    const { texts, all } = draw({ series: [line('loss', [NaN])], emptyText: 'Waiting' });
    expect(texts('text.chart-empty')).toEqual(['Waiting']);
    expect(all('path.series-line')).toHaveLength(0);
  });

  it('draws markers inside the plot with their labels, and point labels as stacked lines', () => {
    const { all } = draw({
      series: [line('acc', [0.5, 0.7, 0.9])],
      markers: [{ step: 1.5, before: 'head', after: 'fine-tune' }, { step: 7 }],
      pointLabel: (p) => (p.step === 2 ? ['90%', 'best'] : null),
    });
    const markers = all('line.marker-line');
    expect(markers.map((m) => m.getAttribute('data-step'))).toEqual(['1.5']);
    expect(markers[0]?.getAttribute('x1')).toBe('300');
    expect(
      all('text.marker-label').map((t) => [t.getAttribute('data-side'), t.textContent]),
    ).toEqual([
      ['before', 'head'],
      ['after', 'fine-tune'],
    ]);
    const labels = all('text.point-label');
    expect(labels.map((l) => l.getAttribute('data-label'))).toEqual(['90% best']);
    expect([...(labels[0]?.querySelectorAll('tspan') ?? [])].map((t) => t.textContent)).toEqual([
      '90%',
      'best',
    ]);
    // At the right edge the label grows inwards.
    expect(labels[0]?.getAttribute('text-anchor')).toBe('end');
  });

  it('shows the values at the nearest step on hover, and keeps them through an update', () => {
    const { container, handle } = draw({
      series: [line('loss', [3, 2, 1]), line('val_loss', [3.5, 2.5])],
      xLabel: 'epoch',
    });
    const tooltip = container.querySelector<HTMLElement>('[data-chart-tooltip]');
    const target = () => container.querySelector('rect.hover-target');
    expect(tooltip?.style.display).toBe('none');
    // jsdom has no layout: the pointer's x in the plot is its clientX (190 px -> step 0.95 -> 1).
    target()?.dispatchEvent(new MouseEvent('pointermove', { clientX: 190 }));
    expect(tooltip?.style.display).toBe('block');
    expect(tooltip?.querySelector('.chart-tooltip-title')?.textContent).toBe('epoch 1');
    const values = () =>
      [...(tooltip?.querySelectorAll('.chart-tooltip-value') ?? [])].map((e) => e.textContent);
    expect(values()).toEqual(['2', '2.5']);
    expect(container.querySelector('line.hover-line')?.getAttribute('x1')).toBe('200');

    // A live update redraws the tooltip at the same step with the new values.
    handle.update({
      ...SIZE,
      series: [line('loss', [3, 1.75, 1, 0.5]), line('val_loss', [3.5, 2.25])],
      xLabel: 'epoch',
    });
    expect(values()).toEqual(['1.75', '2.25']);
    target()?.dispatchEvent(new MouseEvent('pointerleave'));
    expect(tooltip?.style.display).toBe('none');
    handle.destroy();
    expect(container.innerHTML).toBe('');
  });

  it('formats tooltip values with formatValue and escapes series names', () => {
    const fmt = vi.fn((v: number) => `${v * 100}%`);
    const { container } = draw({ series: [line('<b>acc</b>', [0.5, 0.75])], formatValue: fmt });
    container
      .querySelector('rect.hover-target')
      ?.dispatchEvent(new MouseEvent('pointermove', { clientX: 400 }));
    const tooltip = container.querySelector('[data-chart-tooltip]');
    expect(tooltip?.querySelector('.chart-tooltip-name')?.textContent).toBe('<b>acc</b>');
    expect(tooltip?.querySelector('b')).toBeNull();
    expect(tooltip?.querySelector('.chart-tooltip-value')?.textContent).toBe('75%');
  });
});
