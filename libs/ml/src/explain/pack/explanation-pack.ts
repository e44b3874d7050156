/**
 * The explanation pack of a run: a bounded set of explanations computed once at the end of a
 * tracked run (or later on a stored run) and stored with it as artifacts, so the dashboard can
 * show what the network sees without running a model in the browser.
 *
 * For a fixed, deterministic set of test samples (some correct, some misclassified, at least one
 * per class when the budget allows): class activation maps for the true and the predicted class
 * with several methods and their deletion/insertion faithfulness, every layer's activation grid,
 * filter patterns of every conv layer with the test images that activate each channel most,
 * input-gradient saliency and LIME for a few samples. Maps are stored as raw data (8-bit
 * grayscale PNGs of the [0, 1] heatmap, JSON for LIME), so the dashboard blends and colours them
 * itself; one index artifact ({@link EXPLANATION_INDEX_NAME}) lists every file with its metadata.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../../data/dataset';
import { channelStatistics, layerActivations, topActivatingImages } from '../activations';
import { classActivationMap, type CamMethod } from '../cam';
import { faithfulness } from '../faithfulness';
import { filterPatterns } from '../filter-patterns';
import { defaultCamLayer, listLayers, outputActivation } from '../graph';
import { smoothGrad, vanillaGradients } from '../input-attribution';
import { explainImage } from '../lime';
import { channelGrid, encodeImage } from '../render';
import type { SaliencyResult } from '../saliency';
import { existsSync } from 'node:fs';
import { selectBackend } from '../../backend/select-backend';
import { loadFashionMnist } from '../../data/fashion-mnist';
import { createGraphqlClient } from '../../tracking/graphql-client';
import { loadModelFromApi } from '../../tracking/api-model';
import { RunTracker } from '../../tracking/run-tracker';
import { predictSplit } from '../../evaluation/predict-split';

/** Name of the index artifact that lists every file of the pack. */
export const EXPLANATION_INDEX_NAME = 'explain.index.json';

/** Prefix of every artifact name of the pack (no `/`: artifact routes take one path segment). */
export const EXPLANATION_PREFIX = 'explain.';

/** What an explanation pack computes; every field has a default. */
export interface ExplanationPackOptions {
  /** Test samples explained (default 12); 0 disables the pack. */
  samples?: number;
  /** CAM methods (default gradcam, gradcampp, layercam, eigencam, and scorecam when cheap). */
  camMethods?: CamMethod[];
  /** CAM layer (default: the last layer with a 4-D output). */
  camLayer?: string;
  /** Score-CAM is added when channels x samples stays at or below this (default 2048). */
  scoreCamMaxPasses?: number;
  /** Points of the deletion/insertion curves (default 10). */
  faithfulnessSteps?: number;
  /** Channels drawn per activation grid (default 64). */
  gridChannels?: number;
  /** Channels per conv layer whose filter pattern is computed (default 16; 0 skips filters). */
  filterChannels?: number;
  /** Gradient-ascent steps per filter pattern (default 20). */
  filterSteps?: number;
  /** Top activating test images listed per channel (default 6). */
  topK?: number;
  /** Test images searched for the top activating ones (default: the whole split). */
  topKImages?: number;
  /** Samples with vanilla-gradient and SmoothGrad saliency (default 3). */
  saliencySamples?: number;
  /** Noisy copies per SmoothGrad sample (default 16). */
  smoothGradSamples?: number;
  /** Samples explained with LIME (default 2; it is the slowest part). */
  limeSamples?: number;
  /** Perturbed images per LIME explanation (default 300). */
  limePerturbations?: number;
  /** Superpixels asked of SLIC for LIME (default 25). */
  limeSegments?: number;
  /** Byte budget of all the pack's files (default 4 MiB); files past it are left out and listed. */
  maxBytes?: number;
  /** Time budget in seconds (default 60): stages not started by then are skipped and listed. */
  maxSeconds?: number;
}

