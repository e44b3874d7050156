// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EmptyState } from './EmptyState';

afterEach(cleanup);

describe('EmptyState', () => {
  it('shows the title, and the explanation when there is one', () => {
    const { rerender } = render(<EmptyState title="No runs yet" />);
    const box = screen.getByTestId('empty-state');
    expect(box.textContent).toBe('No runs yet');
    expect(box.children).toHaveLength(1);
    rerender(
      <EmptyState title="No runs yet">
        Start one with <code>npm run train</code>.
      </EmptyState>,
    );
    expect(box.children).toHaveLength(2);
    expect(box.textContent).toBe('No runs yetStart one with npm run train.');
  });
});
