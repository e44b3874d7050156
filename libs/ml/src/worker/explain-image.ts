/**
 * One on-demand explanation of an image by a model: top-k prediction, a class activation map,
 * any further methods with their faithfulness, and one layer's activations. Pure computation
 * (no API): the IMAGE job handler feeds it. Every tensor it creates is disposed.
 */
import * as tf from '@tensorflow/tfjs';
import { first } from '../util/checked';
import { channelStatistics, layerActivations } from '../explain/activations';
import { classActivationMap, type CamMethod } from '../explain/cam';
import { outputActivation } from '../explain/graph';
import { channelGrid, encodeImage } from '../explain/render';
import type { SaliencyResult } from '../explain/saliency';
import { convertForModel, type ImageConversion } from './convert-image';
import {
  explainMethods,
  type ExplainMethodName,
  type MethodBounds,
  type MethodExplanation,
  type SkippedMethod,
} from './explain-methods';

/** Parameters of a job, as the API stores them (null: the default). */
export interface ExplainJobParams {
  method: CamMethod;
  /** Methods of `result.methods` (absent in jobs stored before it existed: none computed). */
  methods?: ExplainMethodName[];
  classIndex: number | null;
  layer: string | null;
  topK: number;
  activationsLayer: string | null;
}

/** One class of the top-k prediction. */
export interface PredictedClass {
  classIndex: number;
  className: string;
  probability: number;
}

/** What a worker posts for an IMAGE job (the `result` of the ExplanationJob). */
export interface ExplanationResult {
  /** Top-k classes by softmax probability, most probable first. */
  predictions: PredictedClass[];
  cam: {
    method: CamMethod;
    layer: string;
    classIndex: number;
    className: string;
    /** The explained class's logit. */
    score: number;
    /** `[h, w]` of `map` (the layer's resolution). */
    mapShape: [number, number];
    /** The raw map after ReLU, rows. */
    map: number[][];
    /** `[H, W]` of `heatmap` (the model input's resolution). */
    heatmapShape: [number, number];
    /** `map` min-max normalised to [0, 1] and resized to the input, rows. */
    heatmap: number[][];
  };
  /** Each asked method's heatmap and faithfulness, in the asked order. */
  methods: MethodExplanation[];
  /** Methods asked for but not computed (time budget, Score-CAM cost), with the reason. */
  skipped: SkippedMethod[];
  activations: {
    layer: string;
    /** Shape without the batch axis, e.g. `[h, w, channels]` or `[units]`. */
    shape: number[];
    statistics: { mean: number[]; std: number[]; max: number[]; zeroFraction: number[] };
    /** Channel grid of a 4-D layer (null for other layers): PNG as base64. */
    grid: {
      pngBase64: string;
      width: number;
      height: number;
      columns: number;
      rows: number;
      scale: number;
      caption: string;
    } | null;
  };
  /** How the image was fitted to the model input (set by the job handler; steps empty: as is). */
  conversion?: ImageConversion;
  /** The model input `[H, W, C]` the image was decoded to. */
  inputShape: [number, number, number];
  backend: string;
  durationMs: number;
}

/** Nested rows `[h][w]` of a flat array. */
function rows(data: ArrayLike<number>, h: number, w: number): number[][] {
  return Array.from({ length: h }, (_, i) =>
    Array.from({ length: w }, (_, j) => data[i * w + j] as number),
  );
}

/** The model's input `[H, W, C]`; throws for inputs that are not fixed-size images. */
export function modelImageShape(model: tf.LayersModel): [number, number, number] {
  const shape = first(model.inputs, 'a model input').shape;
  const [, h, w, c] = shape;
  if (shape.length !== 4 || !h || !w || !c)
    throw new Error(`the model input [${shape.join(', ')}] is not a fixed-size image batch`);
  if (c !== 1 && c !== 3) throw new Error(`the model input has ${c} channels; only 1 or 3 work`);
  return [h, w, c];
}

/**
 * Decodes an image to the model's input `[1, H, W, C]` scaled to [0, 1] (what
 * `loadImageForModel` gives for the same image as a file: other channel counts and sizes are
 * converted), with the steps that took. The caller owns the tensor.
 */
export async function imageForModel(
  model: tf.LayersModel,
  bytes: Uint8Array,
): Promise<{ image: tf.Tensor4D; conversion: ImageConversion }> {
  const [h, w, c] = modelImageShape(model);
  const { pixels, conversion } = await convertForModel(bytes, [h, w, c]);
  const image = tf.tidy(() =>
    tf.mul<tf.Tensor4D>(tf.tensor4d(pixels, [1, h, w, c], 'float32'), 1 / 255),
  );
  return { image, conversion };
}

/** {@link imageForModel} without the conversion steps. The caller owns the tensor. */
export async function imageTensorForModel(
  model: tf.LayersModel,
  bytes: Uint8Array,
): Promise<tf.Tensor4D> {
  return (await imageForModel(model, bytes)).image;
}

