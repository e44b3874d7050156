/**
 * Data shaping of a run's layer statistics (libs/ml `histograms.eNNNN.json`, one file per
 * recorded epoch): the layers and tensors to choose from, a tensor's percentile bands over epochs
 * (TensorBoard's "distributions"), one epoch's histogram bars, the per-layer curves of the
 * `grad_norm/`, `weight_norm/`, `dead_relu/` metrics and the warnings they raise.
 */
import type { NamedSeries, Point } from './types';

/** Metric prefixes of the per-layer scalars. */
export const LAYER_METRIC_PREFIXES = ['grad_norm/', 'weight_norm/', 'dead_relu/'] as const;

/** True for a per-layer scalar (`grad_norm/conv1`...), drawn by the layer distributions card. */
export function isLayerMetric(name: string): boolean {
  return LAYER_METRIC_PREFIXES.some((p) => name.startsWith(p));
}

/** A stored layer-stats file: its artifact name and 1-based epoch step. */
export interface LayerStatsRef {
  name: string;
  step: number;
}

/** The layer-stats files among a run's artifact names (`histograms.e0003.json`), sorted by step. */
export function layerStatsRefs(names: readonly string[]): LayerStatsRef[] {
  return names
    .flatMap((name) => {
      const m = /^histograms\.e(\d{4,6})\.json$/.exec(name);
      return m ? [{ name, step: Number(m[1]) }] : [];
    })
    .sort((a, b) => a.step - b.step);
}

/** One tensor's summary in a layer-stats file. */
export interface TensorStatsLike {
  weight: string;
  role: 'value' | 'gradient';
  count: number;
  min: number;
  max: number;
  counts: readonly number[];
  edges: readonly number[];
  /** Values at the file's `percentiles`. */
  band: readonly number[];
}

/** One layer in a layer-stats file. */
export interface LayerStatsLike {
  name: string;
  className: string;
  tensors: readonly TensorStatsLike[];
}

/** One epoch's layer-stats file. */
export interface LayerStatsEpochLike {
  step: number;
  phase?: string;
  percentiles: readonly number[];
  layers: readonly LayerStatsLike[];
}

/** A tensor a reader can pick: `kernel`, `bias`, `kernel.grad`... */
export interface TensorChoice {
  key: string;
  label: string;
}

/** A layer a reader can pick, with its tensors. */
export interface LayerChoice {
  name: string;
  className: string;
  tensors: TensorChoice[];
}

/** Key of a tensor: its weight name, `.grad` added for a gradient. */
export function tensorKey(t: Pick<TensorStatsLike, 'weight' | 'role'>): string {
  return t.role === 'gradient' ? `${t.weight}.grad` : t.weight;
}

function tensorLabel(t: Pick<TensorStatsLike, 'weight' | 'role'>): string {
  return t.role === 'gradient' ? `${t.weight} gradient` : t.weight;
}

/** The layers and tensors found in any epoch, in the order they first appear. */
export function layerChoices(epochs: readonly LayerStatsEpochLike[]): LayerChoice[] {
  const layers = new Map<string, LayerChoice>();
  for (const e of sortedEpochs(epochs)) {
    for (const l of e.layers) {
      let choice = layers.get(l.name);
      if (!choice) {
        choice = { name: l.name, className: l.className, tensors: [] };
        layers.set(l.name, choice);
      }
      for (const t of l.tensors) {
        const key = tensorKey(t);
        if (!choice.tensors.some((c) => c.key === key))
          choice.tensors.push({ key, label: tensorLabel(t) });
      }
    }
  }
  return [...layers.values()];
}

function sortedEpochs<T extends { step: number }>(epochs: readonly T[]): T[] {
  return [...epochs].sort((a, b) => a.step - b.step);
}

/** One epoch of one tensor. */
export interface TensorAtEpoch {
  step: number;
  phase?: string;
  percentiles: readonly number[];
  stats: TensorStatsLike;
}

/** The epochs (sorted by step) in which `layer` has the tensor `key`. */
export function tensorSeries(
  epochs: readonly LayerStatsEpochLike[],
  layer: string,
  key: string,
): TensorAtEpoch[] {
  return sortedEpochs(epochs).flatMap((e) => {
    const stats = e.layers.find((l) => l.name === layer)?.tensors.find((t) => tensorKey(t) === key);
    return stats ? [{ step: e.step, phase: e.phase, percentiles: e.percentiles, stats }] : [];
  });
}

/** One shaded band between two symmetric percentiles, over epochs. */
export interface PercentileBand {
  /** Lower and upper percentile, e.g. `[16, 84]`. */
  range: [number, number];
  points: { step: number; lo: number; hi: number }[];
}

/** The bands of a distribution chart, outermost first, and the median line. */
export interface DistributionBands {
  bands: PercentileBand[];
  median: Point[];
  steps: number[];
}

/**
 * TensorBoard's distribution bands: pairs of percentiles symmetric about 50 (0-100, 7-93,
 * 16-84, 31-69), outermost first, and the median. Pairs missing from a file's percentiles
 * are left out.
 */
