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

  it('renders nothing without metrics', () => {
    const { container } = render(<MetricsSummaryTable summary={[]} />);
    expect(container.innerHTML).toBe('');
  });
});
