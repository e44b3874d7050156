// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MetricSeries, RunDetail } from '../../lib/queries';
import { TrainingCurves } from '../TrainingCurves';
import { LayerDistributions } from './LayerDistributions';

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
  vi.unstubAllGlobals();
});

const P = [0, 7, 16, 31, 50, 69, 84, 93, 100];
const tensor = (weight: string, role: 'value' | 'gradient', step: number, counts: number[]) => ({
  weight,
  role,
  shape: [counts.reduce((a, b) => a + b, 0)],
  count: counts.reduce((a, b) => a + b, 0),
  min: -step,
  max: step,
  mean: 0,
  l2: 1,
  counts,
  edges: counts.map((_, i) => -step + (2 * step * i) / counts.length).concat(step),
  band: P.map((p) => ((p - 50) / 50) * step),
});
const file = (step: number) => ({
  format: 'convscope.layer-stats/1',
  step,
  phase: 'head',
  bins: 3,
  percentiles: P,
  probe: { size: 64, seed: 42 },
  loss: 1,
  seconds: 0.05,
  layers: [
    {
      name: 'conv1',
      className: 'Conv2D',
      weightNorm: 1,
      gradNorm: 0.1,
      tensors: [
        tensor('kernel', 'value', step, [1, 2, 3]),
        tensor('kernel', 'gradient', step, [4, 0, step]),
      ],
    },
    {
      name: 'fc1',
      className: 'Dense',
      weightNorm: 1,
      tensors: [tensor('bias', 'value', step, [5, 5, 5])],
    },
  ],
  dead: [{ name: 'conv1', units: 4, dead: 3, fraction: 0.75 }],
  skipped: [],
});
const series = (name: string, values: number[]): MetricSeries => ({
  name,
  totalPoints: values.length,
  downsampled: false,
  points: values.map((value, i) => ({
    step: i + 1,
    value,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  })),
});
const METRICS = [
  series('loss', [1, 0.5, 0.4]),
  series('grad_norm/conv1', [1, 0.1, 0.0005]),
  series('dead_relu/conv1', [0.25, 0.5, 0.75]),
];

function runWith(names: string[]): RunDetail {
  return {
    id: 'run-1',
    status: 'COMPLETED',
    metrics: METRICS,
    artifacts: { nodes: names.map((name, i) => ({ id: String(i), name })) },
  } as unknown as RunDetail;
}

describe('LayerDistributions', () => {
  it('loads every epoch file, switches layer and tensor, steps the histogram and warns', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      fetched.push(url);
      const step = Number(/e(\d+)\.json$/.exec(url)![1]);
      return Promise.resolve(new Response(JSON.stringify(file(step))));
    });
    render(
      <LayerDistributions
        run={runWith([
          'model.json',
          'histograms.e0003.json',
          'histograms.e0001.json',
          'histograms.e0002.json',
        ])}
      />,
    );
    await waitFor(() => expect(screen.getByTestId('layer-distributions').dataset.epochs).toBe('3'));
    expect(fetched.sort()).toEqual(
      [1, 2, 3].map((s) => `/runs/run-1/artifacts/histograms.e000${s}.json`),
    );
    const chart = await waitFor(() => {
      const svg = screen.getByTestId('distribution-chart').querySelector('svg');
      expect(svg).not.toBeNull();
      return svg!;
    });
    expect(chart.getAttribute('data-epochs')).toBe('3');
    expect(screen.getByLabelText('Layer')).toHaveProperty('value', 'conv1');
    // The latest epoch by default: the kernel histogram of epoch 3.
    expect(screen.getByTestId('epoch-histogram').dataset.step).toBe('3');
    fireEvent.change(screen.getByLabelText('Tensor'), { target: { value: 'kernel.grad' } });
    const counts = () =>
      [...screen.getByTestId('histogram-chart').querySelectorAll('rect.hist-bar')].map((r) =>
        r.getAttribute('data-count'),
      );
    expect(counts()).toEqual(['4', '0', '3']);
    fireEvent.change(screen.getByLabelText('Epoch'), { target: { value: '0' } });
    expect(screen.getByTestId('epoch-histogram').dataset.step).toBe('1');
    expect(counts()).toEqual(['4', '0', '1']);
    fireEvent.change(screen.getByLabelText('Layer'), { target: { value: 'fc1' } });
    expect(screen.getByLabelText('Tensor')).toHaveProperty('value', 'bias');
    const warnings = [...screen.getByTestId('layer-warnings').querySelectorAll('li')].map(
      (li) => li.dataset.kind,
    );
    expect(warnings).toEqual(['vanishing', 'dead']);
    expect(screen.getByTestId('grad-norm-chart').dataset.layers).toBe('1');
    expect(screen.getByTestId('dead-relu-chart').dataset.layers).toBe('1');
  });

  it('renders nothing for a run without layer statistics', () => {
    const { container } = render(
      <LayerDistributions run={{ ...runWith(['model.json']), metrics: [series('loss', [1])] }} />,
    );
    expect(container.innerHTML).toBe('');
  });

  it('leaves the per-layer metrics out of the training curves', () => {
    render(<TrainingCurves metrics={METRICS} />);
    expect(screen.getByTestId('curve-loss')).toBeTruthy();
    expect(screen.queryByTestId('curve-grad_norm/conv1')).toBeNull();
    expect(screen.queryByTestId('curve-dead_relu/conv1')).toBeNull();
  });
});
