import type { Point } from './types';

/** A vertical line across a line chart at `step`, with optional labels on either side. */
export interface VerticalMarker {
  /** Position on the x (step) axis; may fall between logged steps. */
  step: number;
  /** Text left of the line (what ends there), e.g. "head". */
  before?: string;
  /** Text right of the line (what starts there), e.g. "fine-tune". */
  after?: string;
}

/** Display names of the codes of the `phase` metric logged by libs/ml (0 head, 1 fine-tune). */
export const PHASE_NAMES: Readonly<Record<number, string>> = { 0: 'head', 1: 'fine-tune' };

/** Name of the pseudo-metric holding each epoch's training phase. */
export const PHASE_METRIC = 'phase';

/**
 * Where the training phase changes, from the per-epoch `phase` metric: one marker halfway
 * between the last step of a phase and the first step of the next, labelled with both phases'
 * names (unknown codes read "phase <code>"). Points may come in any order; non-finite values
 * are skipped. A run with a single phase has no marker.
 */
export function phaseMarkers(
  points: readonly Point[],
  names: Readonly<Record<number, string>> = PHASE_NAMES,
): VerticalMarker[] {
  const sorted = points
    .filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value))
    .sort((a, b) => a.step - b.step);
  const name = (code: number) => names[code] ?? `phase ${code}`;
  const markers: VerticalMarker[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev && cur && cur.value !== prev.value)
      markers.push({
        step: (prev.step + cur.step) / 2,
        before: name(prev.value),
        after: name(cur.value),
      });
  }
  return markers;
}
