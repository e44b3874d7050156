// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyValueTable } from './KeyValueTable';

afterEach(cleanup);

describe('KeyValueTable', () => {
  it('lists a JSON object as dotted keys and their values, with the count', () => {
    render(
      <KeyValueTable
        title="Hyperparameters"
        value={{ lr: 0.001, optimizer: { name: 'adam', beta1: 0.9 }, tags: ['a', 'b'] }}
        emptyText="None logged"
        testId="hp"
      />,
    );
    const card = screen.getByTestId('hp');
    expect(within(card).getByRole('heading').textContent).toBe('Hyperparameters');
    const rows = within(card)
      .getAllByRole('row')
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    // Keys in sorted order.
    expect(rows.map(([key]) => key)).toEqual(['lr', 'optimizer.beta1', 'optimizer.name', 'tags']);
    expect(rows[0]).toEqual(['lr', '0.001']);
    expect(card.querySelector('.meta')?.textContent).toBe('4');
    expect(screen.queryByTestId('empty-state')).toBeNull();
  });

  it.each([null, {}])('shows the empty text for %j', (value) => {
    render(<KeyValueTable title="Dataset" value={value} emptyText="No dataset info" />);
    expect(screen.getByTestId('empty-state').textContent).toBe('No dataset info');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
