'use client';

import { useCallback, useState } from 'react';
import { errorMessage } from '../../lib/errors';

/** What {@link useRowAction} returns. */
export interface RowAction<K> {
  /** The key of the action under way, or null. */
  pending: K | null;
  /** The last failure's message, for the key it concerns; null when `key` has none. */
  errorFor: (key: K) => string | null;
  /**
   * Runs `action` for `key`: marks it pending and clears the last error; a throw becomes the
   * error of `key` (in {@link errorMessage}'s words). Never rejects.
   */
  run: (key: K, action: () => Promise<void>) => Promise<void>;
  /** Forgets the last error. */
  clearError: () => void;
}

/**
 * Pending and error state for actions on the rows of a list (one at a time), each row known by
 * a key: the row's controls are disabled while `pending === key` and its inline error is
 * `errorFor(key)`.
 */
export function useRowAction<K>(): RowAction<K> {
  const [pending, setPending] = useState<K | null>(null);
  const [error, setError] = useState<{ key: K; message: string } | null>(null);
  const run = useCallback(async (key: K, action: () => Promise<void>) => {
    setPending(key);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError({ key, message: errorMessage(err) });
    } finally {
      setPending(null);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  const errorFor = (key: K) => (error !== null && error.key === key ? error.message : null);
  return { pending, errorFor, run, clearError };
}

/** What {@link useAction} returns. */
export interface Action {
  /** Whether the action is under way. */
  pending: boolean;
  /** The last failure's message, or null. */
  error: string | null;
  /**
   * Runs `action`: pending meanwhile, the last error cleared first; a throw becomes `error` (in
   * {@link errorMessage}'s words). Never rejects.
   */
  run: (action: () => Promise<void>) => Promise<void>;
}

/**
 * Pending and error state for one action, such as a form's mutation: disable its button while
 * `pending` and show `error` inline. To word a failure differently, throw an `Error` with that
 * message from the action.
 */
export function useAction(): Action {
  const { pending, errorFor, run } = useRowAction<true>();
  const runOnce = useCallback((action: () => Promise<void>) => run(true, action), [run]);
  return { pending: pending !== null, error: errorFor(true), run: runOnce };
}
