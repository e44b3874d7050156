/** Input-gradient saliency (vanilla gradients and SmoothGrad) of a few samples. */
import { smoothGrad, vanillaGradients } from '../../input-attribution';
import type { SaliencyResult } from '../../saliency';
import { grayPng } from '../png';
import { mixedSamples } from '../samples';
import { sampleImages, valueAt, type PackStage } from '../stage';
import { EXPLANATION_PREFIX } from '../types';

/** The saliency stage: maps of the predicted class (class 1 of a sigmoid model). */
export const saliencyStage: PackStage = {
  name: 'saliency',
  async run(context) {
    const { model, binary, options: o } = context;
    const [H, W] = context.shape;
    const list = mixedSamples(context.samples, o.saliencySamples);
    if (list.length === 0) return;
    const images = sampleImages(context, list);
    try {
      const classIndex = binary ? 0 : list.map((s) => s.predicted);
      const results: SaliencyResult[] = [
        vanillaGradients({ model, images, classIndex }),
        smoothGrad({ model, images, classIndex, samples: o.smoothGradSamples }),
      ];
      for (const r of results)
        for (const [i, s] of list.entries()) {
          context.budget.add({
            name: `${EXPLANATION_PREFIX}s${s.index}.saliency.${r.method}.png`,
            kind: 'saliency',
            mimeType: 'image/png',
            data: await grayPng(r.heatmap.subarray(i * H * W, (i + 1) * H * W), W, H),
            metadata: {
              kind: 'saliency',
              method: r.method,
              sample: s.index,
              classIndex: binary ? 1 : valueAt(r.classIndex, i, 'saliency class'),
              shape: [H, W],
              format: 'gray8-png',
            },
          });
        }
    } finally {
      images.dispose();
    }
  },
};
