/** LIME explanations (SLIC superpixels, weighted ridge) of a few samples, stored as JSON. */
import { explainImage, type LimeExplanation } from '../../lime';
import { mixedSamples } from '../samples';
import { jsonBytes, roundTo, type PackStage } from '../stage';
import { EXPLANATION_PREFIX } from '../types';

/** The LIME stage (the slowest: one prediction per perturbed image). */
export const limeStage: PackStage = {
  name: 'lime',
  async run(context) {
    const { model, split, scale, options: o } = context;
    const [H, W, C] = context.shape;
    const pixels = H * W * C;
    for (const s of mixedSamples(context.samples, o.limeSamples)) {
      const image = Float32Array.from(
        split.images.subarray(s.index * pixels, (s.index + 1) * pixels),
        (v) => v * scale,
      );
      const r = await explainImage({
        image,
        width: W,
        height: H,
        channels: C === 3 ? 3 : 1,
        predict: model,
        classIndex: s.predicted,
        numSamples: o.limePerturbations,
        numSegments: o.limeSegments,
        maxValue: 255 * scale,
      });
      context.budget.add({
        name: `${EXPLANATION_PREFIX}s${s.index}.lime.json`,
        kind: 'lime',
        mimeType: 'application/json',
        data: jsonBytes(limeJson(r, W, H)),
        metadata: {
          kind: 'lime',
          method: 'lime',
          sample: s.index,
          classIndex: r.classIndex,
          shape: [H, W],
          numSegments: r.segmentation.numSegments,
          perturbations: o.limePerturbations,
          score: roundTo(r.score),
        },
      });
    }
  },
};

/** A LIME explanation as stored: segments, their weights and the fit's quality, rounded. */
function limeJson(r: LimeExplanation, width: number, height: number): Record<string, unknown> {
  return {
    width,
    height,
    numSegments: r.segmentation.numSegments,
    labels: Array.from(r.segmentation.labels),
    coefficients: Array.from(r.coefficients, (v) => roundTo(v, 5)),
    positive: r.positive.map((p) => ({ segment: p.segment, weight: roundTo(p.weight, 5) })),
    negative: r.negative.map((p) => ({ segment: p.segment, weight: roundTo(p.weight, 5) })),
    intercept: roundTo(r.intercept, 5),
    score: roundTo(r.score),
    originalPrediction: roundTo(r.originalPrediction),
    localPrediction: roundTo(r.localPrediction),
  };
}
