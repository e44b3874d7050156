/** A page of a connection as the paged runs table reads it. */
export interface ConnectionPage<T extends { id: string }> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: T[];
}

/** `rows` with each id once, in order: the first row of an id wins. */
export function uniqueById<T extends { id: string }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.id)) return false;
    seen.add(row.id);
    return true;
  });
}

/**
 * `loaded` followed by `next`, the page after loaded's endCursor, with next's pageInfo and
 * totalCount. A run whose sort key changed between the two requests (a live run's best accuracy)
 * can come in both: it is shown once, where it was first listed.
 */
export function appendPage<P extends ConnectionPage<{ id: string }>>(loaded: P, next: P): P {
  return {
    ...next,
    nodes: uniqueById([...loaded.nodes, ...next.nodes]),
  };
}

/**
 * The first `count` rows of a connection (fewer when it has fewer), read in pages of at most
 * `maxPage` (the API's limit) chained by endCursor; each id once.
 */
export async function fetchRange<P extends ConnectionPage<{ id: string }>>(
  fetchPage: (first: number, after: string | null) => Promise<P>,
  count: number,
  maxPage: number,
): Promise<P> {
  let page = await fetchPage(Math.min(count, maxPage), null);
  let range: P = { ...page, nodes: uniqueById(page.nodes) };
  // An empty page ends it too (never loops on a server that says it has more but sends nothing).
  while (
    range.nodes.length < count &&
    page.nodes.length > 0 &&
    page.pageInfo.hasNextPage &&
    page.pageInfo.endCursor
  ) {
    page = await fetchPage(Math.min(count - range.nodes.length, maxPage), page.pageInfo.endCursor);
    range = appendPage(range, page);
  }
  return range;
}

/** What the idle runs table polls: the number of matching runs and the newest one's id. */
export interface RunsSignature {
  totalCount: number;
  newestId: string | null;
}

/**
 * Whether `next` shows no run was created or removed since `previous` (null: the first check,
 * judged against the `shown` rows: same total, and the newest run is among them or could be on a
 * page not loaded yet).
 */
export function unchangedSignature(
  previous: RunsSignature | null,
  next: RunsSignature,
  shown: ConnectionPage<{ id: string }>,
): boolean {
  if (next.totalCount !== shown.totalCount) return false;
  if (previous)
    return previous.newestId === next.newestId && previous.totalCount === next.totalCount;
  return (
    next.newestId === null ||
    shown.pageInfo.hasNextPage ||
    shown.nodes.some((n) => n.id === next.newestId)
  );
}
