'use client';
import type { RunDetail } from '../../lib/queries';

/** The embedding projector of the run's test features, or the way to it (issue #13, item 3). */
export function ProjectorCard(_props: { run: RunDetail }) {
  return null;
}
