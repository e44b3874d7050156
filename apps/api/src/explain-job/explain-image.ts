// Pure checks of an explain request (decorator-free, no database): its parameters, the uploaded
// image (decoded with sharp, so a corrupt file is refused before a worker sees it), and what the
// run's stored model.json says about its input and layers. The API cannot load the model
// (it never imports TensorFlow.js), so it reads the Keras topology JSON instead.
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { badInput } from '../common/errors';
import { isJsonObject } from '../common/json';

/** The class-activation-map methods a worker computes (libs/ml `CamMethod`). */
export const CAM_METHODS = ['gradcam', 'gradcampp', 'layercam', 'scorecam', 'eigencam'] as const;
/** One of {@link CAM_METHODS}. */
export type CamMethodName = (typeof CAM_METHODS)[number];

/** Input-attribution methods a worker computes (libs/ml input-attribution.ts). */
export const INPUT_METHODS = ['saliency', 'smoothgrad', 'integrated-gradients'] as const;
/** Every method a job may ask for: the CAMs at a layer, then the input attributions. */
export const EXPLAIN_METHODS = [...CAM_METHODS, ...INPUT_METHODS] as const;
/** One of {@link EXPLAIN_METHODS}. */
export type ExplainMethodName = (typeof EXPLAIN_METHODS)[number];
/** Most methods one job computes (bounds a job's work: Score-CAM alone is a pass per channel). */
export const MAX_METHODS = 4;

/** Largest accepted `topK`. */
export const MAX_TOP_K = 100;
/** Largest accepted image, in pixels (a decoded 16-megapixel RGBA image is 64 MiB). */
export const MAX_IMAGE_PIXELS = 16_777_216;

/** The parameters of an explanation (the cache key covers exactly these). */
export interface ExplainParams {
  /** The CAM method of `result.cam` (the first CAM in `methods`, else gradcam). */
  method: CamMethodName;
  /** Every method the worker computes into `result.methods`, each once, in the asked order. */
  methods: ExplainMethodName[];
  /** Class the CAM explains; null: the predicted class. */
  classIndex: number | null;
  /** CAM layer path or unique name; null: the worker's default (last 4-D layer). */
  layer: string | null;
  /** Number of classes in the prediction. */
  topK: number;
  /** Layer whose activations are returned; null: the CAM layer. */
  activationsLayer: string | null;
}

function field(raw: Record<string, unknown>, name: string): unknown {
  const v = raw[name];
  return v === '' ? undefined : v;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max)
    throw badInput(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
      {
        field: name,
      },
    );
  return n;
}

function layerName(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 200 || /[\u0000-\u001f]/.test(value))
    throw badInput(`${name} must be a layer name of 1-200 printable characters`, { field: name });
  return value;
}

/**
 * Parses the explain parameters from query-string values, form fields or a JSON object
 * (numbers may arrive as strings). Unknown names are ignored (e.g. `wait`).
 * @throws BAD_USER_INPUT naming the parameter
 */
export function parseExplainParams(raw: Record<string, unknown>): ExplainParams {
  const methods = parseMethods(field(raw, 'methods'));
  const firstCam = methods?.find((m): m is CamMethodName =>
    (CAM_METHODS as readonly string[]).includes(m),
  );
  const method = field(raw, 'method') ?? firstCam ?? 'gradcam';
  if (typeof method !== 'string' || !(CAM_METHODS as readonly string[]).includes(method))
    throw badInput(
      `method must be one of ${CAM_METHODS.join(', ')}, got ${JSON.stringify(method)}`,
      {
        field: 'method',
      },
    );
  const classRaw = field(raw, 'classIndex');
  const topKRaw = field(raw, 'topK');
  return {
    method: method as CamMethodName,
    methods: methods ?? [method as CamMethodName],
    classIndex:
      classRaw === undefined || classRaw === null
        ? null
        : integer(classRaw, 'classIndex', 0, 1_000_000),
    layer: layerName(field(raw, 'layer'), 'layer'),
    topK: topKRaw === undefined || topKRaw === null ? 5 : integer(topKRaw, 'topK', 1, MAX_TOP_K),
    activationsLayer: layerName(field(raw, 'activationsLayer'), 'activationsLayer'),
  };
}

