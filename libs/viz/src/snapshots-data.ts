/**
 * Training snapshots as the dashboard shows them (libs/ml's explain/snapshots writes them):
 * which artifacts are snapshots and in what order, the slider's phase boundaries, the probes'
 * pixels with their Grad-CAM blended over, the first layer's filters as tiles, and one layer
 * statistic across snapshots. Pure functions on plain arrays.
 */
import type { ColormapName } from '@convscope/colormap';
import { blendHeatmap } from './colormap';
import type { Point } from './types';

/** Artifact name of the snapshot after an epoch (`snapshot.e0003.json`) or at train end. */
const SNAPSHOT_NAME = /^snapshot\.(?:e(\d{1,6})|final)\.json$/;

/** A snapshot artifact found by name, before its file is read. */
export interface SnapshotRef {
  name: string;
  /** The 1-based epoch of an epoch snapshot; null for the final one. */
  epoch: number | null;
  final: boolean;
}

/**
 * The snapshot artifacts among a run's artifact names, epoch snapshots by epoch, the final one
 * last (other names ignored, duplicates once).
 */
export function snapshotRefs(names: readonly string[]): SnapshotRef[] {
  const seen = new Set<string>();
  const refs: SnapshotRef[] = [];
  for (const name of names) {
    const m = SNAPSHOT_NAME.exec(name);
    if (!m || seen.has(name)) continue;
    seen.add(name);
    refs.push({ name, epoch: m[1] === undefined ? null : Number(m[1]), final: m[1] === undefined });
  }
  return refs.sort(
    (a, b) => (a.final ? 1 : 0) - (b.final ? 1 : 0) || (a.epoch ?? 0) - (b.epoch ?? 0),
  );
}

/** What the slider needs of a snapshot. */
export interface SnapshotStepLike {
  epoch: number;
  phase: string;
  final: boolean;
}

/** Display names of libs/ml's phase names. */
const PHASE_LABELS: Readonly<Record<string, string>> = {
  train: 'train',
  head: 'head',
  finetune: 'fine-tune',
};

/** A phase's display name (`finetune` reads "fine-tune"). */
export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase] ?? phase;
}

/** The label of a slider step: "epoch 3", "final (epoch 10)", with the phase of a multi-phase run. */
export function stepLabel(step: SnapshotStepLike, options: { phases: boolean }): string {
  const base = step.final ? `final (epoch ${step.epoch})` : `epoch ${step.epoch}`;
  return options.phases ? `${base}, ${phaseLabel(step.phase)}` : base;
}

/** Where the phase changes between two slider steps. */
export interface PhaseBoundary {
  /** The first step of the new phase (the boundary lies just before it). */
  index: number;
  /** Position of the boundary along the slider, 0 (first step) to 1 (last). */
  fraction: number;
  before: string;
  after: string;
}

/**
 * Phase boundaries between consecutive steps whose phases differ (the final snapshot counts as
 * the phase it was taken in), placed halfway between the two steps.
 */
export function phaseBoundaries(steps: readonly SnapshotStepLike[]): PhaseBoundary[] {
  const out: PhaseBoundary[] = [];
  const last = Math.max(1, steps.length - 1);
  for (let i = 1; i < steps.length; i++) {
    const a = steps[i - 1]!;
    const b = steps[i]!;
    if (a.phase !== b.phase)
      out.push({
        index: i,
        fraction: (i - 0.5) / last,
        before: phaseLabel(a.phase),
        after: phaseLabel(b.phase),
      });
  }
  return out;
}

/** Base64 text back to bytes (browser and Node alike). */
export function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * One image of a `[count, h, w, channels]` uint8 batch as RGBA (grayscale repeated on R, G, B).
 * @throws when the batch is too short for the image
 */