export function distributionBands(series: readonly TensorAtEpoch[]): DistributionBands {
  const first = series[0];
  if (!first) return { bands: [], median: [], steps: [] };
  const ps = first.percentiles;
  const pairs: [number, number][] = ps
    .filter((p) => p < 50 && ps.includes(100 - p))
    .sort((a, b) => a - b)
    .map((p) => [p, 100 - p]);
  const at = (s: TensorAtEpoch, p: number) => s.stats.band[s.percentiles.indexOf(p)];
  const bands = pairs.map(([lo, hi]): PercentileBand => ({
    range: [lo, hi],
    points: series.flatMap((s) => {
      const l = at(s, lo);
      const h = at(s, hi);
      return l === undefined || h === undefined ? [] : [{ step: s.step, lo: l, hi: h }];
    }),
  }));
  const median = ps.includes(50)
    ? series.flatMap((s) => {
        const v = at(s, 50);
        return v === undefined ? [] : [{ step: s.step, value: v }];
      })
    : [];
  return { bands, median, steps: series.map((s) => s.step) };
}

/** One bar of a histogram: bin `[x0, x1)` (the last closed) and its count. */
export interface HistogramBar {
  x0: number;
  x1: number;
  count: number;
}

/** The bars of a stored histogram (`counts` with `counts.length + 1` edges). */
export function histogramBars(stats: Pick<TensorStatsLike, 'counts' | 'edges'>): HistogramBar[] {
  if (stats.edges.length !== stats.counts.length + 1) return [];
  return stats.counts.map((count, i) => ({
    x0: stats.edges[i]!,
    x1: stats.edges[i + 1]!,
    count,
  }));
}

/** The epoch of `series` nearest to `step` (the last when `step` is null). */
export function epochAt(
  series: readonly TensorAtEpoch[],
  step: number | null,
): TensorAtEpoch | undefined {
  if (step === null) return series.at(-1);
  let best: TensorAtEpoch | undefined;
  for (const s of series)
    if (!best || Math.abs(s.step - step) < Math.abs(best.step - step)) best = s;
  return best;
}

/** A per-layer curve (the layer name and its points, sorted by step). */
export interface LayerCurve {
  layer: string;
  points: Point[];
}

/** The curves of metrics `<prefix><layer>`, one per layer, in the order given. */
export function layerCurves(metrics: readonly NamedSeries[], prefix: string): LayerCurve[] {
  return metrics
    .filter((m) => m.name.startsWith(prefix))
    .map((m) => ({
      layer: m.name.slice(prefix.length),
      points: [...m.points].sort((a, b) => a.step - b.step),
    }));
}

/** Thresholds of {@link layerWarnings}. */
export interface WarningThresholds {
  /** A gradient norm below this share of the layer's first one is vanishing (default 1e-3). */
  vanishingRatio?: number;
  /** A dead-ReLU fraction above this is flagged (default 0.5). */
  deadFraction?: number;
}

/** A layer whose gradients vanished or whose ReLU units died. */
export interface LayerWarning {
  layer: string;
  kind: 'vanishing' | 'dead';
  /** First step at which the condition held. */
  step: number;
  /** The value there: the gradient norm, or the dead fraction. */
  value: number;
  message: string;
}

/**
 * Warnings from the per-layer curves: a gradient norm that fell below `vanishingRatio` of its
 * first epoch's (or is 0 from a non-zero start), and a dead-ReLU fraction above `deadFraction`.
 * The first step where each holds, one warning per layer and kind.
 */
export function layerWarnings(
  curves: { gradNorm: readonly LayerCurve[]; dead: readonly LayerCurve[] },
  thresholds: WarningThresholds = {},
): LayerWarning[] {
  const ratio = thresholds.vanishingRatio ?? 1e-3;
  const deadLimit = thresholds.deadFraction ?? 0.5;
  const out: LayerWarning[] = [];
  for (const c of curves.gradNorm) {
    const first = c.points[0];
    if (!first || !(first.value > 0)) continue;
    const p = c.points.find((q) => q.value < first.value * ratio);
    if (p)
      out.push({
        layer: c.layer,
        kind: 'vanishing',
        step: p.step,
        value: p.value,
        message: `${c.layer}: gradient norm ${fmt(p.value)} at epoch ${p.step}, below ${fmt(ratio)} of epoch ${first.step}'s ${fmt(first.value)} (vanishing gradients)`,
      });
  }
  for (const c of curves.dead) {
    const p = c.points.find((q) => q.value > deadLimit);
    if (p)
      out.push({
        layer: c.layer,
        kind: 'dead',
        step: p.step,
        value: p.value,
        message: `${c.layer}: ${Math.round(p.value * 100)}% of its ReLU units never activate on the probe batch at epoch ${p.step} (more than ${Math.round(deadLimit * 100)}%)`,
      });
  }
  return out;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
