// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHART_SETTINGS_KEY } from '../lib/chart-settings';
import type { MetricSeries } from '../lib/queries';
import { TrainingCurves } from './TrainingCurves';

// A ResizeObserver that reports a 600 px wide container at once, so the charts draw in jsdom.
beforeAll(() => {
  globalThis.ResizeObserver = class {
    constructor(private readonly cb: ResizeObserverCallback) {}
    observe(el: Element): void {
      this.cb([{ contentRect: { width: 600 } } as ResizeObserverEntry], this);
      void el;
    }
    unobserve(): void {}
    disconnect(): void {}
  };
});
afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const series = (name: string, pts: [number, number, number][]): MetricSeries => ({
  name,
  totalPoints: pts.length,
  downsampled: false,
  points: pts.map(([step, value, s]) => ({ step, value, time: at(s) })),
});
// Epochs end at 10, 20, 30, 40 s; batch_loss every 20 batches from 5 s.
const METRICS = [
  series('loss', [
    [1, 1.2, 10],
    [2, 0.8, 20],
    [3, 0.6, 30],
    [4, 0.5, 40],
  ]),
  series('val_loss', [
    [1, 1.3, 10],
    [2, 0.9, 20],
    [3, 0.7, 30],
    [4, 0.65, 40],
  ]),
  series('batch_loss', [
    [20, 2, 5],
    [40, 1.5, 15],
    [60, 1, 25],
    [80, 0.7, 35],
  ]),
];

const card = (key: string) => screen.getByTestId(`curve-${key}`);
const xLabel = (key: string) => card(key).querySelector('text.x-label')?.textContent;

describe('TrainingCurves chart controls', () => {
  it('titles epoch curves "epoch" and batch curves "batch", and switches every x axis', () => {
    render(<TrainingCurves metrics={METRICS} />);
    expect(xLabel('loss')).toBe('epoch');
    expect(xLabel('batch_loss')).toBe('batch');
    fireEvent.change(screen.getByLabelText('X axis'), { target: { value: 'relative' } });
    expect(xLabel('loss')).toBe('relative time');
    expect(xLabel('batch_loss')).toBe('relative time');
    // Relative to the run's first point (batch_loss at 5 s): epoch 4 ended 35 s in.
    expect(card('loss').querySelector('svg')?.getAttribute('data-x-domain')).toBe('5,35');
    fireEvent.change(screen.getByLabelText('X axis'), { target: { value: 'epoch' } });
    expect(xLabel('batch_loss')).toBe('epoch');
    // batch 20 at 5 s is epoch 0, batch 80 at 35 s is half-way through epoch 4.
    expect(card('batch_loss').querySelector('svg')?.getAttribute('data-x-domain')).toBe('0,3.5');
  });

  it('smooths, switches to log and remembers the settings', () => {
    render(<TrainingCurves metrics={METRICS} />);
    expect(card('loss').querySelector('path.series-smoothed')).toBeNull();
    fireEvent.change(screen.getByLabelText('Smoothing'), { target: { value: '0.6' } });
    expect(card('loss').querySelectorAll('path.series-smoothed')).toHaveLength(2);
    expect(card('batch_loss').querySelectorAll('path.series-smoothed')).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Y scale'), { target: { value: 'log' } });
    expect(card('loss').querySelector('text.y-label')?.textContent).toBe('loss (log)');
    fireEvent.click(screen.getByLabelText('Ignore outliers'));
    expect(JSON.parse(window.localStorage.getItem(CHART_SETTINGS_KEY) ?? '{}')).toEqual({
      smoothing: 0.6,
      yScale: 'log',
      xAxis: 'step',
      ignoreOutliers: true,
    });
    // A new page starts from the stored settings.
    cleanup();
    render(<TrainingCurves metrics={METRICS} />);
    expect(screen.getByLabelText<HTMLSelectElement>('Y scale').value).toBe('log');
    expect(card('loss').querySelectorAll('path.series-smoothed')).toHaveLength(2);
  });

  it('zooms the charts of the same x together, resets, and syncs the crosshair', () => {
    render(<TrainingCurves metrics={METRICS} />);
    fireEvent.change(screen.getByLabelText('X axis'), { target: { value: 'relative' } });
    const target = (key: string) => card(key).querySelector('rect.hover-target') as Element;
    const reset = screen.getByRole('button', { name: 'Reset zoom' });
    expect(reset).toHaveProperty('disabled', true);
    act(() => {
      target('loss').dispatchEvent(new MouseEvent('pointerdown', { clientX: 0 }));
      target('loss').dispatchEvent(new MouseEvent('pointerup', { clientX: 200 }));
    });
    const domain = (key: string) => card(key).querySelector('svg')?.getAttribute('data-x-domain');
    expect(domain('loss')).not.toBe('5,35');
    // Same x (relative time): the batch chart zooms too.
    expect(domain('batch_loss')).toBe(domain('loss'));
    expect(reset).toHaveProperty('disabled', false);
    fireEvent.click(reset);
    expect(domain('loss')).toBe('5,35');
    // Hovering the loss chart shows the crosshair on the batch chart.
    act(() => {
      target('loss').dispatchEvent(new MouseEvent('pointermove', { clientX: 0 }));
    });
    const hover = card('batch_loss').querySelector<SVGGElement>('g.hover');
    expect(hover?.style.display).toBe('');
  });

  it('places phase markers on time axes by the run clock, and on batch charts only off steps', () => {
    const phase = series('phase', [
      [1, 0, 10],
      [2, 0, 20],
      [3, 1, 30],
      [4, 1, 40],
    ]);
    render(<TrainingCurves metrics={[...METRICS, phase]} />);
    const markerSteps = (key: string) =>
      [...card(key).querySelectorAll('line.marker-line')].map((l) => l.getAttribute('data-step'));
    // Between epochs 2 and 3; the batch chart counts batches, not epochs.
    expect(markerSteps('loss')).toEqual(['2.5']);
    expect(markerSteps('batch_loss')).toEqual([]);
    fireEvent.change(screen.getByLabelText('X axis'), { target: { value: 'relative' } });
    // Epoch 2.5 is 25 s, 20 s after the run's first point (5 s).
    expect(markerSteps('loss')).toEqual(['20']);
    expect(markerSteps('batch_loss')).toEqual(['20']);
  });
});
