/** Props of {@link LoadMore}. */
export interface LoadMoreProps {
  /** A page is being fetched. */
  loading: boolean;
  /** The server has more rows after the ones shown. */
  hasMore: boolean;
  /** Rows not shown yet, written on the button when known. */
  left?: number | null;
  onLoadMore(): void;
  /** data-testid of the button. */
  testId: string;
  /** The button's words (default "Show more"). */
  label?: string;
}

/** The footer of a paged list: "Loading…" while fetching, else "Show more" when there is more. */
export function LoadMore({
  loading,
  hasMore,
  left,
  onLoadMore,
  testId,
  label = 'Show more',
}: LoadMoreProps) {
  return (
    <div className="sample-more">
      {loading ? (
        <span className="muted" role="status">
          Loading…
        </span>
      ) : null}
      {hasMore && !loading ? (
        <button type="button" className="btn" data-testid={testId} onClick={onLoadMore}>
          {left == null ? label : `${label} (${left} left)`}
        </button>
      ) : null}
    </div>
  );
}
