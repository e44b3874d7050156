import { formatNumber } from '@convscope/viz';

/**
 * A JSON value. The schema's `JSON` scalar (hyperparameters, model summaries, dataset info) is
 * typed `unknown` in the generated documents; the helpers here take `unknown` and narrow it.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object (not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One row of a key/value table. */
export interface KeyValueRow {
  key: string;
  value: string;
}

/** Text of a JSON value as `String()` gives it for primitives (`3`, `true`, `null`); JSON for objects. */
export function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Renders a JSON leaf for a table cell: numbers via formatNumber, short primitive arrays inline. */
export function formatJsonValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return formatNumber(value, 6);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    if (items.every((v) => v === null || typeof v !== 'object'))
      return `[${items.map((v) => formatJsonValue(v)).join(', ')}]`;
    return JSON.stringify(value);
  }
  return JSON.stringify(value);
}

/**
 * Flattens a JSON object into dotted-path rows (`optimizer.beta1 → 0.9`), sorted by key, so nested
 * hyperparameters and dataset info fit one readable two-column table. Arrays stay one row.
 * A non-object input yields a single row keyed "value"; null yields no rows.
 */
export function flattenJson(value: unknown, prefix = ''): KeyValueRow[] {
  if (value === null || value === undefined) return [];
  if (!isJsonObject(value)) return [{ key: prefix || 'value', value: formatJsonValue(value) }];
  const rows = Object.entries(value).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return isJsonObject(v) && Object.keys(v).length > 0
      ? flattenJson(v, key)
      : [{ key, value: formatJsonValue(v) }];
  });
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}

/** The value at `key` when `value` is a JSON object, else undefined. */
export function field(value: unknown, key: string): unknown {
  return isJsonObject(value) ? value[key] : undefined;
}