/** Defaults of {@link ExplanationPackOptions}. */
export const DEFAULT_EXPLANATION_PACK = {
  samples: 12,
  scoreCamMaxPasses: 2048,
  faithfulnessSteps: 10,
  gridChannels: 64,
  filterChannels: 16,
  filterSteps: 20,
  topK: 6,
  saliencySamples: 3,
  smoothGradSamples: 16,
  limeSamples: 2,
  limePerturbations: 300,
  limeSegments: 25,
  maxBytes: 4 * 1024 * 1024,
  maxSeconds: 60,
} as const;

/** One explained sample of the pack. */
export interface PackSample {
  /** Index in the test split (= the sample index of the run's predictions and images). */
  index: number;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
  correct: boolean;
}

/** One file of the pack as listed in the index. */
export interface PackEntry {
  name: string;
  kind: string;
  mimeType: string;
  bytes: number;
  metadata: Record<string, unknown>;
}

/** The index artifact's content. */
export interface ExplanationIndex {
  version: 1;
  createdAt: string;
  classNames: string[];
  /** `[height, width, channels]` of the inputs. */
  imageShape: [number, number, number];
  camLayer: string | null;
  camMethods: CamMethod[];
  /** Every layer in order (nested models' inner layers under `base/...`). */
  layers: { path: string; className: string; outputShape: (number | null)[] }[];
  samples: PackSample[];
  files: PackEntry[];
  /** Bytes of every file listed (the index itself not included). */
  totalBytes: number;
  /** Seconds per stage. */
  timings: Record<string, number>;
  /** What was left out and why (budget of time or bytes, or an error of one stage). */
  skipped: { what: string; reason: string }[];
  /** The options in effect. */
  options: Record<string, unknown>;
}

/** A file ready to upload. */
export interface PackFile extends PackEntry {
  data: Uint8Array;
}

/** What {@link buildExplanationPack} explains. */
export interface ExplanationPackInput {
  model: tf.LayersModel;
  /** The evaluated split (bytes `[count, H, W, C]`). */
  split: ImageSplit;
  shape: [number, number, number];
  /** Row-major `[count, columns]` probabilities of the split (one column for sigmoid models). */
  probabilities: Float32Array;
  classNames: readonly string[];
  /** Multiplier of the pixel bytes, as the model was trained (default 1/255). */
  scale?: number;
  options?: ExplanationPackOptions;
}

/**
 * The samples of a pack, deterministic: the most confident mistakes first (about a quarter of
 * `n`, at least one when there is a mistake), then for every class not yet covered its most
 * confident correct sample (or any sample of it), then more mistakes and correct samples until
 * `n`. Sorted by index.
 * @param labels true class per sample
 * @param predicted predicted class per sample
 * @param confidence probability of the predicted class per sample
 * @param n how many samples (fewer when the split is smaller)
 */
