/**
 * LIME explanations (SLIC superpixels, weighted ridge) of a few samples, stored as JSON (the
 * superpixels and every superpixel's weight; the dashboard draws them) and as a small preview PNG
 * (the top superpixels outlined, the rest faded, no boundaries) for readers without the dashboard.
 */
import { explainImage, type LimeExplanation } from '../../lime';
import { encodeImage, limeImage } from '../../render';
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
      const bytes = split.images.subarray(s.index * pixels, (s.index + 1) * pixels);
      const image = Float32Array.from(bytes, (v) => v * scale);
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
      const preview = await limePreview(r, {
        bytes,
        width: W,
        height: H,
        channels: C === 3 ? 3 : 1,
      });
      context.budget.add({
        name: `${EXPLANATION_PREFIX}s${s.index}.lime.png`,
        kind: 'lime-image',
        mimeType: 'image/png',
        data: preview.png,
        metadata: {
          kind: 'lime-image',
          method: 'lime',
          sample: s.index,
          classIndex: r.classIndex,
          shape: [H * LIME_PREVIEW_SCALE, W * LIME_PREVIEW_SCALE],
          top: preview.top,
        },
      });
    }
  },
};

/** Upscaling of the preview PNG: a 28 px image becomes 168 px, outlines 2 px. */
const LIME_PREVIEW_SCALE = 6;

/** The preview PNG of a LIME explanation: the top 5 superpixels outlined, the rest faded. */
async function limePreview(
  r: LimeExplanation,
  image: { bytes: Uint8Array; width: number; height: number; channels: 1 | 3 },
): Promise<{ png: Uint8Array; top: { rank: number; segment: number; weight: number }[] }> {
  const drawn = limeImage({
    image: image.bytes,
    width: image.width,
    height: image.height,
    channels: image.channels,
    labels: r.segmentation.labels,
    coefficients: r.coefficients,
    top: 5,
    scale: LIME_PREVIEW_SCALE,
  });
  const png = await encodeImage({
    pixels: drawn.pixels,
    width: drawn.width,
    height: drawn.height,
    channels: 3,
  });
  const top = drawn.top.map((t) => ({ ...t, weight: roundTo(t.weight, 5) }));
  return { png: new Uint8Array(png), top };
}

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
