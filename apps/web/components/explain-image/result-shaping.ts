// Pure shaping of the upload page's newer result fields: the methods a request may ask for, the
// request URL with several methods, the conversion note, the methods ranked by faithfulness and
// the tiles of the activation grid (for zooming one channel).
import { rankMethods, type RankedMethod } from '@convscope/viz';
import { CAM_METHODS, type ExplainRequest, type ExplainResult } from '../../lib/explain-image';

/** Input-attribution methods the API accepts in `methods`, with labels. */
export const INPUT_METHODS = [
  { value: 'saliency', label: 'Vanilla gradients' },
  { value: 'smoothgrad', label: 'SmoothGrad' },
  { value: 'integrated-gradients', label: 'Integrated gradients' },
] as const;

/** The method picker's groups, in the order the API lists the methods. */
export const METHOD_GROUPS = [
  { name: 'Class activation maps (at a layer)', methods: CAM_METHODS },
  { name: 'Input attributions (per pixel)', methods: INPUT_METHODS },
] as const;

/** Most methods one request computes (the API's limit). */
export const MAX_METHODS = 4;

const ALL_METHODS: readonly { value: string; label: string }[] = [...CAM_METHODS, ...INPUT_METHODS];

/** Display name of a method ("Grad-CAM"); the name itself when unknown. */
export function methodLabel(method: string): string {
  return ALL_METHODS.find((m) => m.value === method)?.label ?? method;
}

/**
 * The chosen methods after ticking (`on`) or unticking one, in the picker's order; ticking past
 * {@link MAX_METHODS} or unticking the last one changes nothing.
 */
export function toggleMethod(chosen: readonly string[], method: string, on: boolean): string[] {
  const set = new Set(chosen);
  if (on) set.add(method);
  else set.delete(method);
  if (set.size === 0 || set.size > MAX_METHODS) return [...chosen];
  return ALL_METHODS.map((m) => m.value).filter((m) => set.has(m));
}

/** A request with several methods (the API computes each into `result.methods`). */
export interface MethodsRequest extends Omit<ExplainRequest, 'method'> {
  methods: string[];
}

/** Same-origin URL that POSTs the image to the API's `/runs/:id/explain` with `methods`. */
export function explainMethodsUrl(runId: string, r: MethodsRequest): string {
  const qs = new URLSearchParams({
    methods: r.methods.join(','),
    topK: String(r.topK),
    wait: String(r.wait),
  });
  if (r.classIndex !== null) qs.set('classIndex', String(r.classIndex));
  if (r.layer) qs.set('layer', r.layer);
  if (r.activationsLayer) qs.set('activationsLayer', r.activationsLayer);
  return `/explain-api/runs/${encodeURIComponent(runId)}?${qs}`;
}

/** An image's size as the worker reports it. */
export interface ImageSize {
  width: number;
  height: number;
  channels: number;
}

/** What the worker did to the upload to fit the model input. */
export interface Conversion {
  from: ImageSize;
  to: ImageSize;
  /** One sentence per step, in order (e.g. "RGB to grayscale (ITU-R BT.601 luma)"). */
  steps: string[];
}

/** One method's map and faithfulness. */
export interface MethodResult {
  method: string;
  classIndex: number;
  className: string;
  /** The CAM layer; null for input attributions. */
  layer: string | null;
  heatmapShape: [number, number];
  /** `[H][W]` in [0, 1]. */
  heatmap: number[][];
  faithfulness: { deletionAuc: number; insertionAuc: number } | null;
}

/** A result with the fields newer workers add. */
export type UploadResult = ExplainResult & {
  conversion?: Conversion | null;
  methods?: MethodResult[];
  /** Methods asked for but not computed (time budget, cost), with the reason. */
  skipped?: { method: string; reason: string }[];
  activations: ExplainResult['activations'] & {
    statistics: { min?: number[]; std?: number[] };
    grid: { columns?: number; rows?: number; scale?: number } | null;
  };
};

