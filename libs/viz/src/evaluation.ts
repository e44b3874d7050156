// Pure data shaping for classification-evaluation views: metric tiles, confusion matrix,
// ROC legend, reliability bars and the top-k curve. No DOM, no d3 selections.
import { interpolateBlues, rgb } from 'd3';
import { MISSING, formatPercent } from './format';
import type { Point } from './types';

/** Text colours a cell label chooses between: dark ink or white. */
export const DARK_TEXT = '#1d2330';
export const LIGHT_TEXT = '#ffffff';

/** WCAG relative luminance of a CSS colour (0 = black, 1 = white). */
export function relativeLuminance(color: string): number {
  const c = rgb(color);
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The text colour ({@link DARK_TEXT} or {@link LIGHT_TEXT}) with the higher contrast on `background`. */
export function contrastText(background: string): string {
  return contrastRatio(background, LIGHT_TEXT) > contrastRatio(background, DARK_TEXT)
    ? LIGHT_TEXT
    : DARK_TEXT;
}

/** Fill of a cell without a value. */
export const EMPTY_FILL = '#f1f2f5';
/** Lowest and highest point of the Blues ramp used, so 0 is not white and 1 not near-black. */
const RAMP: [number, number] = [0.04, 0.9];

/**
 * Sequential colour of `value` within `domain` (Blues ramp, clamped). Non-finite values and an
 * empty domain give {@link EMPTY_FILL}.
 */
export function sequentialColor(
  value: number | null | undefined,
  domain: readonly [number, number] = [0, 1],
): string {
  if (value == null || !Number.isFinite(value)) return EMPTY_FILL;
  const [lo, hi] = domain;
  const t = hi > lo ? Math.min(1, Math.max(0, (value - lo) / (hi - lo))) : 1;
  return rgb(interpolateBlues(RAMP[0] + t * (RAMP[1] - RAMP[0]))).formatHex();
}

/** One row of a heatmap: a label, its values (one per column; null = not applicable) and a note. */
export interface HeatmapRow {
  label: string;
  values: readonly (number | null)[];
  /** Text drawn right of the row (e.g. "n=100"). */
  note?: string;
  /** Free tag written to the cells' `data-row-kind` (e.g. "class", "average"). */
  kind?: string;
}

/** One laid-out heatmap cell. */
export interface HeatmapCell {
  row: number;
  col: number;
  rowLabel: string;
  colLabel: string;
  kind: string;
  value: number | null;
  /** Value written in the cell: `digits` decimals, or {@link MISSING}. */
  text: string;
  fill: string;
  textColor: string;
}

/**
 * Lays out `rows` × `columns` cells with their text (fixed `digits` decimals, default 3), fill on
 * the sequential scale over `domain` (default [0, 1]) and the contrasting text colour.
 */
export function heatmapCells(
  rows: readonly HeatmapRow[],
  columns: readonly string[],
  { domain = [0, 1], digits = 3 }: { domain?: readonly [number, number]; digits?: number } = {},
): HeatmapCell[] {
  const cells: HeatmapCell[] = [];
  rows.forEach((r, i) => {
    columns.forEach((colLabel, j) => {
      const raw = r.values[j];
      const value = raw == null || !Number.isFinite(raw) ? null : raw;
      const fill = sequentialColor(value, domain);
      cells.push({
        row: i,
        col: j,
        rowLabel: r.label,
        colLabel,
        kind: r.kind ?? 'row',
        value,
        text: value === null ? MISSING : value.toFixed(digits),
        fill,
        textColor: value === null ? '#8a93a3' : contrastText(fill),
      });
    });
  });
  return cells;
}

/** Per-class metrics as the API returns them. */
export interface PerClassLike {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  sensitivity: number;
  specificity: number;
  support: number;
  auc?: number | null;
}

/** Averaged precision / recall / F1. */
export interface AveragedLike {
  precision: number;
  recall: number;
  f1: number;
}

/** Columns of the metric tiles, in order. */
export const TILE_COLUMNS = [
  'precision',
  'recall',
  'F1',
  'sensitivity',
  'specificity',
  'AUC',
] as const;

/**
 * Rows of the per-class metric tiles: one per class (support as the note), then "macro avg" and
 * "weighted avg" (precision/recall/F1 only; the other columns are not applicable). The AUC column
 * is left out when no class has an AUC.
 */
export function metricTileRows(
  perClass: readonly PerClassLike[],
  macro?: AveragedLike | null,
  weighted?: AveragedLike | null,
): { columns: string[]; rows: HeatmapRow[] } {
  const withAuc = perClass.some((p) => p.auc != null);
  const columns: string[] = withAuc ? [...TILE_COLUMNS] : TILE_COLUMNS.slice(0, 5);
  const totalSupport = perClass.reduce((s, p) => s + p.support, 0);
  const rows: HeatmapRow[] = perClass.map((p) => ({
    label: p.label,
    kind: 'class',
    note: `n=${p.support}`,
    values: [
      p.precision,
      p.recall,
      p.f1,
      p.sensitivity,
      p.specificity,
      ...(withAuc ? [p.auc ?? null] : []),
    ],
  }));
  const avgRow = (label: string, a: AveragedLike): HeatmapRow => ({
    label,
    kind: 'average',
    note: `n=${totalSupport}`,
    values: [a.precision, a.recall, a.f1, ...columns.slice(3).map(() => null)],
  });
  if (macro) rows.push(avgRow('macro avg', macro));
  if (weighted) rows.push(avgRow('weighted avg', weighted));
  return { columns, rows };
}

/** Each row divided by its sum (a row of zeros stays zeros): the recall view of a confusion matrix. */
export function rowNormalize(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** How a confusion matrix is shown: raw counts or row-normalised (recall per true class). */
export type ConfusionMode = 'counts' | 'normalized';

/** One laid-out confusion-matrix cell. */
export interface ConfusionCell {
  /** True class index (row). */
  row: number;
  /** Predicted class index (column). */
  col: number;
  trueLabel: string;
  predictedLabel: string;
  count: number;
  /** count / row sum (0 for an empty row). */
  fraction: number;
  diagonal: boolean;
  /** Written in the cell: the count, or the fraction as a percentage with one decimal. */
  text: string;
  /** Hover text: "true X → predicted Y: n (p%)". */
  title: string;
  fill: string;
  textColor: string;
}

/**
 * Cells of a confusion matrix (rows = true class, columns = predicted). The colour follows the
 * shown quantity: counts over [0, max count], or fractions over [0, 1].
 */
export function confusionCells(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
  mode: ConfusionMode = 'counts',
): ConfusionCell[] {
  const normalized = rowNormalize(matrix);
  const maxCount = Math.max(0, ...matrix.flat());
  const cells: ConfusionCell[] = [];
  matrix.forEach((row, i) => {
    row.forEach((count, j) => {
      const fraction = normalized[i]?.[j] ?? 0;
      const shown = mode === 'counts' ? count : fraction;
      const fill =
        count === 0
          ? '#ffffff'
          : sequentialColor(shown, mode === 'counts' ? [0, Math.max(1, maxCount)] : [0, 1]);
      const trueLabel = classNames[i] ?? String(i);
      const predictedLabel = classNames[j] ?? String(j);
      cells.push({
        row: i,
        col: j,
        trueLabel,
        predictedLabel,
        count,
        fraction,
        diagonal: i === j,
        // Empty cells read "0" / "0%" so the misclassifications that exist stand out.
        text: mode === 'counts' ? String(count) : count === 0 ? '0%' : formatPercent(fraction, 1),
        title: `true ${trueLabel} → predicted ${predictedLabel}: ${count} (${formatPercent(fraction, 1)})`,
        fill,
        textColor: count === 0 ? '#b4bac5' : contrastText(fill),
      });
    });
  });
  return cells;
}

/** One ROC curve as the API returns it, with its class and AUC. */
export interface RocInput {
  label: string;
  auc: number | null;
  fpr: readonly number[];
  tpr: readonly number[];
}

/** A ROC curve ready to draw: points in drawing order and its legend text. */
export interface RocSeries {
  label: string;
  auc: number | null;
  /** `{ x: fpr, y: tpr }`, non-finite points dropped. */
  points: { x: number; y: number }[];
  /** "label (AUC 0.987)", or "label (AUC —)". */
  legend: string;
}

/**
 * ROC curves sorted for the legend: highest AUC first, curves without AUC last, ties by label.
 * Non-finite points (a class without positives or negatives) are dropped.
 */
export function rocSeries(curves: readonly RocInput[]): RocSeries[] {
  return curves
    .map((c) => ({
      label: c.label,
      auc: c.auc != null && Number.isFinite(c.auc) ? c.auc : null,
      points: c.fpr
        .map((x, i) => ({ x, y: c.tpr[i] ?? NaN }))
        .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
      legend: `${c.label} (AUC ${c.auc != null && Number.isFinite(c.auc) ? c.auc.toFixed(3) : MISSING})`,
    }))
    .sort((a, b) => {
      if (a.auc === null || b.auc === null)
        return a.auc === b.auc ? a.label.localeCompare(b.label) : a.auc === null ? 1 : -1;
      return b.auc - a.auc || a.label.localeCompare(b.label);
    });
}

/** One calibration bin as the API returns it. */
export interface CalibrationBinLike {
  binLower: number;
  binUpper: number;
  confidence: number | null;
  accuracy: number | null;
  count: number;
}

/** One bar of a reliability diagram. */
export interface ReliabilityBar {
  x0: number;
  x1: number;
  /** Fraction correct in the bin; null for an empty bin (no bar). */
  accuracy: number | null;
  /** Mean confidence in the bin; null for an empty bin. */
  confidence: number | null;
  count: number;
  /** count / total samples. */
  share: number;
  /** accuracy − confidence (negative = over-confident); null for an empty bin. */
  gap: number | null;
  /** Hover text. */
  title: string;
}

/** Bars of a reliability diagram, in bin order, with each bin's share of the samples and calibration gap. */
export function reliabilityBars(bins: readonly CalibrationBinLike[]): ReliabilityBar[] {
  const total = bins.reduce((s, b) => s + b.count, 0);
  return [...bins]
    .sort((a, b) => a.binLower - b.binLower)
    .map((b) => {
      const empty = b.count === 0 || b.accuracy == null || b.confidence == null;
      const accuracy = empty ? null : b.accuracy;
      const confidence = empty ? null : b.confidence;
      const gap = accuracy !== null && confidence !== null ? accuracy - confidence : null;
      const range = `${b.binLower.toFixed(2)}–${b.binUpper.toFixed(2)}`;
      return {
        x0: b.binLower,
        x1: b.binUpper,
        accuracy,
        confidence,
        count: b.count,
        share: total > 0 ? b.count / total : 0,
        gap,
        title:
          accuracy === null
            ? `confidence ${range}: no samples`
            : `confidence ${range}: accuracy ${formatPercent(accuracy, 1)}, mean confidence ${formatPercent(confidence, 1)}, ${b.count} samples`,
      };
    });
}

/** Top-k accuracies as line-chart points (step = k), sorted by k. */
export function topKPoints(topK: readonly { k: number; accuracy: number }[]): Point[] {
  return [...topK].sort((a, b) => a.k - b.k).map((t) => ({ step: t.k, value: t.accuracy }));
}

/** Label of one top-k point: "top-3 94.0%". */
export function topKLabel(k: number, accuracy: number): string {
  return `top-${k} ${formatPercent(accuracy, 1)}`;
}
