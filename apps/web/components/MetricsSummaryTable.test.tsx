// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsSummaryTable } from './MetricsSummaryTable';

afterEach(cleanup);

const metric = (name: string, last: number, min: number, max: number) => ({
  name,
  last,
  lastStep: 9,
  min,
  max,
  count: 10,
});

describe('MetricsSummaryTable', () => {
  it('lists the metrics by name with the best value by the metric goal', () => {
    render(
      <MetricsSummaryTable
        summary={[metric('val_loss', 0.41, 0.3812, 1.2), metric('val_accuracy', 0.88, 0.5, 0.9123)]}
      />,
    );
    expect(screen.getByTestId('metrics-summary').querySelector('.meta')?.textContent).toBe('2');
    const cells = screen
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells).toEqual([
      // Accuracy: higher is better; loss: lower is better.
      ['val_accuracy', '0.88', '0.9123', '0.5', '0.9123', '9', '10'],
      ['val_loss', '0.41', '0.3812', '0.3812', '1.2', '9', '10'],
    ]);
  });

  it('puts per-layer and system metrics in a collapsed table after the training metrics', () => {
    render(
      <MetricsSummaryTable
        summary={[
          metric('grad_norm/conv1', 0.2, 0.1, 0.9),
          metric('val_accuracy', 0.88, 0.5, 0.9123),
          metric('system/cpu_percent', 50, 10, 90),
          metric('dead_relu/fc1', 0.25, 0, 0.25),
        ]}
      />,
    );
    const section = screen.getByTestId('metrics-summary');
    expect(section.querySelector('.meta')?.textContent).toBe('4');
    const tables = section.querySelectorAll('table');
    expect(tables).toHaveLength(2);
    const names = (t: Element) =>
      [...t.querySelectorAll('tbody td.mono')].map((td) => td.textContent);
    expect(names(tables[0]!)).toEqual(['val_accuracy']);
    expect(names(tables[1]!)).toEqual(['dead_relu/fc1', 'grad_norm/conv1', 'system/cpu_percent']);
    const more = screen.getByTestId('metrics-summary-more');
    expect(more.tagName).toBe('DETAILS');
    expect(more.hasAttribute('open')).toBe(false);
    expect(more.querySelector('summary')?.textContent).toBe('Layer and system metrics (3)');
  });

  it('renders nothing without metrics', () => {
    const { container } = render(<MetricsSummaryTable summary={[]} />);
    expect(container.innerHTML).toBe('');
  });
});
