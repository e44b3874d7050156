// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCrosshairBus } from './crosshair';
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
    // At the right edge (x 400) the 26.4 px wide label is pushed inside the plot: centre 386.8.
    expect(labels[0]?.getAttribute('x')).toBe('386.8');
    expect(labels[0]?.getAttribute('visibility')).toBeNull();
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

  it('draws the smoothed line over the faint logged one, and both values in the tooltip', () => {
    const { all, container } = draw({
      series: [line('loss', [1, 2, 3])],
      smoothing: 0.5,
      formatValue: (v) => v.toFixed(3),
    });
    const raw = all('path.series-line')[0];
    const smooth = all('path.series-smoothed')[0];
    expect(raw?.getAttribute('stroke-opacity')).toBe('0.3');
    expect(smooth?.getAttribute('data-points')).toBe('3');
    container
      .querySelector('rect.hover-target')
      ?.dispatchEvent(new MouseEvent('pointermove', { clientX: 200 }));
    // Step 1: smoothed 5/3, logged 2.
    expect(container.querySelector('.chart-tooltip-value')?.textContent).toBe('1.667 (2.000)');
    // Off: no smoothed path, the logged line at full strength.
    const plain = draw({ series: [line('loss', [1, 2, 3])], smoothing: 0 });
    expect(plain.all('path.series-smoothed')).toHaveLength(0);
    expect(plain.all('path.series-line')[0]?.getAttribute('stroke-opacity')).toBeNull();
  });

  it('draws a log scale with decade ticks and says how many values it cannot show', () => {
    const { texts } = draw({
      series: [line('loss', [0.01, 0.1, 1, 10, -1])],
      yScale: 'log',
      yLabel: 'loss',
      formatValue: String,
    });
    expect(texts('.y-axis .tick text')).toEqual(['0.01', '0.1', '1', '10']);
    expect(texts('text.chart-note')).toEqual(['1 value ≤ 0 not drawn (log scale)']);
    expect(texts('text.y-label')).toEqual(['loss (log)']);
  });

  it('zooms into a dragged x range and resets on double-click', () => {
    const values = Array.from({ length: 11 }, (_, i) => i);
    const { container } = draw({ series: [line('loss', values)] });
    const svg = () => container.querySelector('svg');
    const target = () => container.querySelector('rect.hover-target');
    expect(svg()?.getAttribute('data-x-domain')).toBe('0,10');
    // innerW 400 over steps 0..10: pixels 100..300 are steps 2.5..7.5.
    target()?.dispatchEvent(new MouseEvent('pointerdown', { clientX: 100 }));
    target()?.dispatchEvent(new MouseEvent('pointermove', { clientX: 300 }));
    expect(container.querySelector('rect.brush-selection')?.getAttribute('width')).toBe('200');
    target()?.dispatchEvent(new MouseEvent('pointerup', { clientX: 300 }));
    expect(svg()?.getAttribute('data-x-domain')).toBe('2.5,7.5');
    expect(svg()?.getAttribute('data-zoomed')).toBe('true');
    // The y axis fits the values in view (2.5..7.5: 3..7), not 0..10.
    const yTicks = [...container.querySelectorAll('.y-axis .tick text')].map((t) => t.textContent);
    expect(yTicks[0]).not.toBe('0');
    target()?.dispatchEvent(new MouseEvent('dblclick'));
    expect(svg()?.getAttribute('data-x-domain')).toBe('0,10');
    expect(svg()?.getAttribute('data-zoomed')).toBeNull();
  });

  it('reports the zoom to onZoom and draws the xDomain it is given', () => {
    const onZoom = vi.fn();
    const series = [
      line(
        'loss',
        Array.from({ length: 11 }, (_, i) => i),
      ),
    ];
    const { container, handle } = draw({ series, onZoom, xDomain: null });
    const target = () => container.querySelector('rect.hover-target');
    target()?.dispatchEvent(new MouseEvent('pointerdown', { clientX: 300 }));
    target()?.dispatchEvent(new MouseEvent('pointerup', { clientX: 100 }));
    expect(onZoom).toHaveBeenCalledWith([2.5, 7.5]);
    // Controlled: nothing changes until the owner passes the range back.
    expect(container.querySelector('svg')?.getAttribute('data-x-domain')).toBe('0,10');
    handle.update({ ...SIZE, series, onZoom, xDomain: [4, 6] });
    expect(container.querySelector('svg')?.getAttribute('data-x-domain')).toBe('4,6');
  });

  it('shows the crosshair of a hovered chart on the other charts of its group', () => {
    const bus = createCrosshairBus();
    const a = draw({ series: [line('loss', [3, 2, 1])], crosshair: { bus, group: 'epoch' } });
    const b = draw({ series: [line('acc', [0.5, 0.6, 0.7])], crosshair: { bus, group: 'epoch' } });
    const c = draw({ series: [line('batch_loss', [3, 2, 1])], crosshair: { bus, group: 'batch' } });
    const hover = (chart: typeof a) => chart.container.querySelector<SVGGElement>('g.hover');
    a.container
      .querySelector('rect.hover-target')
      ?.dispatchEvent(new MouseEvent('pointermove', { clientX: 210 }));
    expect(hover(b)?.style.display).toBe('');
    expect(hover(b)?.getAttribute('data-x')).toBe('1');
    expect(b.container.querySelector('.chart-tooltip-value')?.textContent).toBe('0.6');
    expect(hover(c)?.style.display).toBe('none');
    a.container.querySelector('rect.hover-target')?.dispatchEvent(new MouseEvent('pointerleave'));
    expect(hover(b)?.style.display).toBe('none');
    // A destroyed chart no longer listens.
    b.handle.destroy();
    a.container
      .querySelector('rect.hover-target')
      ?.dispatchEvent(new MouseEvent('pointermove', { clientX: 210 }));
    expect(b.container.innerHTML).toBe('');
  });

  it('wraps the legend into rows above the plot on a narrow chart', () => {
    const { container, all } = draw({
      width: 200,
      series: [line('aaaaaaaaaa', [1, 2]), line('bbbbbbbbbb', [2, 1]), line('cccccccccc', [1, 1])],
    });
    // Each item is about 24 + 10 × 7 = 94 px in a 132 px band: one per row, 3 rows, 32 px more.
    const rows = all('g.legend-item').map((g) => g.getAttribute('transform'));
    expect(rows).toEqual(['translate(0,0)', 'translate(0,16)', 'translate(0,32)']);
    expect(container.querySelector('svg')?.getAttribute('viewBox')).toBe('0 0 200 320');
    expect(container.querySelector('g.plot')?.getAttribute('transform')).toBe('translate(52,62)');
  });

  it('labels relative time ticks as durations', () => {
    const { texts, container } = draw({
      series: [{ name: 'loss', points: [0, 100, 200, 300].map((step) => ({ step, value: 1 })) }],
      xFormat: 'duration',
      xLabel: 'relative time',
    });
    expect(texts('.x-axis .tick text')).toEqual(['0s', '1m', '2m', '3m', '4m', '5m']);
    container
      .querySelector('rect.hover-target')
      ?.dispatchEvent(new MouseEvent('pointermove', { clientX: 130 }));
    expect(container.querySelector('.chart-tooltip-title')?.textContent).toBe(
      'relative time 1m 40s',
    );
  });
});
