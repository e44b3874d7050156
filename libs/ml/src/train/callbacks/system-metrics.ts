/**
 * System metrics of a tracked run while it trains, sampled every few seconds (default 5 s) and
 * logged as metrics named `system/...` at step = seconds since training began: CPU %, process
 * RSS, system memory used, event-loop lag (mean and max since the last sample) and, where
 * systeminformation reports a GPU, its utilisation and memory. The dashboard charts them in a
 * "System" section, apart from the training curves.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import type { MetricPointInput, RunTracker } from '../../tracking/run-tracker';
import type { TrainingCallback } from '../training-callback';

/** Default sampling period. */
export const DEFAULT_SYSTEM_METRICS_MS = 5000;

/** Prefix of every system metric (the dashboard keeps these out of the training curves). */
export const SYSTEM_METRIC_PREFIX = 'system/';

/** One GPU as read. */
export interface GpuSample {
  utilizationPercent?: number;
  memoryUsedBytes?: number;
}

/** One reading of the machine (every field optional: a reader reports what it can). */
export interface SystemSample {
  /** CPU load of the whole machine, 0-100. */
  cpuPercent?: number;
  /** Resident set size of this process. */
  processRssBytes?: number;
  /** Memory in use on the machine (without caches), and the total. */
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  gpus?: GpuSample[];
}

/** Reads the machine (injected in tests). */
export interface SystemReader {
  read(): Promise<SystemSample>;
}

/** Event-loop delay since the last call, in ms (injected in tests). */
export interface LagMonitor {
  /** Mean and max delay since the previous call; null when nothing was measured. */
  take(): { meanMs: number; maxMs: number } | null;
  stop(): void;
}

/** Starts calling `fn` every `ms`; returns the function that stops it (injected in tests). */
export type Every = (ms: number, fn: () => void) => () => void;

const MB = 1024 * 1024;

/** The points of one sample at `step` (pure). */
export function systemPoints(
  sample: SystemSample,
  lag: { meanMs: number; maxMs: number } | null,
  step: number,
): MetricPointInput[] {
  const out: MetricPointInput[] = [];
  const add = (name: string, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value))
      out.push({ name: `${SYSTEM_METRIC_PREFIX}${name}`, step, value });
  };
  add('cpu_percent', sample.cpuPercent);
  add(
    'process_rss_mb',
    sample.processRssBytes === undefined ? undefined : sample.processRssBytes / MB,
  );
  add(
    'memory_used_mb',
    sample.memoryUsedBytes === undefined ? undefined : sample.memoryUsedBytes / MB,
  );
  if (sample.memoryUsedBytes !== undefined && sample.memoryTotalBytes)
    add('memory_used_percent', (100 * sample.memoryUsedBytes) / sample.memoryTotalBytes);
  if (lag) {
    add('event_loop_lag_ms', lag.meanMs);
    add('event_loop_lag_max_ms', lag.maxMs);
  }
  (sample.gpus ?? []).forEach((g, i) => {
    add(`gpu${i}_utilization_percent`, g.utilizationPercent);
    add(
      `gpu${i}_memory_used_mb`,
      g.memoryUsedBytes === undefined ? undefined : g.memoryUsedBytes / MB,
    );
  });
  return out;
}

/** CPU load from os.cpus() times between two calls (the fallback without systeminformation). */
function osCpuMeter(): () => number | undefined {
  const totals = () =>
    os.cpus().reduce(
      (acc, c) => {
        const t = c.times;
        acc.idle += t.idle;
        acc.all += t.user + t.nice + t.sys + t.idle + t.irq;
        return acc;
      },
      { idle: 0, all: 0 },
    );
  let last = totals();
  return () => {
    const now = totals();
    const all = now.all - last.all;
    const idle = now.idle - last.idle;
    last = now;
    return all > 0 ? (100 * (all - idle)) / all : undefined;
  };
}

/**
 * The default reader: systeminformation (CPU load, memory, GPUs where it reports utilisation),
 * else node's os module (CPU from cpu times, memory from totalmem/freemem). GPUs are looked for
 * once (the query runs nvidia-smi) and read again only when one reported utilisation.
 */