export function selectPackSamples(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  confidence: ArrayLike<number>,
  n: number,
): number[] {
  const count = labels.length;
  const all = Array.from({ length: count }, (_, i) => i);
  const byConfidence = (a: number, b: number) => confidence[b] - confidence[a] || a - b;
  const mistakes = all.filter((i) => labels[i] !== predicted[i]).sort(byConfidence);
  const correct = all.filter((i) => labels[i] === predicted[i]).sort(byConfidence);
  const chosen = new Set<number>();
  const want = Math.min(n, count);
  for (const i of mistakes.slice(0, Math.min(mistakes.length, Math.max(1, Math.floor(want / 4)))))
    if (chosen.size < want) chosen.add(i);
  const covered = new Set(Array.from(chosen, (i) => labels[i]));
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  for (const c of classes) {
    if (chosen.size >= want || covered.has(c)) continue;
    const pick = correct.find((i) => labels[i] === c) ?? all.find((i) => labels[i] === c);
    if (pick !== undefined) {
      chosen.add(pick);
      covered.add(c);
    }
  }
  for (const i of [...mistakes, ...correct]) {
    if (chosen.size >= want) break;
    chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Correct and misclassified samples alternately (for the few samples of the slow methods). */
function mixed(samples: PackSample[], n: number): PackSample[] {
  const right = samples.filter((s) => s.correct);
  const wrong = samples.filter((s) => !s.correct);
  const out: PackSample[] = [];
  while (out.length < Math.min(n, samples.length)) {
    const next =
      (out.length % 2 === 0 ? right.shift() : wrong.shift()) ?? right.shift() ?? wrong.shift();
    if (next) out.push(next);
  }
  return out;
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** Heatmap in [0, 1] as 8-bit grayscale PNG bytes. */
async function grayPng(
  values: ArrayLike<number>,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = Math.round(255 * Math.min(1, Math.max(0, values[i])));
  return encodeImage({ pixels, width, height, channels: 1 });
}

/** Images `[h, w, depth]` tiled in a near-square grid with 1-pixel white padding. */
export function tileImages(
  images: Uint8Array[],
  h: number,
  w: number,
  depth: number,
): { pixels: Uint8Array; width: number; height: number; columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(images.length)));
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const width = columns * (w + 1) + 1;
  const height = rows * (h + 1) + 1;
  const pixels = new Uint8Array(width * height * depth).fill(255);
  images.forEach((img, i) => {
    const x0 = 1 + (i % columns) * (w + 1);
    const y0 = 1 + Math.floor(i / columns) * (h + 1);
    for (let y = 0; y < h; y++)
      pixels.set(img.subarray(y * w * depth, (y + 1) * w * depth), ((y0 + y) * width + x0) * depth);
  });
  return { pixels, width, height, columns, rows };
}

/**
 * Computes the pack (nothing is uploaded): the files and the index listing them. Bounded by
 * `maxBytes` and `maxSeconds`; disposes every tensor it makes.
 */
export async function buildExplanationPack(
  input: ExplanationPackInput,
): Promise<{ files: PackFile[]; index: ExplanationIndex }> {
  const started = performance.now();
  // Undefined fields (unset CLI flags) keep their defaults.
  const given = Object.fromEntries(
    Object.entries(input.options ?? {}).filter(([, v]) => v !== undefined),
  ) as ExplanationPackOptions;
  const o = { ...DEFAULT_EXPLANATION_PACK, ...given };
  const { model, split, shape, probabilities } = input;
  const [H, W, C] = shape;
  const pixels = H * W * C;
  const scale = input.scale ?? 1 / 255;
  const columns = probabilities.length / split.count;
  const binary = columns === 1;
  // Per-sample prediction; a sigmoid column is P(class 1).
  const predicted = new Int32Array(split.count);
  const confidence = new Float32Array(split.count);
  for (let i = 0; i < split.count; i++) {
    if (binary) {
      const p = probabilities[i];
      predicted[i] = p >= 0.5 ? 1 : 0;
      confidence[i] = p >= 0.5 ? p : 1 - p;
    } else {
      let best = 0;
      for (let c = 1; c < columns; c++)
        if (probabilities[i * columns + c] > probabilities[i * columns + best]) best = c;
      predicted[i] = best;
      confidence[i] = probabilities[i * columns + best];
    }
  }
  const samples: PackSample[] = selectPackSamples(
    split.labels,
    predicted,
    confidence,
    o.samples,
  ).map((index) => ({
    index,
    label: split.labels[index],
    predicted: predicted[index],
    confidence: round(confidence[index]),
    correct: split.labels[index] === predicted[index],
  }));
  const layers = listLayers(model);
  const files: PackFile[] = [];
  const skipped: { what: string; reason: string }[] = [];
  const timings: Record<string, number> = {};
  let totalBytes = 0;
  const add = (file: Omit<PackFile, 'bytes'>): void => {
    if (totalBytes + file.data.length > o.maxBytes) {
      skipped.push({ what: file.name, reason: `byte budget of ${o.maxBytes} reached` });
      return;
    }
    totalBytes += file.data.length;
    files.push({ ...file, bytes: file.data.length });
  };
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const imagesOf = (list: PackSample[]): tf.Tensor4D => {
    const x = new Float32Array(list.length * pixels);
    list.forEach((s, i) => {
      for (let p = 0; p < pixels; p++)
        x[i * pixels + p] = split.images[s.index * pixels + p] * scale;
    });
    return tf.tensor4d(x, [list.length, H, W, C]);
  };
  // A stage runs unless the time budget is spent; its failure is listed, the pack goes on.
  const stage = async (name: string, fn: () => Promise<void>): Promise<void> => {
    const t0 = performance.now();
    if ((t0 - started) / 1000 > o.maxSeconds) {
      skipped.push({ what: name, reason: `time budget of ${o.maxSeconds} s spent` });
      return;
    }
    try {
      await fn();
    } catch (err) {
      skipped.push({ what: name, reason: err instanceof Error ? err.message : String(err) });
    }
    timings[name] = round((performance.now() - t0) / 1000, 3);
  };

  let camLayer: string | null = null;
  let camMethods: CamMethod[] = [];
  await stage('gradcam', async () => {
    if (samples.length === 0) return;
    const info = o.camLayer ? layers.find((l) => l.path === o.camLayer) : defaultCamLayer(model);
    if (!info) throw new Error(`unknown CAM layer "${o.camLayer}"`);
    camLayer = info.path;
    const channels = info.outputShape[3] ?? 0;
    camMethods =
      given.camMethods ??
      (['gradcam', 'gradcampp', 'layercam', 'eigencam'] as CamMethod[]).concat(
        channels * samples.length <= o.scoreCamMaxPasses ? ['scorecam'] : [],
      );
    // A sigmoid model has one logit (evidence for class 1): its maps explain class 1 only.
    const targets: {
      target: 'true' | 'predicted';
      list: PackSample[];
      cls: (s: PackSample) => number;
    }[] = binary
      ? [{ target: 'predicted', list: samples, cls: () => 0 }]
      : [
          { target: 'true', list: samples, cls: (s) => s.label },
          { target: 'predicted', list: samples.filter((s) => !s.correct), cls: (s) => s.predicted },
        ];
    for (const { target, list, cls } of targets) {
      if (list.length === 0) continue;
      const images = imagesOf(list);
      try {
        const classIndex = list.map(cls);
        for (const method of camMethods) {
          const r = classActivationMap({ model, images, layer: camLayer, classIndex, method });
          const f = faithfulness({
            model,
            images,
            saliency: r.heatmap,
            classIndex,
            steps: o.faithfulnessSteps,
          });
          for (let i = 0; i < list.length; i++) {
            const s = list[i];
            const classOut = binary ? 1 : classIndex[i];
            add({
              name: `${EXPLANATION_PREFIX}s${s.index}.cam.${method}.c${classOut}.png`,
              kind: 'gradcam',
              mimeType: 'image/png',
              data: await grayPng(r.heatmap.subarray(i * H * W, (i + 1) * H * W), W, H),
              metadata: {
                kind: 'gradcam',
                method,
                layer: camLayer,
                sample: s.index,
                classIndex: classOut,
                target: target === 'true' && s.correct ? 'true+predicted' : target,
                shape: [H, W],
                mapShape: r.mapShape.slice(1),
                format: 'gray8-png',
                score: round(r.score[i]),
                deletionAuc: round(f.deletionAuc[i]),
                insertionAuc: round(f.insertionAuc[i]),
              },
            });
          }
        }
      } finally {
        images.dispose();
      }
    }
  });

  await stage('activations', async () => {
    if (samples.length === 0) return;
    const images = imagesOf(samples);
    let acts;
    try {
      acts = layerActivations({ model, images });
    } finally {
      images.dispose();
    }
    const order = new Map(layers.map((l, i) => [l.path, i]));
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      const summary = [];
      for (const a of acts) {
        const per = a.data.length / samples.length;
        const one = a.data.subarray(i * per, (i + 1) * per);
        const shapeOne = a.shape.slice(1);
        const stats = channelStatistics({ shape: shapeOne, data: one });
        const entry: Record<string, unknown> = {
          layer: a.layer,
          order: order.get(a.layer),
          shape: shapeOne,
          mean: Array.from(stats.mean, (v) => round(v)),
          max: Array.from(stats.max, (v) => round(v)),
          zeroFraction: Array.from(stats.zeroFraction, (v) => round(v, 3)),
        };
        if (shapeOne.length === 1 && shapeOne[0] <= 1024)
          entry.values = Array.from(one, (v) => round(v));
        summary.push(entry);
        if (shapeOne.length !== 3) continue;
        const [h, w, c] = shapeOne as [number, number, number];
        const drawn = Array.from({ length: Math.min(c, o.gridChannels) }, (_, k) => k);
        const grid = channelGrid({
          activations: one,
          shape: [h, w, c],
          channels: drawn,
          layerName: a.layer,
        });
        add({
          name: `${EXPLANATION_PREFIX}s${s.index}.act.${a.layer.replace(/\//g, '~')}.png`,
          kind: 'activations',
          mimeType: 'image/png',
          data: await encodeImage({
            pixels: grid.pixels,
            width: grid.width,
            height: grid.height,
            channels: 1,
          }),
          metadata: {
            kind: 'activations',
            layer: a.layer,
            order: order.get(a.layer),
            sample: s.index,
            shape: [h, w, c],
            channels: drawn.length,
            grid: {
              columns: grid.columns,
              rows: grid.rows,
              padding: 1,
              tileHeight: h,
              tileWidth: w,
            },
            caption: grid.caption,
          },
        });
      }
      add({
        name: `${EXPLANATION_PREFIX}s${s.index}.act.summary.json`,
        kind: 'activations-summary',
        mimeType: 'application/json',
        data: json({ sample: s.index, layers: summary }),
        metadata: { kind: 'activations-summary', sample: s.index, layers: summary.length },
      });
    }
  });

  await stage('filters', async () => {
    if (o.filterChannels <= 0) return;
    const convs = layers.filter((l) => !l.nested && l.className === 'Conv2D');
    const count = Math.min(split.count, given.topKImages ?? split.count);
    for (const conv of convs) {
      if ((performance.now() - started) / 1000 > o.maxSeconds) {
        skipped.push({
          what: `filters ${conv.path}`,
          reason: `time budget of ${o.maxSeconds} s spent`,
        });
        continue;
      }
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
        images: split.images.subarray(0, count * pixels),
        shape: [count, H, W, C],
        scale,
        k: o.topK,
      });
      const [ph, pw, pd] = patterns.imageShape;
      const tiled = tileImages(patterns.images, ph, pw, pd);
      add({
        name: `${EXPLANATION_PREFIX}filters.${conv.path.replace(/\//g, '~')}.png`,
        kind: 'filters',
        mimeType: 'image/png',
        data: await encodeImage({
          pixels: tiled.pixels,
          width: tiled.width,
          height: tiled.height,
          channels: pd as 1 | 3,
        }),
        metadata: {
          kind: 'filters',
          layer: conv.path,
          shape: conv.outputShape.slice(1),
          channel: channels,
          imageShape: patterns.imageShape,
          steps: o.filterSteps,
          losses: patterns.losses.map((v) => round(v)),
          grid: {
            columns: tiled.columns,
            rows: tiled.rows,
            padding: 1,
            tileHeight: ph,
            tileWidth: pw,
          },
          topK: channels.map((c) => ({
            channel: c,
            samples: Array.from(top.indices.subarray(c * top.k, (c + 1) * top.k)),
            values: Array.from(top.values.subarray(c * top.k, (c + 1) * top.k), (v) => round(v)),
          })),
        },
      });
    }
  });

  await stage('saliency', async () => {
    const list = mixed(samples, o.saliencySamples);
    if (list.length === 0) return;
    const images = imagesOf(list);
    try {
      const classIndex = binary ? 0 : list.map((s) => s.predicted);
      const results: SaliencyResult[] = [
        vanillaGradients({ model, images, classIndex }),
        smoothGrad({ model, images, classIndex, samples: o.smoothGradSamples }),
      ];
      for (const r of results)
        for (let i = 0; i < list.length; i++) {
          const s = list[i];
          add({
            name: `${EXPLANATION_PREFIX}s${s.index}.saliency.${r.method}.png`,
            kind: 'saliency',
            mimeType: 'image/png',
            data: await grayPng(r.heatmap.subarray(i * H * W, (i + 1) * H * W), W, H),
            metadata: {
              kind: 'saliency',
              method: r.method,
              sample: s.index,
              classIndex: binary ? 1 : r.classIndex[i],
              shape: [H, W],
              format: 'gray8-png',
            },
          });
        }
    } finally {
      images.dispose();
    }
  });

  await stage('lime', async () => {
    for (const s of mixed(samples, o.limeSamples)) {
      const image = Float32Array.from(
        split.images.subarray(s.index * pixels, (s.index + 1) * pixels),
        (v) => v * scale,
      );
      const r = await explainImage({
        image,
        width: W,
        height: H,
        channels: C as 1 | 3,
        predict: model,
        classIndex: s.predicted,
        numSamples: o.limePerturbations,
        numSegments: o.limeSegments,
        maxValue: 255 * scale,
      });
      add({
        name: `${EXPLANATION_PREFIX}s${s.index}.lime.json`,
        kind: 'lime',
        mimeType: 'application/json',
        data: json({
          width: W,
          height: H,
          numSegments: r.segmentation.numSegments,
          labels: Array.from(r.segmentation.labels),
          coefficients: Array.from(r.coefficients, (v) => round(v, 5)),
          positive: r.positive.map((p) => ({ segment: p.segment, weight: round(p.weight, 5) })),
          negative: r.negative.map((p) => ({ segment: p.segment, weight: round(p.weight, 5) })),
          intercept: round(r.intercept, 5),
          score: round(r.score),
          originalPrediction: round(r.originalPrediction),
          localPrediction: round(r.localPrediction),
        }),
        metadata: {
          kind: 'lime',
          method: 'lime',
          sample: s.index,
          classIndex: r.classIndex,
          shape: [H, W],
          numSegments: r.segmentation.numSegments,
          perturbations: o.limePerturbations,
          score: round(r.score),
        },
      });
    }
  });

  timings.total = round((performance.now() - started) / 1000, 3);
  const index: ExplanationIndex = {
    version: 1,
    createdAt: new Date().toISOString(),
    classNames: [...input.classNames],
    imageShape: shape,
    camLayer,
    camMethods,
    layers: layers
      .filter((l) => !l.nested)
      .map((l) => ({ path: l.path, className: l.className, outputShape: l.outputShape })),
    samples,
    files: files.map(({ data: _data, ...entry }) => entry),
    totalBytes,
    timings,
    skipped,
    options: { ...o, output: outputActivation(model) },
  };
  return { files, index };
}

