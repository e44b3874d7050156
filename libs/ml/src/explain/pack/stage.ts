/** The stages of a pack: one interface, one context, one runner. */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../../data/dataset';
import type { CamMethod } from '../cam';
import type { LayerInfo } from '../graph';
import type { PackBudget } from './budget';
import type { ExplanationPackOptions, ResolvedPackOptions } from './options';
import type { PackSample } from './types';

/** What every stage of a pack reads, and the budget it adds its files to. */
export interface PackContext {
  model: tf.LayersModel;
  /** The evaluated split (bytes `[count, H, W, C]`). */
  split: ImageSplit;
  /** `[height, width, channels]` of the inputs. */
  shape: [number, number, number];
  /** Multiplier of the pixel bytes. */
  scale: number;
  /** A one-column (sigmoid) model: its maps explain class 1 only. */
  binary: boolean;
  samples: readonly PackSample[];
  /** Every layer in order (nested models' inner layers under `base/...`). */
  layers: readonly LayerInfo[];
  /** The options in effect. */
  options: ResolvedPackOptions;
  /** The options the caller set (a few defaults depend on whether they were). */
  given: ExplanationPackOptions;
  budget: PackBudget;
  /** CAM layer and methods, set by the CAM stage for the index. */
  cam: { layer: string | null; methods: CamMethod[] };
}

/** One stage of the pack (CAMs, activations, filters, saliency, LIME). */
export interface PackStage {
  /** Name in the index's timings and skipped list. */
  readonly name: string;
  /** Computes the stage's files and adds them to `context.budget`. */
  run(context: PackContext): Promise<void>;
}

/**
 * Runs the stages in order. A stage starts unless the time budget is spent (then it is listed
 * as skipped); a stage that throws is listed with its error and the pack goes on.
 * @returns seconds per stage that ran, in order
 */
export async function runStages(
  stages: readonly PackStage[],
  context: PackContext,
): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const { budget } = context;
  for (const stage of stages) {
    const t0 = performance.now();
    if (budget.timeSpent()) {
      budget.skipForTime(stage.name);
      continue;
    }
    try {
      await stage.run(context);
    } catch (err) {
      budget.skip(stage.name, err instanceof Error ? err.message : String(err));
    }
    timings[stage.name] = roundTo((performance.now() - t0) / 1000, 3);
  }
  return timings;
}

/** `v` rounded to `digits` decimals, as stored in the pack's JSON. */
export function roundTo(v: number, digits = 4): number {
  return Number(v.toFixed(digits));
}

/**
 * The pixels of some samples scaled to floats, `[n, H, W, C]` (the caller disposes the tensor).
 */
export function sampleImages(context: PackContext, list: readonly PackSample[]): tf.Tensor4D {
  const [H, W, C] = context.shape;
  const pixels = H * W * C;
  const { images } = context.split;
  const x = new Float32Array(list.length * pixels);
  list.forEach((s, i) => {
    // A sample's index is < split.count, and the split holds count * pixels bytes.
    for (let p = 0; p < pixels; p++)
      x[i * pixels + p] = images[s.index * pixels + p]! * context.scale;
  });
  return tf.tensor4d(x, [list.length, H, W, C]);
}

/** JSON as UTF-8 bytes. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** `values[i]`, or a thrown error naming what was missing (per-sample reads, not hot loops). */
export function valueAt(values: ArrayLike<number>, i: number, what: string): number {
  const v = values[i];
  if (v === undefined) throw new RangeError(`${what}: no value for item ${i} of ${values.length}`);
  return v;
}