/**
 * Parses `methods`: a list, or one comma-separated string (a query string or form field); null
 * when absent. Duplicates are dropped, the order kept.
 * @throws BAD_USER_INPUT naming an unknown method, or an empty or too long list
 */
export function parseMethods(value: unknown): ExplainMethodName[] | null {
  if (value === undefined || value === null) return null;
  const list: unknown[] =
    typeof value === 'string'
      ? value.split(',').map((m) => m.trim())
      : Array.isArray(value)
        ? value
        : [value];
  const known = EXPLAIN_METHODS as readonly string[];
  const out: ExplainMethodName[] = [];
  for (const m of list) {
    if (typeof m !== 'string' || !known.includes(m))
      throw badInput(
        `methods must list methods out of ${EXPLAIN_METHODS.join(', ')}, got ${JSON.stringify(m)}`,
        { field: 'methods' },
      );
    if (!out.includes(m as ExplainMethodName)) out.push(m as ExplainMethodName);
  }
  if (out.length === 0 || out.length > MAX_METHODS)
    throw badInput(`methods must list 1 to ${MAX_METHODS} methods, got ${out.length}`, {
      field: 'methods',
    });
  return out;
}

/**
 * The parameters as canonical JSON (fixed key order), the text the cache key hashes. `methods`
 * is written only when it is more than `[method]`, so jobs from before it existed keep their key.
 */
export function canonicalParams(p: ExplainParams): string {
  const onlyCam = p.methods.length === 1 && p.methods[0] === p.method;
  return JSON.stringify({
    method: p.method,
    ...(onlyCam ? {} : { methods: p.methods }),
    classIndex: p.classIndex,
    layer: p.layer,
    topK: p.topK,
    activationsLayer: p.activationsLayer,
  });
}

/** Where an explained image came from: sample `index` of a run's stored `split` images. */
export interface SampleSource {
  split: string;
  index: number;
}

/** sha256 (hex) of bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Cache key of an explanation: the image's hash and the canonical parameters, hashed. */
export function explainCacheKey(
  imageSha256: string,
  params: ExplainParams,
  source: SampleSource | null = null,
): string {
  // A sample's job is its own (the source is recorded on it): two identical images at two
  // indices get two jobs, so each links back to the sample it was asked for.
  const from = source ? `\nsample ${source.split} ${source.index}` : '';
  return sha256(`${imageSha256}\n${canonicalParams(params)}${from}`);
}

/** What the API learnt from decoding an uploaded image. */
export interface ImageInfo {
  format: 'png' | 'jpeg';
  mimeType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** Colour channels, alpha not counted: 1 (grayscale) or 3 (RGB). */
  colourChannels: number;
  hasAlpha: boolean;
}

/**
 * Decodes the whole image (a truncated or damaged file fails here, not in the worker).
 * @throws BAD_USER_INPUT (field `image`) naming the problem: empty, not an image, not PNG or
 *   JPEG, corrupt, or too many pixels
 */
export async function inspectImage(bytes: Uint8Array): Promise<ImageInfo> {
  const bad = (message: string) => badInput(message, { field: 'image' });
  if (bytes.length === 0) throw bad('The upload is empty: send a PNG or JPEG image as the body');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
  } catch (err) {
    throw bad(`The upload is not a readable image: ${(err as Error).message}`);
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg')
    throw bad(`The upload is a ${String(meta.format)} image; only PNG and JPEG are accepted`);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_IMAGE_PIXELS)
    throw bad(`The image is ${width} x ${height}; at most ${MAX_IMAGE_PIXELS} pixels are accepted`);
  try {
    // failOn 'warning' (sharp's default, spelt out): a truncated PNG/JPEG is an error.
    await sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS }).raw().toBuffer();
  } catch (err) {
    throw bad(`The ${meta.format.toUpperCase()} image is corrupt: ${(err as Error).message}`);
  }
  const hasAlpha = meta.hasAlpha === true;
  const channels = meta.channels ?? 0;
  return {
    format: meta.format,
    mimeType: meta.format === 'png' ? 'image/png' : 'image/jpeg',
    width,
    height,
    colourChannels: hasAlpha ? channels - 1 : channels,
    hasAlpha,
  };
}

