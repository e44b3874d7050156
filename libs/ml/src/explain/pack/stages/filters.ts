/**
 * Filter patterns of every channel of every conv layer (feature visualisation by gradient
 * ascent), as many as the stage's time share allows, tiled in one image per layer, with the
 * test images that activate each computed channel most. The first conv layer and the CAM
 * layer's conv come first; the channels left out are listed in the index's `skipped`.
 */
import { topActivatingImages } from '../../activations';
import { readablePatternOptions } from '../../feature-vis/readable';
import { lowFrequencyShare } from '../../feature-vis/spectrum';
import { filterPatterns, isSizeFree, type FilterPatternsOptions } from '../../filter-patterns';
import type { LayerInfo } from '../../graph';
import { gridPng, tileImages } from '../png';
import { roundTo, type PackContext, type PackStage } from '../stage';
import { EXPLANATION_PREFIX } from '../types';

/** Channels optimised together (one batch, and one page of the dashboard's gallery). */
const BATCH = 16;

/** What the stage computed for one layer. */
interface LayerPatterns {
  conv: LayerInfo;
  channels: number[];
  images: Uint8Array[];
  losses: number[];
  imageShape: [number, number, number];
  /** The canvas the patterns were computed on (stored at most max(64, filterCanvas) a side). */
  canvas: [number, number];
}

/** The filters stage: channels start only while its time share and the pack's budget last. */
export const filtersStage: PackStage = {
  name: 'filters',
  async run(context) {
    if (context.options.filterChannels <= 0) return;
    const convs = context.layers.filter((l) => !l.nested && l.className === 'Conv2D');
    const started = performance.now();
    const outOfTime = () =>
      context.budget.timeSpent() ||
      (performance.now() - started) / 1000 > context.options.filterSeconds;
    const done = new Map<LayerInfo, LayerPatterns>();
    for (const conv of filterPriority(convs, context)) {
      const patterns = await layerPatterns(context, conv, outOfTime);
      if (patterns) done.set(conv, patterns);
    }
    // Files in layer order, whatever order they were computed in.
    for (const conv of convs) {
      const patterns = done.get(conv);
      if (patterns) await addLayerFile(context, patterns);
    }
  },
};

/**
 * Conv layers in the order their channels are computed: the first conv layer (edges and
 * colours), then the conv layer the CAMs explain (the last one at or before the CAM layer),
 * then the others in model order.
 */
export function filterPriority(
  convs: readonly LayerInfo[],
  context: Pick<PackContext, 'layers' | 'cam'>,
): LayerInfo[] {
  const order = (l: LayerInfo) => context.layers.indexOf(l);
  const camAt = context.layers.findIndex((l) => l.path === context.cam.layer);
  const camConv =
    camAt < 0 ? undefined : ([...convs].reverse().find((l) => order(l) <= camAt) ?? undefined);
  const first = convs[0];
  const head = [first, camConv].filter((l): l is LayerInfo => l !== undefined);
  return [...new Set([...head, ...convs])];
}

/** The pattern options of the pack's method for a layer (readable or Chollet's plain). */
function methodOptions(
  context: PackContext,
  conv: LayerInfo,
): Pick<FilterPatternsOptions, 'size' | 'parameterization' | 'optimizer' | 'regularizers'> {
  const [H, W] = context.shape;
  if (context.options.filterMethod === 'plain') return {};
  const sizeFree = isSizeFree(context.model, conv.path);
  return readablePatternOptions({
    inputSize: [H, W],
    sizeFree,
    maxSide: context.options.filterCanvas,
  });
}

