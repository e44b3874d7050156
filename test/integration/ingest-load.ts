// Many training processes logging to one API at once, through the real libs/ml tracking client
// (RunTracker over createGraphqlClient: retries with back-off through outages, points leave its
// buffer only once the API acknowledged them). Shared by the fault-tolerance test and the ingest
// figures of `npm run bench -- --only load`. Nothing here asserts timings.
import {
  createGraphqlClient,
  type GraphqlClient,
  type RetryPolicy,
} from '../../libs/ml/src/tracking/graphql-client';
// The logMetrics document the tracker sends, re-sent as a client repeating a batch would.
import { LOG_METRICS, RunTracker } from '../../libs/ml/src/tracking/run-tracker';

/** Metric names every logger writes, one point per name and step (like a Keras epoch end). */
export const INGEST_METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;

/** What to send. */
export interface IngestOptions {
  /** API origin, e.g. http://127.0.0.1:4123. */
  apiUrl: string;
  apiKey: string;
  /** Project every run is created in. */
  project: string;
  /** Concurrent loggers, one run each. */
  loggers: number;
  /** Steps per logger; each step has one point per name of {@link INGEST_METRICS}. */
  steps: number;
  /** Steps per logMetrics request (points per request: this times the number of names). */
  stepsPerBatch: number;
  /**
   * Every `duplicateEvery`-th batch of a logger is also sent a second time, as a client would
   * re-send a request whose answer it never saw (alternately at the same time as the first
   * send and after it). 0: never.
   */
  duplicateEvery?: number;
  /** Retry policy of each logger's client. */
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout of each logger's requests in ms (the client's default: 30 s). */
  timeoutMs?: number;
  /** Told after each acknowledged batch with the running total of acknowledged points. */
  onAcknowledged?(totalPoints: number): void;
}

/** What happened. */
export interface IngestResult {
  /** Run id per logger, in logger order. */
  runIds: string[];
  /** Duration of each acknowledged flush (one logMetrics request unless retried), ms. */
  latenciesMs: number[];
  /** Duration of each logger's createRun, ms. */
  createMs: number[];
  /** Points the loggers sent (each once; re-sends not counted). */
  points: number;
  /** Batches sent a second time on purpose. */
  resentBatches: number;
  /** Retries the clients made (network errors, 5xx, 429) before an answer. */
  retries: number;
  /** Sum of `accepted` and of `duplicates` in the answers the loggers received. */
  accepted: number;
  duplicates: number;
  elapsedMs: number;
}

/** The value of a point: a full-precision double unique to (logger, name, step). */
export function pointValue(logger: number, nameIndex: number, step: number): number {
  return Math.sin(logger * 7919 + nameIndex * 104_729 + step * 1.000_1) / (1 + step / 997);
}

/** Every point logger `logger` sends, in its order. */
export function loggerPoints(
  logger: number,
  steps: number,
): { name: string; step: number; value: number }[] {
  const points: { name: string; step: number; value: number }[] = [];
  for (let step = 0; step < steps; step++)
    INGEST_METRICS.forEach((name, i) =>
      points.push({ name, step, value: pointValue(logger, i, step) }),
    );
  return points;
}

/** Runs `loggers` concurrent trackers to the end (each run finished as COMPLETED). */
export async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const latenciesMs: number[] = [];
  const createMs: number[] = [];
  let acknowledged = 0;
  let resentBatches = 0;
  let retries = 0;
  let accepted = 0;
  let duplicates = 0;
  const perBatch = options.stepsPerBatch * INGEST_METRICS.length;
  const every = options.duplicateEvery ?? 0;

  async function logger(index: number): Promise<string> {
    const client = createGraphqlClient({
      apiUrl: options.apiUrl,
      apiKey: options.apiKey,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      onRetry: () => void (retries += 1),
    });
    // Counts what the API answers (the tracker itself only keeps what it still has to send).
    const counting: GraphqlClient = {
      ...client,
      async request(document, ...variables) {
        const data = await client.request(document, ...variables);
        // The tracker sends logMetricSeries; the re-sends below, logMetrics.
        const answer = data as Record<string, { accepted: number; duplicates: number } | undefined>;
        const log = answer.logMetricSeries ?? answer.logMetrics;
        if (log) {
          accepted += log.accepted;
          duplicates += log.duplicates;
        }
        return data;
      },
    };
    const c0 = performance.now();
    const tracker = await RunTracker.create({
      apiUrl: options.apiUrl,
      client: counting,
      project: options.project,
      name: `logger-${index}`,
      hyperparameters: { logger: index },
      heartbeatMs: 0, // logMetrics counts as a heartbeat; 50 heartbeat threads are not the point
    });
    createMs.push(performance.now() - c0);
    const points = loggerPoints(index, options.steps);
    let resentHere = 0;
    for (let b = 0, n = 0; b < points.length; b += perBatch, n++) {
      const batch = points.slice(b, b + perBatch);
      await tracker.log(batch);
      const resend = every > 0 && (n + index) % every === 0;
      const again = () => counting.request(LOG_METRICS, { runId: tracker.runId, points: batch });
      const t0 = performance.now();
      if (resend && resentHere++ % 2 === 0) {
        await Promise.all([tracker.flush(), again()]);
      } else {
        await tracker.flush();
        if (resend) await again();
      }
      latenciesMs.push(performance.now() - t0);
      if (resend) resentBatches += 1;
      acknowledged += batch.length;
      options.onAcknowledged?.(acknowledged);
    }
    await tracker.finish();
    return tracker.runId;
  }

  const runIds = await Promise.all(Array.from({ length: options.loggers }, (_, i) => logger(i)));
  return {
    runIds,
    latenciesMs,
    createMs,
    points: options.loggers * options.steps * INGEST_METRICS.length,
    resentBatches,
    retries,
    accepted,
    duplicates,
    elapsedMs: performance.now() - started,
  };
}

/** The q-quantile (0..1) of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
