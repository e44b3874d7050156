// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBadge } from './StatusBadge';

afterEach(cleanup);

describe('StatusBadge', () => {
  it.each([
    ['QUEUED', 'Queued'],
    ['RUNNING', 'Running'],
    ['COMPLETED', 'Completed'],
    ['FAILED', 'Failed'],
    ['CANCELLED', 'Cancelled'],
  ] as const)('shows %s as "%s" with its class', (status, label) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByText(label);
    expect(badge.className).toBe(`badge badge-${status}`);
    expect(badge.dataset.status).toBe(status);
  });

  it('reads "Cancelling…" while a cancel is asked and the run still runs', () => {
    const { rerender } = render(<StatusBadge status="RUNNING" cancelling />);
    const badge = screen.getByText('Cancelling…');
    expect(badge.dataset.cancelling).toBe('true');
    expect(badge.dataset.status).toBe('RUNNING');
    // Once it ended, its final status shows, whatever the flag says.
    rerender(<StatusBadge status="CANCELLED" cancelling />);
    expect(screen.getByText('Cancelled').dataset.cancelling).toBeUndefined();
  });
});