/** What {@link logExplanationPack} reports. */
export interface ExplanationPackResult {
  index: ExplanationIndex;
  /** Files uploaded, the index included. */
  uploaded: number;
  /** Wall time of computing and uploading, seconds. */
  seconds: number;
}

/**
 * Computes the pack and stores it with a run: every file, then the index last (so a dashboard
 * that sees the index finds every file it lists). Uploads run four at a time.
 */
export async function logExplanationPack(
  tracker: RunTracker,
  input: ExplanationPackInput,
): Promise<ExplanationPackResult | null> {
  if ((input.options?.samples ?? DEFAULT_EXPLANATION_PACK.samples) <= 0) return null;
  const t0 = performance.now();
  const { files, index } = await buildExplanationPack(input);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      await tracker.uploadArtifact(f.name, f.data, {
        kind: f.kind,
        mimeType: f.mimeType,
        metadata: f.metadata,
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  index.timings.upload = round((performance.now() - t0) / 1000 - index.timings.total, 3);
  await tracker.uploadArtifact(
    EXPLANATION_INDEX_NAME,
    new TextEncoder().encode(JSON.stringify(index)),
    {
      kind: 'explanations',
      mimeType: 'application/json',
      metadata: {
        kind: 'explanations',
        files: files.length,
        totalBytes: index.totalBytes,
        samples: index.samples.length,
      },
    },
  );
  return { index, uploaded: files.length + 1, seconds: (performance.now() - t0) / 1000 };
}

/**
 * {@link logExplanationPack} for the end of a training run: a failure is reported on stderr and
 * does not fail the run (the model and its evaluation are already stored).
 */
export async function tryLogExplanationPack(
  tracker: RunTracker,
  input: ExplanationPackInput,
): Promise<ExplanationPackResult | null> {
  try {
    return await logExplanationPack(tracker, input);
  } catch (err) {
    console.warn(
      `explanation pack not stored: ${err instanceof Error ? err.message : String(err)}`,
    );
    return null;
  }
}

/** Options of {@link explainStoredRun}. */
export interface ExplainStoredRunOptions {
  /** API origin, e.g. `http://localhost:4000`. */
  apiUrl: string;
  /** API key (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Id of a run with a stored model (`model.json` artifact). */
  runId: string;
  /** Fashion-MNIST directory (default: the run's recorded source when it exists, else the subset). */
  dataDir?: string;
  /** Backend to force. */
  backend?: string;
  options?: ExplanationPackOptions;
}

/**
 * Computes the explanation pack of a stored run (`npm run explain -- pack --run ID`): loads its
 * model over HTTP from the `model.json` artifact, predicts the test split again and stores the
 * pack with the run. A run still QUEUED or RUNNING gets an earlier pack replaced file by file;
 * a finished run only gains a pack it does not have yet (its artifacts are immutable).
 */
export async function explainStoredRun(
  options: ExplainStoredRunOptions,
): Promise<ExplanationPackResult | null> {
  const client = createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
  const { run } = await client.request<{
    run: {
      id: string;
      status: string;
      datasetInfo: { name?: string; source?: string; testCount?: number } | null;
      artifacts: { name: string; url: string }[];
    } | null;
  }>(`query R($id: ID!) { run(id: $id) { id status datasetInfo artifacts { name url } } }`, {
    id: options.runId,
  });
  if (!run) throw new Error(`run ${options.runId} not found at ${client.baseUrl}`);
  const modelJson = run.artifacts.find((a) => a.name === 'model.json');
  if (!modelJson) throw new Error(`run ${run.id} has no stored model (no model.json artifact)`);
  // The API never replaces an artifact of a finished run: say so before any work is done.
  if (
    (run.status === 'COMPLETED' || run.status === 'FAILED') &&
    run.artifacts.some((a) => a.name === EXPLANATION_INDEX_NAME)
  )
    throw new Error(
      `run ${run.id} is ${run.status} and already has an explanation pack (${EXPLANATION_INDEX_NAME}); the artifacts of a finished run cannot be replaced`,
    );
  const datasetName = run.datasetInfo?.name ?? 'fashion-mnist';
  if (datasetName !== 'fashion-mnist')
    throw new Error(`run ${run.id} was trained on "${datasetName}", which pack does not load yet`);
  const recorded = run.datasetInfo?.source;
  const dataDir =
    options.dataDir ??
    (recorded && recorded.startsWith('/') && existsSync(recorded) ? recorded : undefined);
  await selectBackend({ requested: options.backend });
  const dataset = await loadFashionMnist({ dir: dataDir });
  // The run may have been evaluated on the first N test images only (--test-limit).
  const n = Math.min(dataset.test.count, run.datasetInfo?.testCount ?? dataset.test.count);
  const shape: [number, number, number] = [dataset.height, dataset.width, dataset.channels];
  const pixels = shape[0] * shape[1] * shape[2];
  const split: ImageSplit = {
    images: dataset.test.images.subarray(0, n * pixels),
    labels: dataset.test.labels.subarray(0, n),
    count: n,
  };
  const model = await loadModelFromApi(client, modelJson.url);
  try {
    const out = model.outputs[0].shape[1] ?? dataset.classNames.length;
    const probabilities = predictSplit(model, split, { shape, numClasses: out });
    const tracker = await RunTracker.attach({ apiUrl: options.apiUrl, runId: run.id, client });
    return await logExplanationPack(tracker, {
      model,
      split,
      shape,
      probabilities,
      classNames: dataset.classNames,
      options: options.options,
    });
  } finally {
    model.dispose();
  }
}