/** Describes a channel count for messages. */
export function channelWords(c: number): string {
  return c === 1 ? '1 channel (grayscale)' : c === 3 ? '3 channels (RGB)' : `${c} channels`;
}

/** What model.json says about a stored model. */
export interface ModelInfo {
  /** Input shape without the batch dimension, e.g. [28, 28, 1]; null when not found. */
  inputShape: (number | null)[] | null;
  /** Every layer name in the topology, nested models' layers included. */
  layerNames: Set<string>;
  /** Weight files the manifest names (artifacts of the same run, e.g. weights.bin). */
  weightFiles: string[];
}

/** The Keras model config inside a TF.js model.json (`modelTopology`, maybe wrapped in model_config). */
function modelConfig(json: unknown): Record<string, unknown> | null {
  if (!isJsonObject(json)) return null;
  let topology = json.modelTopology;
  if (isJsonObject(topology) && isJsonObject(topology.model_config))
    topology = topology.model_config;
  return isJsonObject(topology) ? topology : null;
}

function batchInputShape(layerConfig: unknown): (number | null)[] | null {
  if (!isJsonObject(layerConfig)) return null;
  const s = layerConfig.batch_input_shape ?? layerConfig.batchInputShape;
  return Array.isArray(s) && s.every((d) => d === null || typeof d === 'number')
    ? (s as (number | null)[])
    : null;
}

/**
 * Reads the input shape and layer names from the text of a TF.js LayersModel `model.json`
 * (Sequential: the first layer's batch_input_shape; functional: the first input layer's).
 * @throws Error when the text is not a LayersModel topology
 */
export function readModelInfo(modelJsonText: string): ModelInfo {
  let json: unknown;
  try {
    json = JSON.parse(modelJsonText);
  } catch (err) {
    throw new Error(`model.json is not JSON: ${(err as Error).message}`);
  }
  const top = modelConfig(json);
  if (!top || !isJsonObject(top.config))
    throw new Error('model.json has no modelTopology (not a TF.js LayersModel)');
  const layerNames = new Set<string>();
  const collect = (config: unknown) => {
    if (!isJsonObject(config) || !Array.isArray(config.layers)) return;
    for (const l of config.layers) {
      if (!isJsonObject(l)) continue;
      const name = isJsonObject(l.config) ? l.config.name : undefined;
      if (typeof name === 'string') layerNames.add(name);
      if (typeof l.name === 'string') layerNames.add(l.name);
      collect(l.config);
    }
  };
  collect(top.config);
  const config = top.config;
  const layers = Array.isArray(config.layers) ? config.layers.filter(isJsonObject) : [];
  let shape: (number | null)[] | null = null;
  const inputNames = Array.isArray(config.input_layers)
    ? config.input_layers.map((x) => (Array.isArray(x) ? x[0] : undefined))
    : [];
  const input = layers.find((l) => l.name !== undefined && l.name === inputNames[0]);
  shape = batchInputShape(input?.config) ?? batchInputShape(layers[0]?.config);
  const weightFiles = new Set<string>();
  const manifest =
    isJsonObject(json) && Array.isArray(json.weightsManifest) ? json.weightsManifest : [];
  for (const group of manifest)
    if (isJsonObject(group) && Array.isArray(group.paths))
      for (const p of group.paths) if (typeof p === 'string') weightFiles.add(p);
  return { inputShape: shape ? shape.slice(1) : null, layerNames, weightFiles: [...weightFiles] };
}

/**
 * True when every `/`-separated part of a layer path is a layer of the model (paths address
 * layers inside nested models, e.g. `base/conv2`).
 */
export function hasLayer(info: ModelInfo, path: string): boolean {
  return path.split('/').every((part) => info.layerNames.has(part));
}
