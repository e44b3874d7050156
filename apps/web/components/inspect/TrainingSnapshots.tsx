'use client';
import type { RunDetail } from '../../lib/queries';

/** The run's training snapshots with a step slider (issue #13, item 1). */
export function TrainingSnapshots(_props: { run: RunDetail }) {
  return null;
}
