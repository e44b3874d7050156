import type { MetricSeries } from './queries';

/** Prefix of the system metrics a training client samples (libs/ml callbacks/system-metrics.ts). */
export const SYSTEM_PREFIX = 'system/';

/** True for a `system/...` metric: charted in the System section, never as a training curve. */
export function isSystemMetric(name: string): boolean {
  return name.startsWith(SYSTEM_PREFIX);
}

/** Titles and units of the known system metrics; others get their name. */
const KNOWN: Readonly<Record<string, { title: string; unit: string }>> = {
  cpu_percent: { title: 'CPU', unit: '%' },
  memory_used_percent: { title: 'System memory used', unit: '%' },
  memory_used_mb: { title: 'System memory used', unit: 'MB' },
  process_rss_mb: { title: 'Process memory (RSS)', unit: 'MB' },
  event_loop_lag_ms: { title: 'Event-loop lag (mean)', unit: 'ms' },
  event_loop_lag_max_ms: { title: 'Event-loop lag (max)', unit: 'ms' },
};

/** One system chart: its metric, title and unit. */
export interface SystemChart {
  series: MetricSeries;
  /** The name without `system/`. */
  key: string;
  title: string;
  unit: string;
}

/**
 * The system charts of a run, in a fixed order (CPU, memory, event loop, then GPUs and the rest
 * by name); series without points are left out (pure).
 */
export function systemCharts(metrics: readonly MetricSeries[]): SystemChart[] {
  const order = Object.keys(KNOWN);
  return metrics
    .filter((m) => isSystemMetric(m.name) && m.points.length > 0)
    .map((series) => {
      const key = series.name.slice(SYSTEM_PREFIX.length);
      const gpu = /^gpu(\d+)_(utilization_percent|memory_used_mb)$/.exec(key);
      const known = KNOWN[key];
      const title = known
        ? known.title
        : gpu
          ? `GPU ${gpu[1]} ${gpu[2] === 'utilization_percent' ? 'utilisation' : 'memory used'}`
          : key;
      const unit = known?.unit ?? (gpu ? (gpu[2] === 'utilization_percent' ? '%' : 'MB') : '');
      return { series, key, title, unit };
    })
    .sort((a, b) => {
      const ia = order.indexOf(a.key);
      const ib = order.indexOf(b.key);
      if (ia !== ib) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
}
