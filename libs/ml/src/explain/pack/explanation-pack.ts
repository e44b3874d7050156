/**
 * The explanation pack of a run: a bounded set of explanations computed once at the end of a
 * tracked run (or later on a stored run) and stored with it as artifacts, so the dashboard can
 * show what the network sees without running a model in the browser.
 *
 * For a fixed, deterministic set of test samples (some correct, some misclassified, at least one
 * per class when the budget allows): class activation maps for the true and the predicted class
 * with several methods and their deletion/insertion faithfulness, every layer's activation grid,
 * filter patterns of every conv layer with the test images that activate each channel most,
 * input-gradient saliency and LIME for a few samples. Maps are stored as raw data (8-bit
 * grayscale PNGs of the [0, 1] heatmap, JSON for LIME), so the dashboard blends and colours them
 * itself; one index artifact ({@link EXPLANATION_INDEX_NAME}) lists every file with its metadata.
 */
export { PackBudget, type PackLimits, type SkippedItem } from './budget';
export { buildExplanationPack, PACK_STAGES } from './build';
export { logExplanationPack, tryLogExplanationPack, type ExplanationPackResult } from './log';
export {
  DEFAULT_EXPLANATION_PACK,
  resolvePackOptions,
  type ExplanationPackOptions,
  type ResolvedPackOptions,
} from './options';
export { grayPng, tileImages, type TiledImages } from './png';
export { mixedSamples, packSamples, predictionsOf, selectPackSamples } from './samples';
export { runStages, type PackContext, type PackStage } from './stage';
export { explainStoredRun, type ExplainStoredRunOptions } from './stored-run';
export {
  EXPLANATION_INDEX_NAME,
  EXPLANATION_PREFIX,
  type ExplanationIndex,
  type ExplanationPackInput,
  type PackEntry,
  type PackFile,
  type PackSample,
} from './types';
export { uploadPack } from './upload';
