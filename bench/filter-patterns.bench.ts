/**
 * Filter patterns on fmnist-cnn (trained one epoch on part of the committed subset): seconds per
 * channel and per layer of the readable method (the pack's default) beside Chollet's plain
 * pixel-space ascent, the activation each reaches and the low-frequency share of the patterns;
 * then the filters stage of a default explanation pack (seconds, channels computed, bytes).
 * Used by `npm run bench` (key "filterPatterns"); standalone:
 *   npx tsx bench/filter-patterns.bench.ts [backend]
 * prints one JSON object. Not a test: nothing here asserts timings.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  buildExplanationPack,
  buildModel,
  DEFAULT_EXPLANATION_PACK,
  filterPatterns,
  getPreset,
  isSizeFree,
  loadFashionMnist,
  lowFrequencyShare,
  predictSplit,
  readablePatternOptions,
  selectBackend,
  type ImageSplit,
} from '@convscope/ml';

/** Figures of one conv layer. */
export interface FilterLayerFigures {
  channels: number;
  /** `[height, width]` of the readable method's canvas. */
  canvas: [number, number];
  /** Readable method, measured on `sample` channels. */
  secondsPerChannel: number;
  /** Every channel of the layer at that rate. */
  secondsPerLayer: number;
  plainSecondsPerChannel: number;
  /** Mean activation reached over the sampled channels. */
  activation: number;
  plainActivation: number;
  /** Mean share of spectral energy below 1/4 cycle per pixel (uniform noise: about 0.2). */
  lowFrequency: number;
  plainLowFrequency: number;
}

/** What {@link benchFilterPatterns} reports. */
export interface FilterPatternFigures {
  backend: string;
  steps: number;
  /** Channels timed per layer. */
  sample: number;
  layers: Record<string, FilterLayerFigures>;
  /** The filters stage of a default pack on the committed subset's test split. */
  pack: {
    seconds: number;
    channels: number;
    totalChannels: number;
    bytes: number;
    /** The whole default pack, every stage. */
    packSeconds: number;
    skipped: string[];
  };
}

const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);

async function trainedModel(split: ImageSplit): Promise<tf.LayersModel> {
  const model = buildModel(getPreset('fmnist-cnn'), { seed: 1 });
  const n = Math.min(split.count, 2048);
  const x = tf.tensor4d(
    Float32Array.from(split.images.subarray(0, n * 784), (v) => v / 255),
    [n, 28, 28, 1],
  );
  const y = tf.oneHot(tf.tensor1d(Array.from(split.labels.subarray(0, n)), 'int32'), 10);
  await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

async function layerFigures(
  model: tf.LayersModel,
  layer: string,
  options: { steps: number; sample: number },
): Promise<FilterLayerFigures> {
  const { steps, sample } = options;
  const channels = Array.from({ length: sample }, (_, i) => i);
  const total = model.getLayer(layer).outputShape[3] as number;
  const readable = readablePatternOptions({
    inputSize: [28, 28],
    sizeFree: isSizeFree(model, layer),
    maxSide: DEFAULT_EXPLANATION_PACK.filterCanvas,
  });
  let t0 = performance.now();
  const r = await filterPatterns(model, { layer, channels, steps, ...readable });
  const perChannel = (performance.now() - t0) / 1000 / sample;
  t0 = performance.now();
  const p = await filterPatterns(model, { layer, channels, steps });
  const plainPerChannel = (performance.now() - t0) / 1000 / sample;
  const [h, w, d] = r.imageShape;
  return {
    channels: total,
    canvas: [h, w],
    secondsPerChannel: round(perChannel),
    secondsPerLayer: round(perChannel * total, 2),
    plainSecondsPerChannel: round(plainPerChannel),
    activation: round(mean(r.losses), 4),
    plainActivation: round(mean(p.losses), 4),
    lowFrequency: round(mean(r.images.map((i) => lowFrequencyShare(i, { shape: [h, w, d] })))),
    plainLowFrequency: round(
      mean(p.images.map((i) => lowFrequencyShare(i, { shape: [28, 28, 1] }))),
    ),
  };
}

/**
 * Times the readable and the plain method per channel on each conv layer of a briefly trained
 * fmnist-cnn (`sample` channels each), then a default pack's filters stage.
 */
export async function benchFilterPatterns(
  options: { steps?: number; sample?: number } = {},
): Promise<FilterPatternFigures> {
  const steps = options.steps ?? 20;
  const sample = options.sample ?? 16;
  const ds = await loadFashionMnist();
  const model = await trainedModel(ds.train);
  const layers: Record<string, FilterLayerFigures> = {};
  for (const l of model.layers.filter((x) => x.getClassName() === 'Conv2D'))
    layers[l.name] = await layerFigures(model, l.name, { steps, sample });
  const probabilities = predictSplit(model, ds.test, { shape: [28, 28, 1], numClasses: 10 });
  // A default pack, so the filters stage runs after the CAM and activation stages as in a run.
  const { index } = await buildExplanationPack({
    model,
    split: ds.test,
    shape: [28, 28, 1],
    probabilities,
    classNames: ds.classNames,
    options: { filterSteps: steps },
  });
  const files = index.files.filter((f) => f.kind === 'filters');
  model.dispose();
  return {
    backend: tf.getBackend(),
    steps,
    sample,
    layers,
    pack: {
      seconds: index.timings.filters ?? 0,
      channels: files.reduce((n, f) => n + (f.metadata.channel as number[]).length, 0),
      totalChannels: files.reduce((n, f) => n + (f.metadata.totalChannels as number), 0),
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      packSeconds: index.timings.total ?? 0,
      skipped: index.skipped.map((x) => x.what),
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await selectBackend({ requested: process.argv[2] });
  console.log(JSON.stringify(await benchFilterPatterns()));
}
