/**
 * Filter patterns of every conv layer (gradient ascent per channel), tiled in one image, with the
 * test images that activate each channel most.
 */
import { topActivatingImages } from '../../activations';
import { filterPatterns } from '../../filter-patterns';
import type { LayerInfo } from '../../graph';
import { gridPng, tileImages } from '../png';
import { roundTo, type PackContext, type PackStage } from '../stage';
import { EXPLANATION_PREFIX } from '../types';

/** The filters stage; each conv layer starts only while the time budget lasts. */
export const filtersStage: PackStage = {
  name: 'filters',
  async run(context) {
    if (context.options.filterChannels <= 0) return;
    const convs = context.layers.filter((l) => !l.nested && l.className === 'Conv2D');
    for (const conv of convs) {
      if (context.budget.timeSpent()) {
        context.budget.skipForTime(`filters ${conv.path}`);
        continue;
      }
      await addLayerFilters(context, conv);
    }
  },
};

async function addLayerFilters(context: PackContext, conv: LayerInfo): Promise<void> {
  const { model, split, options: o } = context;
  const [H, W, C] = context.shape;
  const count = Math.min(split.count, context.given.topKImages ?? split.count);
  const total = conv.outputShape[3] ?? 0;
  const channels = Array.from({ length: Math.min(total, o.filterChannels) }, (_, k) => k);
  const patterns = await filterPatterns(model, {
    layer: conv.path,
    channels,
    steps: o.filterSteps,
    batchSize: channels.length,
  });
  const top = topActivatingImages({
    model,
    layer: conv.path,
    images: split.images.subarray(0, count * H * W * C),
    shape: [count, H, W, C],
    scale: context.scale,
    k: o.topK,
  });
  const [ph, pw, pd] = patterns.imageShape;
  const tiled = tileImages(patterns.images, ph, pw, pd);
  context.budget.add({
    name: `${EXPLANATION_PREFIX}filters.${conv.path.replace(/\//g, '~')}.png`,
    kind: 'filters',
    mimeType: 'image/png',
    data: await gridPng(tiled, pd === 3 ? 3 : 1),
    metadata: {
      kind: 'filters',
      layer: conv.path,
      shape: conv.outputShape.slice(1),
      channel: channels,
      imageShape: patterns.imageShape,
      steps: o.filterSteps,
      losses: patterns.losses.map((v) => roundTo(v)),
      grid: { columns: tiled.columns, rows: tiled.rows, padding: 1, tileHeight: ph, tileWidth: pw },
      topK: channels.map((c) => ({
        channel: c,
        samples: Array.from(top.indices.subarray(c * top.k, (c + 1) * top.k)),
        values: Array.from(top.values.subarray(c * top.k, (c + 1) * top.k), (v) => roundTo(v)),
      })),
    },
  });
}
