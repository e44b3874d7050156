// What a curve's x axis counts: logged steps (an epoch-level metric's step is its epoch, a
// batch-level metric's its batch), epochs, time since the run's first point, or wall time.
import { scaleUtc, ticks as linearTicks, timeFormat, utcFormat } from 'd3';
import type { Extent, Point } from './types';

/** The x axis choices of every curve. */
export const X_AXIS_MODES = ['step', 'epoch', 'relative', 'wall'] as const;
/** One of {@link X_AXIS_MODES}. */
export type XAxisMode = (typeof X_AXIS_MODES)[number];

/** A logged point with the time it was measured (ms since 1970), when known. */
export interface TimedPoint extends Point {
  time?: number | null;
}

/** Whether a metric is logged per batch (`batch_loss`) or per epoch (everything else). */
export type MetricLevel = 'batch' | 'epoch';

/** Prefix of per-batch metrics (libs/ml logs `batch_loss` every N batches at the global step). */
export const BATCH_PREFIX = 'batch_';

/** The level of a metric by its name: `batch_*` per batch, the rest per epoch. */
export function metricLevel(name: string): MetricLevel {
  return name.startsWith(BATCH_PREFIX) ? 'batch' : 'epoch';
}

/**
 * Title of the x axis: in step mode what a step counts for the metric ("epoch" or "batch"),
 * else "epoch", "relative time" or "wall time (UTC)".
 */
export function xAxisTitle(mode: XAxisMode, level: MetricLevel): string {
  if (mode === 'step') return level;
  if (mode === 'epoch') return 'epoch';
  // UTC like every timestamp of the dashboard (server and browser render the same text).
  return mode === 'relative' ? 'relative time' : 'wall time (UTC)';
}

/** How x tick labels and the tooltip title read: plain numbers, durations or clock times. */
export type XFormat = 'number' | 'duration' | 'time';

/** The tick format of a mode: seconds as durations (relative), ms as clock times (wall). */
export function xFormatOf(mode: XAxisMode): XFormat {
  return mode === 'relative' ? 'duration' : mode === 'wall' ? 'time' : 'number';
}

/** The end of one epoch: the epoch number (a logged epoch-level step) and when it was logged. */
export interface EpochEnd {
  epoch: number;
  time: number;
}

/**
 * When each epoch ended, from epoch-level series: per step the latest time any of them logged
 * it, by epoch. Points without a time are ignored.
 */
export function epochEnds(series: readonly { points: readonly TimedPoint[] }[]): EpochEnd[] {
  const latest = new Map<number, number>();
  for (const s of series)
    for (const p of s.points) {
      if (p.time == null || !Number.isFinite(p.time) || !Number.isFinite(p.step)) continue;
      latest.set(p.step, Math.max(latest.get(p.step) ?? -Infinity, p.time));
    }
  return [...latest].map(([epoch, time]) => ({ epoch, time })).sort((a, b) => a.epoch - b.epoch);
}

/**
 * The (fractional) epoch at time `t`: linear between epoch ends, epoch 0 at `start` (the run's
 * first point) when given; past the last end, the last epoch's pace continues. null when fewer
 * than two anchors are known (no pace to go by).
 */
export function epochAtTime(
  ends: readonly EpochEnd[],
  t: number,
  start?: number | null,
): number | null {
  const anchors = [...ends];
  const first = anchors[0];
  if (start != null && Number.isFinite(start) && (!first || start < first.time))
    anchors.unshift({ epoch: first ? first.epoch - 1 : 0, time: start });
  if (anchors.length < 2 || !Number.isFinite(t)) return null;
  let i = anchors.findIndex((a) => a.time >= t);
  if (i === -1) i = anchors.length - 1;
  if (i === 0) i = 1;
  const a = anchors[i - 1];
  const b = anchors[i];
  if (!a || !b || b.time === a.time) return b ? b.epoch : null;
  return a.epoch + ((t - a.time) / (b.time - a.time)) * (b.epoch - a.epoch);
}

/**
 * When the run was at (fractional) `epoch`: the inverse of {@link epochAtTime}, linear between
 * the same anchors. null with fewer than two anchors.
 */
export function timeAtEpoch(
  ends: readonly EpochEnd[],
  epoch: number,
  start?: number | null,
): number | null {
  const anchors = [...ends];
  const first = anchors[0];
  if (start != null && Number.isFinite(start) && (!first || start < first.time))
    anchors.unshift({ epoch: first ? first.epoch - 1 : 0, time: start });
  if (anchors.length < 2 || !Number.isFinite(epoch)) return null;
  let i = anchors.findIndex((a) => a.epoch >= epoch);
  if (i === -1) i = anchors.length - 1;
  if (i === 0) i = 1;
  const a = anchors[i - 1];
  const b = anchors[i];
  if (!a || !b || b.epoch === a.epoch) return b ? b.time : null;
  return a.time + ((epoch - a.epoch) / (b.epoch - a.epoch)) * (b.time - a.time);
}

