import type { RunTracker } from '../../tracking/run-tracker';
import { buildExplanationPack } from './build';
import { DEFAULT_EXPLANATION_PACK } from './options';
import { roundTo } from './stage';
import type { ExplanationIndex, ExplanationPackInput } from './types';
import { uploadPack } from './upload';

/** What {@link logExplanationPack} reports. */
export interface ExplanationPackResult {
  index: ExplanationIndex;
  /** Files uploaded, the index included. */
  uploaded: number;
  /** Wall time of computing and uploading, seconds. */
  seconds: number;
}

/**
 * Computes the pack and stores it with a run: every file, then the index last (so a dashboard
 * that sees the index finds every file it lists). Uploads run four at a time.
 */
export async function logExplanationPack(
  tracker: RunTracker,
  input: ExplanationPackInput,
): Promise<ExplanationPackResult | null> {
  if ((input.options?.samples ?? DEFAULT_EXPLANATION_PACK.samples) <= 0) return null;
  const t0 = performance.now();
  const pack = await buildExplanationPack(input);
  const uploaded = await uploadPack(tracker, pack, (index) => {
    index.timings.upload = roundTo((performance.now() - t0) / 1000 - (index.timings.total ?? 0), 3);
  });
  return { index: pack.index, uploaded, seconds: (performance.now() - t0) / 1000 };
}

/**
 * {@link logExplanationPack} for the end of a training run: a failure is reported on stderr and
 * does not fail the run (the model and its evaluation are already stored).
 */
export async function tryLogExplanationPack(
  tracker: RunTracker,
  input: ExplanationPackInput,
): Promise<ExplanationPackResult | null> {
  try {
    return await logExplanationPack(tracker, input);
  } catch (err) {
    console.warn(
      `explanation pack not stored: ${err instanceof Error ? err.message : String(err)}`,
    );
    return null;
  }
}
