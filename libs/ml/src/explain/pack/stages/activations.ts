/** Every layer's activations per sample: a grid image per 4-D layer and a JSON summary. */
import { channelStatistics, layerActivations, type LayerActivation } from '../../activations';
import { channelGrid } from '../../render';
import { gridPng } from '../png';
import { jsonBytes, roundTo, sampleImages, type PackContext, type PackStage } from '../stage';
import { EXPLANATION_PREFIX, type PackSample } from '../types';

/** The activations stage. */
export const activationsStage: PackStage = {
  name: 'activations',
  async run(context) {
    const { samples, model } = context;
    if (samples.length === 0) return;
    const images = sampleImages(context, samples);
    let acts: LayerActivation[];
    try {
      acts = layerActivations({ model, images });
    } finally {
      images.dispose();
    }
    const order = new Map(context.layers.map((l, i) => [l.path, i]));
    for (const [i, s] of samples.entries()) {
      const summary = [];
      for (const a of acts) {
        const per = a.data.length / samples.length;
        const one = a.data.subarray(i * per, (i + 1) * per);
        summary.push(layerSummary(a, one, order));
        await addGrid(context, {
          sample: s,
          layer: a.layer,
          one,
          shapeOne: a.shape.slice(1),
          order,
        });
      }
      context.budget.add({
        name: `${EXPLANATION_PREFIX}s${s.index}.act.summary.json`,
        kind: 'activations-summary',
        mimeType: 'application/json',
        data: jsonBytes({ sample: s.index, layers: summary }),
        metadata: { kind: 'activations-summary', sample: s.index, layers: summary.length },
      });
    }
  },
};

/** Per-channel statistics of one sample's activation (and its values when it is a short vector). */
function layerSummary(
  a: LayerActivation,
  one: Float32Array,
  order: Map<string, number>,
): Record<string, unknown> {
  const shapeOne = a.shape.slice(1);
  const stats = channelStatistics({ shape: shapeOne, data: one });
  const entry: Record<string, unknown> = {
    layer: a.layer,
    order: order.get(a.layer),
    shape: shapeOne,
    mean: Array.from(stats.mean, (v) => roundTo(v)),
    max: Array.from(stats.max, (v) => roundTo(v)),
    zeroFraction: Array.from(stats.zeroFraction, (v) => roundTo(v, 3)),
  };
  const [units] = shapeOne;
  if (shapeOne.length === 1 && units !== undefined && units <= 1024)
    entry.values = Array.from(one, (v) => roundTo(v));
  return entry;
}

/** The channel grid of a 4-D layer's activation of one sample (other layers have none). */
async function addGrid(
  context: PackContext,
  job: {
    sample: PackSample;
    layer: string;
    one: Float32Array;
    shapeOne: number[];
    order: Map<string, number>;
  },
): Promise<void> {
  const { sample: s, layer, one, shapeOne } = job;
  const [h, w, c] = shapeOne;
  if (shapeOne.length !== 3 || h === undefined || w === undefined || c === undefined) return;
  const drawn = Array.from({ length: Math.min(c, context.options.gridChannels) }, (_, k) => k);
  const grid = channelGrid({
    activations: one,
    shape: [h, w, c],
    channels: drawn,
    layerName: layer,
  });
  context.budget.add({
    name: `${EXPLANATION_PREFIX}s${s.index}.act.${layer.replace(/\//g, '~')}.png`,
    kind: 'activations',
    mimeType: 'image/png',
    data: await gridPng(grid, 1),
    metadata: {
      kind: 'activations',
      layer,
      order: job.order.get(layer),
      sample: s.index,
      shape: [h, w, c],
      channels: drawn.length,
      grid: { columns: grid.columns, rows: grid.rows, padding: 1, tileHeight: h, tileWidth: w },
      caption: grid.caption,
    },
  });
}
