// Cursors of Run.predictions. Index order pages after the last index; confidence order pages
// by rank (predictions never change once stored, so an offset is a stable position).
import { badInput } from '../common/errors';
import { decodeCursor } from '../common/limits';

/** What a cursor counts: sample indexes (INDEX order) or ranks (CONFIDENCE_DESC order). */
export type PredictionCursorKind = 'index' | 'rank';

/** The opaque cursor of position `n` in a `kind` ordering. */
export function encodePredictionCursor(kind: PredictionCursorKind, n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64url');
}

/**
 * The position of a cursor this API returned for the same ordering.
 * @throws BAD_USER_INPUT for a malformed cursor, or one of the other ordering
 */
export function decodePredictionCursor(cursor: string, kind: PredictionCursorKind): number {
  const decoded = decodeCursor(cursor, ['index', 'rank']);
  if (decoded.kind !== kind)
    throw badInput(`Cursor ${cursor} belongs to another orderBy than this request's`, {
      field: 'after',
    });
  return decoded.value;
}
