// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadMore } from './LoadMore';

afterEach(cleanup);

describe('LoadMore', () => {
  it('offers more rows, with the count left when known', () => {
    const onLoadMore = vi.fn();
    const { rerender } = render(
      <LoadMore loading={false} hasMore left={12} onLoadMore={onLoadMore} testId="more" />,
    );
    fireEvent.click(screen.getByTestId('more'));
    expect(onLoadMore).toHaveBeenCalledOnce();
    expect(screen.getByTestId('more').textContent).toBe('Show more (12 left)');
    rerender(
      <LoadMore loading={false} hasMore left={null} onLoadMore={onLoadMore} testId="more" />,
    );
    expect(screen.getByTestId('more').textContent).toBe('Show more');
  });

  it('says it is loading instead of offering a button, and shows nothing at the end', () => {
    const { rerender, container } = render(
      <LoadMore loading hasMore onLoadMore={() => {}} testId="more" />,
    );
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(screen.queryByTestId('more')).toBeNull();
    rerender(<LoadMore loading={false} hasMore={false} onLoadMore={() => {}} testId="more" />);
    expect(container.textContent).toBe('');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