export async function defaultSystemReader(): Promise<SystemReader> {
  const rss = () => process.memoryUsage.rss();
  try {
    const si = await import('systeminformation');
    const graphics = await si.graphics().catch(() => ({ controllers: [] }));
    const hasGpu = graphics.controllers.some((c) => c.utilizationGpu !== undefined);
    return {
      async read() {
        const [load, mem, gpu] = await Promise.all([
          si.currentLoad(),
          si.mem(),
          hasGpu ? si.graphics().catch(() => graphics) : Promise.resolve(null),
        ]);
        return {
          cpuPercent: load.currentLoad,
          processRssBytes: rss(),
          memoryUsedBytes: mem.active,
          memoryTotalBytes: mem.total,
          gpus: gpu?.controllers
            .filter((c) => c.utilizationGpu !== undefined || c.memoryUsed !== undefined)
            .map((c) => ({
              utilizationPercent: c.utilizationGpu,
              memoryUsedBytes: c.memoryUsed === undefined ? undefined : c.memoryUsed * MB,
            })),
        };
      },
    };
  } catch {
    const cpu = osCpuMeter();
    return {
      read: () =>
        Promise.resolve({
          cpuPercent: cpu(),
          processRssBytes: rss(),
          memoryUsedBytes: os.totalmem() - os.freemem(),
          memoryTotalBytes: os.totalmem(),
        }),
    };
  }
}

/** Event-loop delay with perf_hooks' monitorEventLoopDelay (10 ms resolution). */
export function eventLoopLagMonitor(): LagMonitor {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    take() {
      if (h.count === 0) return null;
      const out = { meanMs: h.mean / 1e6, maxMs: h.max / 1e6 };
      h.reset();
      return out;
    },
    stop: () => h.disable(),
  };
}

const defaultEvery: Every = (ms, fn) => {
  const t = setInterval(fn, ms);
  t.unref(); // never what keeps a finished process alive
  return () => clearInterval(t);
};

/** Options of {@link systemMetricsCallback}. */
export interface SystemMetricsOptions {
  /** Sampling period in ms (default {@link DEFAULT_SYSTEM_METRICS_MS}). */
  intervalMs?: number;
  /** The machine's reader (default {@link defaultSystemReader}). */
  reader?: SystemReader | Promise<SystemReader>;
  /** Event-loop lag (default {@link eventLoopLagMonitor}). */
  lag?: LagMonitor;
  /** Timer (default setInterval, unref'd). */
  every?: Every;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Told of a failed reading (the sampler goes on). */
  onError?(error: unknown): void;
}

/**
 * Samples the machine every `intervalMs` from the start of training to its end and logs the
 * points to the tracker (sent by its next flush). One reading at a time: a tick that finds the
 * previous still reading joins it. `sample()` takes a reading now (or joins the one running). Steps are whole seconds since training began, strictly
 * increasing (metric points are unique per name and step).
 */
export function systemMetricsCallback(
  tracker: Pick<RunTracker, 'log'>,
  options: SystemMetricsOptions = {},
): TrainingCallback & { sample(): Promise<void>; stop(): void } {
  const intervalMs = options.intervalMs ?? DEFAULT_SYSTEM_METRICS_MS;
  const now = options.now ?? Date.now;
  let reader: Promise<SystemReader> | undefined;
  let lag: LagMonitor | undefined;
  let stopTimer: (() => void) | undefined;
  let started = 0;
  let lastStep = -1;
  let inFlight: Promise<void> | undefined;

  const read = async (from: Promise<SystemReader>): Promise<void> => {
    try {
      const s = await (await from).read();
      const step = Math.max(lastStep + 1, Math.floor((now() - started) / 1000));
      lastStep = step;
      await tracker.log(systemPoints(s, lag?.take() ?? null, step));
    } catch (err) {
      options.onError?.(err);
    } finally {
      inFlight = undefined;
    }
  };
  // A reading in progress is joined, not doubled (a slow sensor skips ticks).
  const sample = (): Promise<void> => {
    if (!reader) return Promise.resolve();
    inFlight ??= read(reader);
    return inFlight;
  };
  const stop = () => {
    stopTimer?.();
    stopTimer = undefined;
    lag?.stop();
  };
  return {
    name: 'system-metrics',
    sample,
    stop,
    onTrainBegin: () => {
      started = now();
      reader = Promise.resolve(options.reader ?? defaultSystemReader());
      lag = options.lag ?? eventLoopLagMonitor();
      stopTimer = (options.every ?? defaultEvery)(intervalMs, () => void sample());
      // A first reading at once: short runs get at least one point.
      void sample();
    },
    // The reading in progress (or a last one) is logged before the tracker's final flush, which
    // runs in a later callback: a run shorter than the first reading still gets its point.
    onTrainEnd: async () => {
      try {
        await (inFlight ?? sample());
      } finally {
        stop();
      }
    },
  };
}
