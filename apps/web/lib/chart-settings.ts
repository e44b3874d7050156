// The chart controls every curve of a page shares (smoothing, scales, x axis), persisted in
// localStorage, and the shaping of a run's logged points to the chosen x axis.
import {
  X_AXIS_MODES,
  epochEnds,
  firstTime,
  metricLevel,
  toXPoints,
  xAxisTitle,
  xFormatOf,
  type EpochEnd,
  type MetricLevel,
  type Point,
  type TimedPoint,
  type XAxisMode,
  type XFormat,
} from '@convscope/viz';
import { useCallback, useMemo, useSyncExternalStore } from 'react';

/** What the chart toolbar sets for every curve of a page. */
export interface ChartSettings {
  /** TensorBoard smoothing weight, 0 (off) to 0.99. */
  smoothing: number;
  yScale: 'linear' | 'log';
  xAxis: XAxisMode;
  /** Fit the y axis to the 5th..95th percentile. */
  ignoreOutliers: boolean;
}

/** Largest smoothing the slider offers. */
export const MAX_SMOOTHING_SETTING = 0.99;

/** Settings of a first visit: raw curves on linear axes over steps. */
export const DEFAULT_CHART_SETTINGS: ChartSettings = {
  smoothing: 0,
  yScale: 'linear',
  xAxis: 'step',
  ignoreOutliers: false,
};

/** localStorage key of the settings (versioned: a new shape starts from the defaults). */
export const CHART_SETTINGS_KEY = 'convscope.chart-settings.v1';

/**
 * Settings read back from storage: each field that is missing or not valid falls back to its
 * default (storage is user-editable and may hold an older shape); smoothing is clamped.
 */
export function parseChartSettings(raw: string | null | undefined): ChartSettings {
  let value: unknown = null;
  try {
    value = raw ? JSON.parse(raw) : null;
  } catch {
    value = null;
  }
  const o = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const d = DEFAULT_CHART_SETTINGS;
  const smoothing =
    typeof o.smoothing === 'number' && Number.isFinite(o.smoothing)
      ? Math.min(MAX_SMOOTHING_SETTING, Math.max(0, o.smoothing))
      : d.smoothing;
  return {
    smoothing,
    yScale: o.yScale === 'log' || o.yScale === 'linear' ? o.yScale : d.yScale,
    xAxis: (X_AXIS_MODES as readonly unknown[]).includes(o.xAxis)
      ? (o.xAxis as XAxisMode)
      : d.xAxis,
    ignoreOutliers: typeof o.ignoreOutliers === 'boolean' ? o.ignoreOutliers : d.ignoreOutliers,
  };
}

/** Components to re-render when this tab changes the settings (other tabs: `storage` events). */
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('storage', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onChange);
  };
}

/**
 * The stored chart settings and a setter that merges a change and stores it; every page and
 * tab using them follows. Server rendering and hydration use the defaults (no storage there).
 */
export function useChartSettings(): [ChartSettings, (patch: Partial<ChartSettings>) => void] {
  const raw = useSyncExternalStore(subscribe, readStorage, () => null);
  const settings = useMemo(() => parseChartSettings(raw), [raw]);
  const update = useCallback((patch: Partial<ChartSettings>) => {
    writeStorage(JSON.stringify({ ...parseChartSettings(readStorage()), ...patch }));
    for (const l of listeners) l();
  }, []);
  return [settings, update];
}

/** The settings of this page load once storage has refused them (private mode, quota). */
let memory: string | null = null;
let storageRefused = false;

function readStorage(): string | null {
  if (storageRefused) return memory;
  try {
    return window.localStorage.getItem(CHART_SETTINGS_KEY);
  } catch {
    return memory;
  }
}

function writeStorage(value: string): void {
  memory = value;
  try {
    window.localStorage.setItem(CHART_SETTINGS_KEY, value);
  } catch {
    // Not persisted: the settings last for this page load.
    storageRefused = true;
  }
}

/** A logged point as the API returns it (time as an ISO string). */
export interface ApiPoint {
  step: number;
  value: number;
  time?: string | null;
}

/** Points with their time in ms (unparseable times left out of time-based axes). */
export function timedPoints(points: readonly ApiPoint[]): TimedPoint[] {
  return points.map((p) => {
    const t = p.time ? Date.parse(p.time) : NaN;
    return { step: p.step, value: p.value, time: Number.isFinite(t) ? t : null };
  });
}

/** One run's clock: its first point's time and its epoch ends, for time and epoch axes. */
export interface RunClock {
  origin: number | null;
  epochs: EpochEnd[];
}

/** The clock of a run from all its metrics (epoch ends from the epoch-level ones). */
export function runClock(
  metrics: readonly { name: string; points: readonly ApiPoint[] }[],
): RunClock {
  const timed = metrics.map((m) => ({ name: m.name, points: timedPoints(m.points) }));
  return {
    origin: firstTime(timed),
    epochs: epochEnds(timed.filter((m) => metricLevel(m.name) === 'epoch')),
  };
}

/** How a curve's x axis reads under a setting: its title, tick format and the metric's level. */
export interface CurveAxis {
  title: string;
  format: XFormat;
  level: MetricLevel;
}

/** The x axis of the chart of `metric` (a name or pair key such as `batch_loss`). */
export function curveAxis(metric: string, mode: XAxisMode): CurveAxis {
  const level = metricLevel(metric);
  return { title: xAxisTitle(mode, level), format: xFormatOf(mode), level };
}

/** A run's points of `metric` on the x axis `mode` (see `toXPoints` in @convscope/viz). */
export function curvePoints(
  points: readonly ApiPoint[],
  opts: { metric: string; mode: XAxisMode; clock: RunClock },
): Point[] {
  return toXPoints(timedPoints(points), {
    mode: opts.mode,
    level: metricLevel(opts.metric),
    origin: opts.clock.origin,
    epochs: opts.clock.epochs,
  });
}
