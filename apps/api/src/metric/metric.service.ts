// Metric use cases: idempotent, atomic batch logging and downsampled reads.
import { apiError, badInput, ErrorCode, isUniqueViolation } from '../common/errors.js';
import type { RunService } from '../run/run.service.js';
import type { MetricPointRow, MetricRepository, NewMetricPoint } from './metric.repository.js';

/** Default `maxPoints` of Run.metric / Run.metrics. */
export const DEFAULT_MAX_POINTS = 1000;
/** Largest batch logMetrics accepts. */
export const MAX_BATCH = 200_000;

/** A point as sent by a client (shape of MetricPointInput). */
export interface MetricPointData {
  name: string;
  step: number;
  value: number;
  time?: Date | null;
}

/** Result of logMetrics. */
export interface LogMetricsOutcome {
  accepted: number;
  duplicates: number;
}

/** A possibly downsampled series (shape of MetricSeries). */
export interface MetricSeriesModel {
  name: string;
  totalPoints: number;
  downsampled: boolean;
  points: MetricPointRow[];
}

/**
 * True if a stored value and a re-sent one are the same point. Values are stored exactly, but
 * a point written through Prisma's number parameters keeps only 16 significant digits (1/6
 * becomes 0.1666666666666667), so a retry must still match such a value; anything further
 * apart is a real conflict.
 */
export function sameMetricValue(stored: number, sent: number): boolean {
  if (stored === sent) return true;
  return Math.abs(stored - sent) <= 4e-16 * Math.max(Math.abs(stored), Math.abs(sent));
}

/** Validates maxPoints (BAD_USER_INPUT) and applies the default. */
export function resolveMaxPoints(maxPoints: number | null | undefined): number {
  const n = maxPoints ?? DEFAULT_MAX_POINTS;
  if (!Number.isInteger(n) || n < 2)
    throw badInput('maxPoints must be an integer >= 2', { field: 'maxPoints' });
  return n;
}

/** The MetricSeries of a series already downsampled by the repository. */
export function toSeries(
  name: string,
  loaded: { total: number; points: MetricPointRow[] },
): MetricSeriesModel {
  return {
    name,
    totalPoints: loaded.total,
    downsampled: loaded.points.length < loaded.total,
    points: loaded.points,
  };
}

/** Metric business logic. */
export class MetricService {
  constructor(
    private readonly metrics: MetricRepository,
    private readonly runs: RunService,
  ) {}

  /**
   * Stores a batch of points for a run. Re-sent points (same name, step and value) are
   * counted as duplicates, so a client may retry a batch blindly. A point whose (name, step)
   * is stored — or appears earlier in the batch — with another value fails the whole batch
   * with STEP_CONFLICT; NaN/Infinity fail it with INVALID_METRIC_VALUE. Nothing is stored
   * from a failed batch and nothing stored before is touched.
   */
  async log(runId: string, points: readonly MetricPointData[]): Promise<LogMetricsOutcome> {
    if (points.length > MAX_BATCH)
      throw badInput(`At most ${MAX_BATCH} points per batch`, { field: 'points' });
    const now = new Date();
    const batch = new Map<string, NewMetricPoint>();
    let duplicates = 0;
    for (const [index, p] of points.entries()) {
      const name = typeof p.name === 'string' ? p.name.trim() : '';
      if (!name || name.length > 200)
        throw badInput(`points[${index}].name must be 1-200 characters`, { index });
      if (!Number.isSafeInteger(p.step) || p.step < 0 || p.step > 2_147_483_647) {
        throw badInput(`points[${index}].step must be a non-negative 32-bit integer`, {
          index,
          metric: name,
        });
      }
      if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
        throw apiError(
          ErrorCode.INVALID_METRIC_VALUE,
          `Metric "${name}" at step ${p.step} has a non-finite value (${String(p.value)})`,
          {
            metric: name,
            step: p.step,
          },
        );
      }
      const key = `${name}\u0000${p.step}`;
      const prior = batch.get(key);
      if (prior) {
        if (prior.value !== p.value) throw this.conflict(name, p.step, prior.value, p.value);
        duplicates += 1;
        continue;
      }
      batch.set(key, { name, step: p.step, value: p.value, time: p.time ?? now });
    }
    await this.runs.assertExists(runId);
    const fresh = [...batch.values()];
    // A concurrent retry of the same batch may insert between our read and write; the unique
    // index rejects ours, and the next attempt sees those points as duplicates.
    for (let attempt = 0; ; attempt++) {
      let storedDuplicates = 0;
      try {
        const accepted = await this.metrics.insertAtomically(runId, fresh, (existing) => {
          storedDuplicates = 0;
          const insert: NewMetricPoint[] = [];
          for (const p of fresh) {
            const stored = existing.get(`${p.name}\u0000${p.step}`);
            if (stored === undefined) insert.push(p);
            else if (sameMetricValue(stored, p.value)) storedDuplicates += 1;
            else throw this.conflict(p.name, p.step, stored, p.value);
          }
          return insert;
        });
        return { accepted, duplicates: duplicates + storedDuplicates };
      } catch (err) {
        if (attempt < 3 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  private conflict(name: string, step: number, stored: number, sent: number) {
    return apiError(
      ErrorCode.STEP_CONFLICT,
      `Metric "${name}" already has value ${stored} at step ${step}; refusing ${sent}`,
      { metric: name, step, storedValue: stored, value: sent },
    );
  }
}
