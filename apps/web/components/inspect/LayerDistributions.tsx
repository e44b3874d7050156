'use client';
import type { RunDetail } from '../../lib/queries';

/** Per-layer weight, bias and gradient distributions over epochs (issue #13, item 2). */
export function LayerDistributions(_props: { run: RunDetail }) {
  return null;
}