/** The layer's channels, a batch at a time while time lasts; null when none was computed. */
async function layerPatterns(
  context: PackContext,
  conv: LayerInfo,
  outOfTime: () => boolean,
): Promise<LayerPatterns | null> {
  const o = context.options;
  const total = Math.min(conv.outputShape[3] ?? 0, o.filterChannels);
  const method = methodOptions(context, conv);
  const [H, W, C] = context.shape;
  const canvas = method.size ?? [H, W];
  const out: LayerPatterns = {
    conv,
    channels: [],
    images: [],
    losses: [],
    imageShape: [...storedSize(canvas, Math.max(64, o.filterCanvas)), C],
    canvas,
  };
  for (let start = 0; start < total; start += BATCH) {
    const channels = range(start, Math.min(total, start + BATCH));
    if (outOfTime()) {
      const what = `filters ${conv.path} channels ${start}-${total - 1}`;
      context.budget.skip(what, `filter time share of ${o.filterSeconds} s spent`);
      break;
    }
    const r = await filterPatterns(context.model, {
      ...method,
      layer: conv.path,
      channels,
      steps: o.filterSteps,
      batchSize: BATCH,
      inputRange: [0, 255 * context.scale],
    });
    const [h, w] = out.imageShape;
    out.channels.push(...r.channels);
    out.images.push(...r.images.map((img) => downscale(img, r.imageShape, [h, w])));
    out.losses.push(...r.losses);
  }
  return out.channels.length > 0 ? out : null;
}

/** The stored size: the canvas, shrunk (aspect kept) so its longest side is at most `maxSide`. */
export function storedSize(canvas: [number, number], maxSide: number): [number, number] {
  const [h, w] = canvas;
  const f = Math.min(1, maxSide / Math.max(h, w));
  return [Math.max(1, Math.round(h * f)), Math.max(1, Math.round(w * f))];
}

/** Area-average downscale of bytes `[h, w, depth]` to `[th, tw]` (a copy-free no-op when equal). */
export function downscale(
  img: Uint8Array,
  shape: [number, number, number],
  to: [number, number],
): Uint8Array {
  const [h, w, d] = shape;
  const [th, tw] = to;
  if (th === h && tw === w) return img;
  const out = new Uint8Array(th * tw * d);
  for (let y = 0; y < th; y++) {
    const y0 = Math.floor((y * h) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * h) / th));
    for (let x = 0; x < tw; x++) {
      const x0 = Math.floor((x * w) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * w) / tw));
      for (let c = 0; c < d; c++) {
        let sum = 0;
        for (let sy = y0; sy < y1; sy++)
          for (let sx = x0; sx < x1; sx++) sum += img[(sy * w + sx) * d + c]!;
        out[(y * tw + x) * d + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return out;
}

async function addLayerFile(context: PackContext, p: LayerPatterns): Promise<void> {
  const { model, split, options: o, given } = context;
  const [H, W, C] = context.shape;
  const count = Math.min(split.count, given.topKImages ?? split.count);
  const top = topActivatingImages({
    model,
    layer: p.conv.path,
    images: split.images.subarray(0, count * H * W * C),
    shape: [count, H, W, C],
    scale: context.scale,
    k: o.topK,
  });
  const [ph, pw, pd] = p.imageShape;
  const tiled = tileImages(p.images, ph, pw, pd);
  const totalChannels = p.conv.outputShape[3] ?? 0;
  context.budget.add({
    name: `${EXPLANATION_PREFIX}filters.${p.conv.path.replace(/\//g, '~')}.png`,
    kind: 'filters',
    mimeType: 'image/png',
    data: await gridPng(tiled, pd === 3 ? 3 : 1),
    metadata: {
      kind: 'filters',
      layer: p.conv.path,
      shape: p.conv.outputShape.slice(1),
      channel: p.channels,
      totalChannels,
      method: o.filterMethod ?? 'readable',
      canvas: p.canvas,
      imageShape: p.imageShape,
      steps: o.filterSteps,
      // Mean activation of each channel on its final pattern.
      losses: p.losses.map((v) => roundTo(v)),
      // Share of each pattern's spectral energy below 1/4 cycle per pixel (noise: about 0.2).
      lowFrequency: p.images.map((img) =>
        roundTo(lowFrequencyShare(img, { shape: p.imageShape }), 3),
      ),
      grid: { columns: tiled.columns, rows: tiled.rows, padding: 1, tileHeight: ph, tileWidth: pw },
      topK: p.channels.map((c) => ({
        channel: c,
        samples: Array.from(top.indices.subarray(c * top.k, (c + 1) * top.k)),
        values: Array.from(top.values.subarray(c * top.k, (c + 1) * top.k), (v) => roundTo(v)),
      })),
    },
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
