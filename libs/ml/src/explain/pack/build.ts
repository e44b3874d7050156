import { listLayers, outputActivation } from '../graph';
import { PackBudget } from './budget';
import { resolvePackOptions } from './options';
import { packSamples, predictionsOf } from './samples';
import { roundTo, runStages, type PackContext, type PackStage } from './stage';
import { activationsStage } from './stages/activations';
import { camStage } from './stages/cam';
import { filtersStage } from './stages/filters';
import { limeStage } from './stages/lime';
import { saliencyStage } from './stages/saliency';
import type { ExplanationIndex, ExplanationPackInput, PackFile } from './types';

/** The stages of a pack, in the order they run (and spend the budget). */
export const PACK_STAGES: readonly PackStage[] = [
  camStage,
  activationsStage,
  filtersStage,
  saliencyStage,
  limeStage,
];

/**
 * Computes the pack (nothing is uploaded): the files and the index listing them. Bounded by
 * `maxBytes` and `maxSeconds`; disposes every tensor it makes.
 */
export async function buildExplanationPack(
  input: ExplanationPackInput,
): Promise<{ files: PackFile[]; index: ExplanationIndex }> {
  const { given, options: o } = resolvePackOptions(input.options);
  const budget = new PackBudget({ maxBytes: o.maxBytes, maxSeconds: o.maxSeconds });
  const { model, split, probabilities } = input;
  const context: PackContext = {
    model,
    split,
    shape: input.shape,
    scale: input.scale ?? 1 / 255,
    binary: probabilities.length / split.count === 1,
    samples: packSamples(split, predictionsOf(probabilities, split.count), o.samples),
    layers: listLayers(model),
    options: o,
    given,
    budget,
    cam: { layer: null, methods: [] },
  };
  const timings = await runStages(PACK_STAGES, context);
  timings.total = roundTo(budget.elapsedSeconds(), 3);
  const index: ExplanationIndex = {
    version: 1,
    createdAt: new Date().toISOString(),
    classNames: [...input.classNames],
    imageShape: input.shape,
    camLayer: context.cam.layer,
    camMethods: context.cam.methods,
    layers: context.layers
      .filter((l) => !l.nested)
      .map((l) => ({ path: l.path, className: l.className, outputShape: l.outputShape })),
    samples: [...context.samples],
    files: budget.files.map(({ data: _data, ...entry }) => entry),
    totalBytes: budget.totalBytes,
    timings,
    skipped: budget.skipped,
    options: { ...o, output: outputActivation(model) },
  };
  return { files: budget.files, index };
}
