/**
 * Class activation maps of every sample for the true and the predicted class, with several
 * methods, and their deletion/insertion faithfulness.
 */
import type * as tf from '@tensorflow/tfjs';
import { classActivationMap, type CamMethod } from '../../cam';
import { faithfulness } from '../../faithfulness';
import { defaultCamLayer } from '../../graph';
import { grayPng } from '../png';
import { roundTo, sampleImages, valueAt, type PackContext, type PackStage } from '../stage';
import { EXPLANATION_PREFIX, type PackSample } from '../types';

/** Which class a list of samples is explained for. */
interface CamTarget {
  target: 'true' | 'predicted';
  list: readonly PackSample[];
  cls: (s: PackSample) => number;
}

/** The CAM stage (`gradcam` in the index, whatever the methods). */
export const camStage: PackStage = {
  name: 'gradcam',
  async run(context) {
    const { samples, layers, options: o, given, model } = context;
    if (samples.length === 0) return;
    const info = o.camLayer ? layers.find((l) => l.path === o.camLayer) : defaultCamLayer(model);
    if (!info) throw new Error(`unknown CAM layer "${o.camLayer}"`);
    context.cam.layer = info.path;
    const channels = info.outputShape[3] ?? 0;
    context.cam.methods =
      given.camMethods ??
      (['gradcam', 'gradcampp', 'layercam', 'eigencam'] as CamMethod[]).concat(
        channels * samples.length <= o.scoreCamMaxPasses ? ['scorecam'] : [],
      );
    for (const target of camTargets(context)) {
      if (target.list.length === 0) continue;
      const images = sampleImages(context, target.list);
      try {
        for (const method of context.cam.methods)
          await addMaps(context, { ...target, images, method, layer: info.path });
      } finally {
        images.dispose();
      }
    }
  },
};

/** A sigmoid model has one logit (evidence for class 1): its maps explain class 1 only. */
function camTargets(context: PackContext): CamTarget[] {
  const { samples } = context;
  return context.binary
    ? [{ target: 'predicted', list: samples, cls: () => 0 }]
    : [
        { target: 'true', list: samples, cls: (s) => s.label },
        { target: 'predicted', list: samples.filter((s) => !s.correct), cls: (s) => s.predicted },
      ];
}

/** The maps of one method for one target, one gray PNG per sample. */
async function addMaps(
  context: PackContext,
  job: CamTarget & { images: tf.Tensor4D; method: CamMethod; layer: string },
): Promise<void> {
  const { model, binary } = context;
  const [H, W] = context.shape;
  const { target, list, images, method, layer } = job;
  const classIndex = list.map(job.cls);
  const r = classActivationMap({ model, images, layer, classIndex, method });
  const f = faithfulness({
    model,
    images,
    saliency: r.heatmap,
    classIndex,
    steps: context.options.faithfulnessSteps,
  });
  for (const [i, s] of list.entries()) {
    const classOut = binary ? 1 : valueAt(classIndex, i, 'class index');
    context.budget.add({
      name: `${EXPLANATION_PREFIX}s${s.index}.cam.${method}.c${classOut}.png`,
      kind: 'gradcam',
      mimeType: 'image/png',
      data: await grayPng(r.heatmap.subarray(i * H * W, (i + 1) * H * W), W, H),
      metadata: {
        kind: 'gradcam',
        method,
        layer,
        sample: s.index,
        classIndex: classOut,
        target: target === 'true' && s.correct ? 'true+predicted' : target,
        shape: [H, W],
        mapShape: r.mapShape.slice(1),
        format: 'gray8-png',
        score: roundTo(valueAt(r.score, i, 'CAM score')),
        deletionAuc: roundTo(valueAt(f.deletionAuc, i, 'deletion AUC')),
        insertionAuc: roundTo(valueAt(f.insertionAuc, i, 'insertion AUC')),
      },
    });
  }
}