/**
 * Where an epoch-level x (a phase marker between epochs) falls on the x axis `mode`: the epoch
 * itself on step and epoch axes, else its time (seconds since `origin`, or ms). null when the
 * run's clock cannot place it.
 */
export function epochToX(
  epoch: number,
  options: { mode: XAxisMode; origin?: number | null; epochs?: readonly EpochEnd[] },
): number | null {
  const { mode, origin, epochs = [] } = options;
  if (mode === 'step' || mode === 'epoch') return epoch;
  const t = timeAtEpoch(epochs, epoch, origin);
  if (t === null) return null;
  if (mode === 'wall') return t;
  return origin == null ? null : (t - origin) / 1000;
}

/** Options of {@link toXPoints}. */
export interface XPointsOptions {
  mode: XAxisMode;
  level: MetricLevel;
  /** Time of the run's first point (ms): 0 of relative time and epoch 0 of batch curves. */
  origin?: number | null;
  /** Epoch ends of the run (see {@link epochEnds}), to place batch points in epoch mode. */
  epochs?: readonly EpochEnd[];
}

/**
 * The points with `step` replaced by the chosen x: the step; the epoch (an epoch-level step is
 * its epoch, a batch point is placed by its time between epoch ends); seconds since `origin`;
 * or the time in ms. Points that cannot be placed (no time, no origin, no epoch pace) are left out.
 */
export function toXPoints(points: readonly TimedPoint[], options: XPointsOptions): Point[] {
  const { mode, level, origin, epochs = [] } = options;
  if (mode === 'step' || (mode === 'epoch' && level === 'epoch'))
    return points.map((p) => ({ step: p.step, value: p.value }));
  const out: Point[] = [];
  for (const p of points) {
    if (p.time == null || !Number.isFinite(p.time)) continue;
    let x: number | null;
    if (mode === 'epoch') x = epochAtTime(epochs, p.time, origin);
    else if (mode === 'wall') x = p.time;
    else x = origin == null ? null : (p.time - origin) / 1000;
    if (x !== null) out.push({ step: x, value: p.value });
  }
  return out;
}

/** The earliest time of any point of the series (the run's first point); null when none. */
export function firstTime(series: readonly { points: readonly TimedPoint[] }[]): number | null {
  let min = Infinity;
  for (const s of series)
    for (const p of s.points) if (p.time != null && p.time < min) min = p.time;
  return Number.isFinite(min) ? min : null;
}

const UNITS = [
  { seconds: 3600, suffix: 'h' },
  { seconds: 60, suffix: 'm' },
  { seconds: 1, suffix: 's' },
] as const;

/** The unit relative-time ticks count in: hours from 2 h on, minutes from 2 min, else seconds. */
function unitOf(spanSeconds: number): (typeof UNITS)[number] {
  return UNITS.find((u) => spanSeconds >= 2 * u.seconds) ?? UNITS[2];
}

/** Round tick values (seconds) for a relative-time domain: whole seconds, minutes or hours. */
export function relativeTicks(domain: Extent, count: number): number[] {
  const unit = unitOf(domain[1] - domain[0]);
  return linearTicks(domain[0] / unit.seconds, domain[1] / unit.seconds, count).map(
    (v) => v * unit.seconds,
  );
}

/** Seconds as a compact duration: "45s", "2m 30s", "1h 05m", "-10s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${+s.toFixed(s < 10 ? 1 : 0)}s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h === 0) return `${sign}${m}m${sec ? ` ${pad(sec)}s` : ''}`;
  return `${sign}${h}h ${pad(m)}m`;
}

/** Clock-time ticks (ms) for a wall-time domain, at d3's round UTC intervals. */
export function wallTicks(domain: Extent, count: number): number[] {
  return scaleUtc()
    .domain([new Date(domain[0]), new Date(domain[1])])
    .ticks(count)
    .map(Number);
}

/**
 * A formatter of clock times (ms) for a wall-time domain of `span` ms: seconds under 10 min,
 * minutes under 2 days, else day and time. Local time unless `utc` (tests).
 */
export function wallTimeFormat(
  span: number,
  options: { utc?: boolean } = {},
): (ms: number) => string {
  const make = options.utc ? utcFormat : timeFormat;
  const f = make(span < 600_000 ? '%H:%M:%S' : span < 2 * 86_400_000 ? '%H:%M' : '%b %d %H:%M');
  return (ms) => f(new Date(ms));
}