/** "grayscale", "RGB", "RGB + alpha", or "n channels". */
export function channelName(c: number): string {
  return c === 1
    ? 'grayscale'
    : c === 2
      ? 'grayscale + alpha'
      : c === 3
        ? 'RGB'
        : c === 4
          ? 'RGB + alpha'
          : `${c} channels`;
}

/** "640 × 480 RGB" */
export function sizeText(s: ImageSize): string {
  return `${s.width} × ${s.height} ${channelName(s.channels)}`;
}

/** The conversion note: whether anything changed, a one-line summary, and the steps. */
export function conversionNote(c: Conversion): { changed: boolean; summary: string } {
  const same =
    c.from.width === c.to.width &&
    c.from.height === c.to.height &&
    c.from.channels === c.to.channels;
  return {
    changed: !same || c.steps.length > 0,
    summary: same
      ? `Used as uploaded: ${sizeText(c.to)}, the model's input.`
      : `Converted from ${sizeText(c.from)} to ${sizeText(c.to)}, the model's input.`,
  };
}

/** A method ready to draw: its result and rank. */
export interface RankedResult extends RankedMethod {
  result: MethodResult;
}

/**
 * The methods of a result in the order computed, with their faithfulness score (insertion AUC
 * minus deletion AUC) and the most faithful one flagged; without `methods` (an older worker),
 * the one CAM without faithfulness.
 */
export function rankedMethodResults(r: UploadResult): RankedResult[] {
  const list: MethodResult[] = r.methods?.length
    ? r.methods
    : [
        {
          method: r.cam.method,
          classIndex: r.cam.classIndex,
          className: r.cam.className,
          layer: r.cam.layer,
          heatmapShape: r.cam.heatmapShape,
          heatmap: r.cam.heatmap,
          faithfulness: null,
        },
      ];
  const ranked = rankMethods(
    list.map((m) => ({
      method: m.method,
      insertionAuc: m.faithfulness?.insertionAuc ?? NaN,
      deletionAuc: m.faithfulness?.deletionAuc ?? NaN,
    })),
  );
  return ranked.map((m, i) => ({ ...m, result: list[i]! }));
}

/** A tile of the activation grid in the grid image's pixels. */
export interface GridTile {
  channel: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The tiles of a worker's channel grid (libs/ml channelGrid: one tile per channel in order,
 * 1 px padding, upscaled `scale` times), or [] when the grid's size does not match that layout.
 */
export function gridTiles(
  grid: { width: number; height: number; columns?: number; rows?: number; scale?: number },
  shape: readonly number[],
): GridTile[] {
  const [h, w, c] = shape;
  const { columns, rows, scale } = grid;
  if (!h || !w || !c || !columns || !rows || !scale) return [];
  const pad = 1;
  if (grid.width !== (columns * (w + pad) + pad) * scale) return [];
  if (grid.height !== (rows * (h + pad) + pad) * scale) return [];
  return Array.from({ length: Math.min(c, columns * rows) }, (_, k) => ({
    channel: k,
    x: (pad + (k % columns) * (w + pad)) * scale,
    y: (pad + Math.floor(k / columns) * (h + pad)) * scale,
    width: w * scale,
    height: h * scale,
  }));
}

/** A channel's statistics as the zoom dialog lists them. */
export interface ChannelSummary {
  /** The lowest value when the worker sent it; 0 for a ReLU channel with zeros; else null. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Fraction of exact zeros, in [0, 1]. */
  zeroFraction: number | null;
}

/** Statistics of channel `k` (null where the worker sent none). */
export function channelSummary(
  stats: { min?: number[]; max: number[]; mean: number[]; zeroFraction: number[] },
  k: number,
): ChannelSummary {
  const at = (xs: number[] | undefined) => {
    const v = xs?.[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const zeroFraction = at(stats.zeroFraction);
  const min = at(stats.min) ?? (zeroFraction !== null && zeroFraction > 0 ? 0 : null);
  return { min, max: at(stats.max), mean: at(stats.mean), zeroFraction };
}

/** A number in 3 significant digits ("0.0123", "12.3", "1.23e+4"). */
export function formatValue(v: number | null): string {
  if (v === null) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}