/** Class probabilities of one image: the output itself after softmax, else its softmax. */
function probabilities(model: tf.LayersModel, image: tf.Tensor4D): Float32Array {
  const activation = outputActivation(model);
  return tf.tidy(() => {
    let out = model.predict(image) as tf.Tensor2D;
    if (out.shape[1] === 1) {
      // A binary model with one output unit: [1 - p, p].
      const p = activation === 'sigmoid' ? out : tf.sigmoid(out);
      out = tf.concat<tf.Tensor2D>([tf.sub(1, p), p], 1);
    } else if (activation !== 'softmax') {
      out = tf.softmax(out);
    }
    return Float32Array.from(out.dataSync());
  });
}

/** The channels of a `[h, w, c]` activation as one PNG grid (viridis), upscaled when small. */
async function activationGrid(
  act: { data: Float32Array; layer: string },
  shape: [number, number, number],
): Promise<NonNullable<ExplanationResult['activations']['grid']>> {
  const g = channelGrid({
    activations: act.data,
    shape,
    colormap: 'viridis',
    layerName: act.layer,
  });
  // Small feature maps are upscaled so a 7x7 tile is still visible on a page.
  const scale = Math.max(1, Math.min(8, Math.floor(256 / Math.max(g.width, g.height))));
  const png = await encodeImage({
    pixels: g.pixels,
    width: g.width,
    height: g.height,
    channels: g.channels,
    scale,
  });
  return {
    pngBase64: png.toString('base64'),
    width: g.width * scale,
    height: g.height * scale,
    columns: g.columns,
    rows: g.rows,
    scale,
    caption: g.caption,
  };
}

/** Top-k of the probabilities, most probable first (ties: lower index first). */
function topK(probs: Float32Array, k: number, name: (k: number) => string): PredictedClass[] {
  // Indices from probs.keys(): every probs[k] below exists.
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
  return order.slice(0, Math.max(1, Math.min(k, probs.length))).map((c) => ({
    classIndex: c,
    className: name(c),
    probability: probs[c]!,
  }));
}

/** One layer's activations with statistics and, for a 4-D layer, a channel grid. */
async function activationsOf(
  model: tf.LayersModel,
  image: tf.Tensor4D,
  layer: string,
): Promise<ExplanationResult['activations']> {
  const act = first(
    layerActivations({ model, images: image, layers: [layer] }),
    `activations of layer ${layer}`,
  );
  const stats = channelStatistics(act);
  const shape = act.shape.slice(1);
  const grid =
    shape.length === 3 ? await activationGrid(act, shape as [number, number, number]) : null;
  return {
    layer: act.layer,
    shape,
    statistics: {
      mean: Array.from(stats.mean),
      std: Array.from(stats.std),
      max: Array.from(stats.max),
      zeroFraction: Array.from(stats.zeroFraction),
    },
    grid,
  };
}

/**
 * Computes one explanation of `image` by `model`: top-k, class activation map (`params.method`),
 * each of `params.methods` with its faithfulness, and the activations of one layer (default: the
 * CAM layer) with a channel grid. Disposes everything it creates.
 * @param classNames display names by class index (indices are used where missing)
 */
export async function computeExplanation(
  model: tf.LayersModel,
  image: tf.Tensor4D,
  params: ExplainJobParams,
  classNames: readonly string[] = [],
  bounds: Partial<MethodBounds> = {},
): Promise<Omit<ExplanationResult, 'durationMs'>> {
  const name = (k: number) => classNames[k] ?? String(k);
  const probs = probabilities(model, image);
  const numClasses = probs.length;
  if (params.classIndex !== null && (params.classIndex < 0 || params.classIndex >= numClasses))
    throw new Error(
      `classIndex ${params.classIndex} is out of range: the model has ${numClasses} classes`,
    );
  let cam: SaliencyResult | undefined;
  const { methods, skipped } = explainMethods({
    model,
    image,
    methods: params.methods ?? [],
    layer: params.layer,
    classIndex: params.classIndex,
    classNames,
    bounds,
    // The CAM of result.cam is computed once when it is one of the methods too.
    onResult: (m, r) => {
      if (m === params.method) cam = r;
    },
  });
  // A CAM skipped for its cost is not computed for result.cam either: Grad-CAM stands in
  // (result.cam.method says so, result.skipped says why).
  const camMethod = skipped.some((m) => m.method === params.method) ? 'gradcam' : params.method;
  cam ??= classActivationMap({
    model,
    images: image,
    layer: params.layer ?? undefined,
    method: camMethod,
    classIndex: params.classIndex ?? undefined,
  });
  const [, h, w] = cam.mapShape;
  const [, H, W] = cam.heatmapShape;
  const camLayer = cam.layer!;
  const camClass = first(cam.classIndex, 'the CAM class');
  const [, iH, iW, iC] = image.shape;
  return {
    predictions: topK(probs, params.topK, name),
    cam: {
      method: camMethod,
      layer: camLayer,
      classIndex: camClass,
      className: name(camClass),
      score: first(cam.score, 'a CAM score'),
      mapShape: [h, w],
      map: rows(cam.map, h, w),
      heatmapShape: [H, W],
      heatmap: rows(cam.heatmap, H, W),
    },
    methods,
    skipped,
    activations: await activationsOf(model, image, params.activationsLayer ?? camLayer),
    inputShape: [iH, iW, iC],
    backend: tf.getBackend(),
  };
}
