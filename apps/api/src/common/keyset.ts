// Keyset cursors for Relay connections (https://relay.dev/graphql/connections.htm), without
// decorators so services and repositories can import them (connection.ts holds the GraphQL
// types and re-exports these). A cursor holds the sort key of its item (its values plus a unique
// tie-breaker such as the id), never an offset: rows inserted or deleted while a client pages
// cannot shift a page, so no item is returned twice or skipped.
import { badInput } from './errors';

/**
 * Longest cursor accepted (characters). A cursor carries its item's sort values (a run name is
 * up to 200 characters, a hyperparameter sort value up to 256), so it is longer than an offset.
 */
export const MAX_CURSOR_CHARS = 4096;

/** first/after/last/before as a connection field receives them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Where a page sits in its list (shape of the GraphQL PageInfo). */
export interface PageInfoModel {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** One item of a page with its cursor. */
export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of items, the shape every connection field resolves to. */
export interface ConnectionPage<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfoModel;
}

/** One value of a keyset: a column's value of the cursor's item. */
export type KeyValue = string | number | boolean | null;

/** What a repository needs to read one page. */
export interface PageRequest {
  /** forward: the items after `cursor` in the list's order; backward: those before it. */
  direction: 'forward' | 'backward';
  /** Items wanted; fetch `size + 1` to learn whether more exist. */
  size: number;
  /** The sort key of the cursor's item, or null for the start (forward) or end (backward). */
  key: KeyValue[] | null;
}

/** Page sizes of one connection field. */
export interface PageLimits {
  /** Cursor kind, e.g. 'run:createdAt': a cursor of another kind (ordering) is refused. */
  kind: string;
  defaultSize: number;
  maxSize: number;
}

/**
 * Checks first/after/last/before and decodes the cursor.
 * @throws BAD_USER_INPUT for first with last, after with before, a size out of range, or a
 *   cursor this field did not return for this ordering
 */
export function pageRequest(args: PageArgs, limits: PageLimits): PageRequest {
  const { first, after, last, before } = args;
  if (first != null && last != null)
    throw badInput('Give first or last, not both', { field: 'last' });
  if (after != null && before != null)
    throw badInput('Give after or before, not both', { field: 'before' });
  if ((first != null && before != null) || (last != null && after != null))
    throw badInput('Page forward with first/after or backward with last/before', {
      field: first != null ? 'before' : 'after',
    });
  const backward = last != null || before != null;
  const field = backward ? 'last' : 'first';
  const size = (backward ? last : first) ?? limits.defaultSize;
  if (!Number.isInteger(size) || size < 0 || size > limits.maxSize)
    throw badInput(`${field} must be between 0 and ${limits.maxSize}`, {
      field,
      limit: limits.maxSize,
      found: size,
    });
  const cursor = backward ? before : after;
  return {
    direction: backward ? 'backward' : 'forward',
    size,
    key: cursor == null ? null : decodeKeyset(cursor, limits.kind, backward ? 'before' : 'after'),
  };
}

/** The opaque cursor of an item whose sort key is `key` in a `kind` ordering. */
export function encodeKeyset(kind: string, key: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify([kind, ...key])).toString('base64url');
}

/**
 * The sort key held by a cursor of `kind`.
 * @throws BAD_USER_INPUT naming `field` when the cursor is malformed or of another kind
 */
export function decodeKeyset(cursor: string, kind: string, field = 'after'): KeyValue[] {
  const shown = cursor.length > 40 ? `${cursor.slice(0, 40)}...` : cursor;
  const invalid = (why: string) => badInput(`Invalid cursor: ${shown} (${why})`, { field });
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalid('not a cursor this API returned');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor this API returned');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !parsed.every(isKeyValue))
    throw invalid('not a cursor this API returned');
  const [cursorKind, ...key] = parsed as [string, ...KeyValue[]];
  if (cursorKind !== kind)
    throw invalid('it belongs to another field or ordering than this request');
  return key;
}

function isKeyValue(v: unknown): v is KeyValue {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * Builds the page from what a repository fetched for `request`: up to `request.size + 1` items
 * in walking order (list order when forward, reverse list order when backward). The extra item
 * only says that more exist; the page comes back in list order either way.
 */
export function toConnection<T>(
  fetched: readonly T[],
  request: PageRequest,
  cursorOf: (item: T) => string,
): ConnectionPage<T> {
  const more = fetched.length > request.size;
  const kept = fetched.slice(0, request.size);
  const nodes = request.direction === 'forward' ? kept : kept.reverse();
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  const hasCursor = request.key !== null;
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: request.direction === 'forward' ? more : hasCursor,
      hasPreviousPage: request.direction === 'forward' ? hasCursor : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

const TYPE_RANK = { number: 0, string: 1, boolean: 2 } as const;

/**
 * Compares two sort keys column by column; `directions` gives each column's order. Nulls sort
 * last in both directions (as the runs table shows runs without a value); where a column mixes
 * types, numbers come before strings and strings before booleans, in both directions.
 * @returns negative when `a` comes first in the list, positive when `b` does
 */
export function compareKeys(
  a: readonly KeyValue[],
  b: readonly KeyValue[],
  directions: readonly ('asc' | 'desc')[],
): number {
  for (let i = 0; i < directions.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x !== typeof y)
      return (
        TYPE_RANK[typeof x as keyof typeof TYPE_RANK] -
        TYPE_RANK[typeof y as keyof typeof TYPE_RANK]
      );
    const c = x < y ? -1 : 1;
    return directions[i] === 'desc' ? -c : c;
  }
  return 0;
}

/**
 * One page of a list already sorted in memory (list order), keyset-paged like a database
 * would: the items strictly after (forward) or before (backward) the cursor's key.
 */
export function pageSorted<T>(
  sorted: readonly T[],
  request: PageRequest,
  keyOf: (item: T) => KeyValue[],
  directions: readonly ('asc' | 'desc')[],
): T[] {
  const { key } = request;
  if (request.direction === 'forward') {
    const start =
      key === null ? 0 : firstIndexAfter(sorted, key, keyOf, directions, { orEqual: false });
    return sorted.slice(start, start + request.size + 1);
  }
  const end =
    key === null
      ? sorted.length
      : firstIndexAfter(sorted, key, keyOf, directions, { orEqual: true });
  return sorted.slice(Math.max(0, end - request.size - 1), end).reverse();
}

// Binary search: the first index whose key comes after `key` (orEqual: at or after it).
function firstIndexAfter<T>(
  sorted: readonly T[],
  key: readonly KeyValue[],
  keyOf: (item: T) => KeyValue[],
  directions: readonly ('asc' | 'desc')[],
  { orEqual }: { orEqual: boolean },
): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareKeys(keyOf(sorted[mid] as T), key, directions);
    if (c < 0 || (!orEqual && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
