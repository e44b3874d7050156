// The system sampler with an injected reader, lag monitor, timer and clock (no real time passes).
import { describe, expect, it } from 'vitest';
import type { MetricPointInput } from '../../tracking/run-tracker';
import { systemMetricsCallback, systemPoints, type SystemSample } from './system-metrics';

const MB = 1024 * 1024;

describe('systemPoints', () => {
  it('names every reading system/... with hand-computed values', () => {
    const sample: SystemSample = {
      cpuPercent: 37.5,
      processRssBytes: 256 * MB,
      memoryUsedBytes: 4096 * MB,
      memoryTotalBytes: 16384 * MB,
      gpus: [{ utilizationPercent: 80, memoryUsedBytes: 1024 * MB }],
    };
    expect(systemPoints(sample, { meanMs: 1.5, maxMs: 12 }, 10)).toEqual([
      { name: 'system/cpu_percent', step: 10, value: 37.5 },
      { name: 'system/process_rss_mb', step: 10, value: 256 },
      { name: 'system/memory_used_mb', step: 10, value: 4096 },
      { name: 'system/memory_used_percent', step: 10, value: 25 },
      { name: 'system/event_loop_lag_ms', step: 10, value: 1.5 },
      { name: 'system/event_loop_lag_max_ms', step: 10, value: 12 },
      { name: 'system/gpu0_utilization_percent', step: 10, value: 80 },
      { name: 'system/gpu0_memory_used_mb', step: 10, value: 1024 },
    ]);
  });

  it('leaves out what the reader did not report (no GPU, no lag, NaN)', () => {
    expect(systemPoints({ cpuPercent: Number.NaN, processRssBytes: MB }, null, 0)).toEqual([
      { name: 'system/process_rss_mb', step: 0, value: 1 },
    ]);
  });
});

describe('systemMetricsCallback', () => {
  it('samples at the start and on every tick, at whole seconds since training began', async () => {
    let t = 1_000_000;
    const logged: MetricPointInput[] = [];
    let tick: (() => void) | undefined;
    let periodMs = 0;
    let stopped = false;
    let reads = 0;
    const cb = systemMetricsCallback(
      { log: (p) => (logged.push(...(Array.isArray(p) ? p : [p])), Promise.resolve()) },
      {
        intervalMs: 5000,
        now: () => t,
        reader: { read: () => Promise.resolve({ cpuPercent: ++reads * 10 }) },
        lag: { take: () => ({ meanMs: 2, maxMs: 4 }), stop: () => undefined },
        every: (ms, fn) => {
          periodMs = ms;
          tick = fn;
          return () => (stopped = true);
        },
      },
    );
    await cb.onTrainBegin?.({} as never);
    await cb.sample(); // joins the first reading, started by onTrainBegin
    expect(periodMs).toBe(5000);
    t += 5000;
    tick?.();
    await cb.sample(); // joins the tick's reading
    await cb.sample(); // a reading of its own, within the same second
    const cpu = logged.filter((p) => p.name === 'system/cpu_percent');
    expect(cpu.map((p) => [p.step, p.value])).toEqual([
      [0, 10],
      [5, 20],
      [6, 30], // a reading within the same second still gets a step of its own
    ]);
    expect(logged.some((p) => p.name === 'system/event_loop_lag_ms' && p.value === 2)).toBe(true);
    await cb.onTrainEnd?.({} as never);
    expect(stopped).toBe(true);
  });

  it('reports a failed reading and goes on', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const logged: MetricPointInput[] = [];
    const cb = systemMetricsCallback(
      { log: (p) => (logged.push(...(Array.isArray(p) ? p : [p])), Promise.resolve()) },
      {
        now: () => 0,
        reader: {
          read: () =>
            fail ? Promise.reject(new Error('no sensors')) : Promise.resolve({ cpuPercent: 1 }),
        },
        lag: { take: () => null, stop: () => undefined },
        every: () => () => undefined,
        onError: (e) => errors.push(e),
      },
    );
    await cb.onTrainBegin?.({} as never);
    await cb.sample();
    fail = false;
    await cb.sample();
    expect((errors[0] as Error).message).toBe('no sensors');
    expect(logged.map((p) => p.name)).toEqual(['system/cpu_percent']);
    cb.stop();
  });
});
