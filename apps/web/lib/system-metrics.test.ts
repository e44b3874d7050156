import { describe, expect, it } from 'vitest';
import type { MetricSeries } from './queries';
import { isSystemMetric, systemCharts } from './system-metrics';

const series = (name: string, n = 2): MetricSeries =>
  ({
    name,
    downsampled: false,
    points: Array.from({ length: n }, (_, i) => ({ step: i * 5, value: i, time: null })),
  }) as unknown as MetricSeries;

describe('system metrics', () => {
  it('tells system/* metrics apart', () => {
    expect(isSystemMetric('system/cpu_percent')).toBe(true);
    expect(isSystemMetric('batch_loss')).toBe(false);
    expect(isSystemMetric('systematic_error')).toBe(false);
  });

  it('orders CPU, memory, lag, then GPUs and unknown ones by name, with titles and units', () => {
    const charts = systemCharts([
      series('loss'),
      series('system/gpu0_memory_used_mb'),
      series('system/zz_custom'),
      series('system/event_loop_lag_ms'),
      series('system/cpu_percent'),
      series('system/process_rss_mb'),
      series('system/gpu0_utilization_percent'),
      series('system/memory_used_percent', 0), // no points: left out
    ]);
    expect(charts.map((c) => [c.key, c.title, c.unit])).toEqual([
      ['cpu_percent', 'CPU', '%'],
      ['process_rss_mb', 'Process memory (RSS)', 'MB'],
      ['event_loop_lag_ms', 'Event-loop lag (mean)', 'ms'],
      ['gpu0_memory_used_mb', 'GPU 0 memory used', 'MB'],
      ['gpu0_utilization_percent', 'GPU 0 utilisation', '%'],
      ['zz_custom', 'zz_custom', ''],
    ]);
  });
});
