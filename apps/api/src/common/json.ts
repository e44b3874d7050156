// JSON columns are TEXT on both databases (SQLite has no JSON type); these helpers are the
// only place they are (de)serialised.

/** Parses a stored JSON column; a corrupt value reads as `fallback` rather than failing the query. */
export function parseJsonColumn<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