export function imageRgba(
  pixels: Uint8Array,
  shape: readonly [number, number, number],
  index: number,
): Uint8ClampedArray<ArrayBuffer> {
  const [h, w, c] = shape;
  const per = h * w * c;
  if (pixels.length < (index + 1) * per)
    throw new RangeError(`image ${index} is past the ${Math.floor(pixels.length / per)} stored`);
  const out = new Uint8ClampedArray(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    const src = index * per + p * c;
    for (let k = 0; k < 3; k++) out[p * 4 + k] = pixels[src + (c === 3 ? k : 0)]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/**
 * A map `[h, w]` resized bilinearly to `[H, W]` with half-pixel centres (as the CAM heatmaps are
 * made), values kept as they are.
 */
export function resizeBilinear(
  map: ArrayLike<number>,
  from: readonly [number, number],
  to: readonly [number, number],
): Float32Array {
  const [h, w] = from;
  const [H, W] = to;
  const out = new Float32Array(H * W);
  const at = (y: number, x: number) => map[y * w + x]!;
  for (let Y = 0; Y < H; Y++) {
    const sy = Math.min(h - 1, Math.max(0, ((Y + 0.5) * h) / H - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = sy - y0;
    for (let X = 0; X < W; X++) {
      const sx = Math.min(w - 1, Math.max(0, ((X + 0.5) * w) / W - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = sx - x0;
      const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
      const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
      out[Y * W + X] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Options of {@link camOverlay}. */
export interface CamOverlayOptions {
  /** The probe as RGBA `[H, W, 4]`. */
  image: ArrayLike<number>;
  imageShape: readonly [number, number];
  /** The map as stored: uint8 of the [0, 1] heatmap, `[h, w]`. */
  map: Uint8Array;
  mapShape: readonly [number, number];
  /** Weight of the heatmap colour in [0, 1]. */
  alpha: number;
  colormap: ColormapName;
}

/** The probe with its map blended over, RGBA at the image's size (the map resized when smaller). */
export function camOverlay(options: CamOverlayOptions): Uint8ClampedArray {
  const { map, mapShape, imageShape } = options;
  const values = Float32Array.from(map, (v) => v / 255);
  const same = mapShape[0] === imageShape[0] && mapShape[1] === imageShape[1];
  return blendHeatmap({
    image: options.image,
    heatmap: same ? values : resizeBilinear(values, mapShape, imageShape),
    alpha: options.alpha,
    colormap: options.colormap,
  });
}

/** Filters laid out as one image: tiles in rows, 1 pixel of padding. */
export interface FilterSheet {
  pixels: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  columns: number;
  rows: number;
}

/**
 * Filters `[count, kh, kw, channels]` (uint8, gray or RGB) tiled `columns` to a row with 1-pixel
 * padding in `padding` gray (default mid-dark 64), as RGBA.
 */
export function filterSheet(
  data: Uint8Array,
  options: {
    count: number;
    shape: readonly [number, number];
    channels: number;
    columns: number;
    padding?: number;
  },
): FilterSheet {
  const { count, channels } = options;
  const [kh, kw] = options.shape;
  const columns = Math.max(1, Math.min(options.columns, count));
  const rows = Math.max(1, Math.ceil(count / columns));
  const width = columns * (kw + 1) + 1;
  const height = rows * (kh + 1) + 1;
  const pad = options.padding ?? 64;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) pixels.set([pad, pad, pad, 255], i * 4);
  for (let f = 0; f < count; f++) {
    const x0 = 1 + (f % columns) * (kw + 1);
    const y0 = 1 + Math.floor(f / columns) * (kh + 1);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) {
        const src = ((f * kh + y) * kw + x) * channels;
        const dst = ((y0 + y) * width + x0 + x) * 4;
        for (let k = 0; k < 3; k++) pixels[dst + k] = data[src + (channels === 3 ? k : 0)] ?? 0;
      }
  }
  return { pixels, width, height, columns, rows };
}

/** The statistics of one layer at one snapshot. */
export interface LayerStatLike {
  layer: string;
  mean: number;
  std: number;
  zeroFraction: number;
}

/** Which statistic. */
export type LayerStatKey = 'mean' | 'std' | 'zeroFraction';

/**
 * One layer's statistic across snapshots, as sparkline points (x: the step index); snapshots
 * without that layer's statistics are left out.
 */
export function layerStatSeries(
  snapshots: readonly ({ layers?: readonly LayerStatLike[] } | null | undefined)[],
  layer: string,
  key: LayerStatKey,
): Point[] {
  const points: Point[] = [];
  snapshots.forEach((s, step) => {
    const v = s?.layers?.find((l) => l.layer === layer)?.[key];
    if (v !== undefined && Number.isFinite(v)) points.push({ step, value: v });
  });
  return points;
}
