// One mechanism for writes that a client may retry with a clientRequestId (evaluations,
// uncertainty): the first attempt stores, every retry (even a concurrent one) returns that row.
import { badInput, isUniqueViolation } from './errors';
import { isRunFull, limits, LIMITS } from './limits';

/** True when an insert lost a race on a unique key (Prisma's code, or the raw SQL error text). */
export function isDuplicate(err: unknown): boolean {
  if (isUniqueViolation(err)) return true;
  const message = err instanceof Error ? err.message : '';
  return /23505|unique constraint|UNIQUE constraint failed/i.test(message);
}

/**
 * Runs `insert` once per (run, clientRequestId): an existing row for the key is returned
 * instead, and a concurrent insert that lost the race (a unique violation, or a run found full)
 * returns the winner's row.
 * @throws BAD_USER_INPUT for a key that is blank, over 200 characters or holds control characters
 */
export async function insertIdempotent<T>(options: {
  /** The client's retry key; null or undefined: no idempotency, always insert. */
  key: string | null | undefined;
  /** The row already stored under the key, if any. */
  find(key: string): Promise<T | null>;
  /** Validates and stores the row (throwing before any write on bad input). */
  insert(key: string | null): Promise<T>;
}): Promise<T> {
  const key = options.key ?? null;
  if (key !== null && !key.trim())
    throw badInput('clientRequestId must not be blank', { field: 'clientRequestId' });
  if (key !== null) limits.id(key, 'clientRequestId', LIMITS.clientRequestId);
  if (key) {
    const existing = await options.find(key);
    if (existing) return existing;
  }
  try {
    return await options.insert(key);
  } catch (err) {
    // A concurrent retry may also have taken the run's last free place (runFull): its row answers.
    if (key && (isDuplicate(err) || isRunFull(err))) {
      const existing = await options.find(key);
      if (existing) return existing;
    }
    throw err;
  }
}
