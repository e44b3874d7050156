// Metric use cases: idempotent, atomic batch logging and downsampled reads.
import { apiError, badInput, ErrorCode, isUniqueViolation, notFound } from '../common/errors';
import { limits, LIMITS, runFull } from '../common/limits';
import { isFinished } from '../run/run-status';
import type { RunService } from '../run/run.service';
import type { LivePublisher } from '../live/live-publisher';
import {
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type PageArgs,
  type PageRequest,
} from '../common/keyset';
import {
  metricSeriesId,
  StoredPointsFound,
  type IngestPlan,
  type MetricPointRow,
  type MetricRepository,
  type NewMetricPoint,
} from './metric.repository';

/** Default `maxPoints` of Run.metric / Run.metrics. */
export const DEFAULT_MAX_POINTS = 1000;
/** Largest batch logMetrics accepts. */
export const MAX_BATCH = LIMITS.metricPoints;
/** Most distinct metric names in one batch (each is bound as a parameter on SQLite). */
export const MAX_BATCH_NAMES = LIMITS.metricNamesPerBatch;
/** Latest accepted point time (9999-12-31T23:59:59.999Z; both databases store it). */
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A point as sent by a client (shape of MetricPointInput). */
export interface MetricPointData {
  name: string;
  step: number;
  value: number;
  time?: Date | null;
}

/**
 * The reason (extensions.reason, code INVALID_STATE) of a write naming a queue job attempt that
 * no longer holds the run's job: the same reason the worker protocol answers (queue/worker.service).
 */
export const LEASE_LOST = 'LEASE_LOST';

/** Metric names already found valid, as limits.name returned them (a pure function of the text). */
const validNames = new Map<string, string>();

/** limits.name of a batch's point name, remembered: loggers send the same few names all the time. */
function validName(name: unknown, index: number): string {
  const known = typeof name === 'string' ? validNames.get(name) : undefined;
  if (known !== undefined) return known;
  const checked = limits.name(name, `points[${index}].name`, LIMITS.metricName);
  if (validNames.size >= 10_000) validNames.clear();
  validNames.set(name as string, checked);
  return checked;
}

/** A job attempt is a positive integer (BAD_USER_INPUT, field attempt); null/undefined: none. */
function checkJobAttempt(attempt: number | null | undefined): void {
  if (attempt !== undefined && attempt !== null && !(Number.isSafeInteger(attempt) && attempt >= 1))
    throw badInput(`attempt must be a positive integer, got ${attempt}`, { field: 'attempt' });
}

/** One metric's points as columns (shape of MetricSeriesInput). */
export interface MetricSeriesData {
  name: string;
  steps: readonly number[];
  values: readonly (number | null)[];
  times?: readonly (Date | null)[] | null;
}

/**
 * The points of logMetricSeries' columns, in order (series by series), for {@link MetricService.log}.
 * @throws BAD_USER_INPUT when a series' lists differ in length, or the batch exceeds MAX_BATCH
 */
export function seriesPoints(series: readonly MetricSeriesData[]): MetricPointData[] {
  limits.list(series, 'series', MAX_BATCH);
  let total = 0;
  for (const [index, s] of series.entries()) {
    const n = s.steps.length;
    if (s.values.length !== n || (s.times != null && s.times.length !== n))
      throw badInput(
        `series[${index}] ("${String(s.name)}") has ${n} steps but ${s.values.length} values${s.times != null ? ` and ${s.times.length} times` : ''}; each list holds one entry per point`,
        { field: 'series', index },
      );
    total += n;
    if (total > MAX_BATCH)
      throw badInput(
        `series hold more than ${MAX_BATCH} points; the limit per batch is ${MAX_BATCH}`,
        {
          field: 'series',
          limit: MAX_BATCH,
        },
      );
  }
  const points: MetricPointData[] = new Array<MetricPointData>(total);
  let i = 0;
  for (const s of series) {
    const { name, steps, values, times } = s;
    for (let k = 0; k < steps.length; k++)
      points[i++] = { name, step: steps[k]!, value: values[k] as number, time: times?.[k] ?? null };
  }
  return points;
}

/** Result of logMetrics. */
export interface LogMetricsOutcome {
  accepted: number;
  duplicates: number;
}

/** Points per page of Run.metricPoints when neither first nor last is given. */
export const DEFAULT_POINTS_PAGE = 1000;
/** Most points one page of Run.metricPoints returns. */
export const MAX_POINTS_PAGE = 10_000;

const POINTS_CURSOR = 'metric-point:step';

/**
 * Checks the paging arguments of Run.metricPoints and decodes the cursor.
 * @throws BAD_USER_INPUT for bad sizes or a cursor of another field
 */
export function metricPointsRequest(args: PageArgs): PageRequest {
  const request = pageRequest(args, {
    kind: POINTS_CURSOR,
    defaultSize: DEFAULT_POINTS_PAGE,
    maxSize: MAX_POINTS_PAGE,
  });
  const [step] = request.key ?? [];
  if (request.key && (request.key.length !== 1 || !Number.isInteger(step)))
    throw badInput('Invalid cursor (not a cursor this API returned)', {
      field: request.direction === 'forward' ? 'after' : 'before',
    });
  return request;
}

/** A possibly downsampled series (shape of MetricSeries). */
export interface MetricSeriesModel {
  id: string;
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

/** Validates the `names` argument of Run.metrics: at most 200 metric names. */
export function resolveMetricNames(names: readonly string[]): string[] {
  return limits.names(names, 'names', LIMITS.metricNamesArg, LIMITS.metricName);
}

/** Validates the `name` argument of Run.metric. */
export function resolveMetricName(name: string): string {
  return limits.name(name, 'name', LIMITS.metricName);
}

/** The MetricSeries of a series already downsampled by the repository. */
export function toSeries(
  runId: string,
  name: string,
  loaded: { total: number; points: MetricPointRow[] },
): MetricSeriesModel {
  return {
    id: metricSeriesId(runId, name),
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
    /** Most distinct metric names one run holds (Run.metricNames, Run.summary are bounded by it). */
    private readonly maxNames: number = LIMITS.metricNamesPerRun,
    /** Change notices for the dashboard's live stream (none in unit tests). */
    private readonly live: LivePublisher | null = null,
  ) {}

  /**
   * One page of a run's metric by step (keyset cursors on the step; only the page is read).
   * `total` is the series' stored length (from its summary).
   */
  async pointsPage(
    runId: string,
    name: string,
    request: PageRequest,
    total: number,
  ): Promise<ConnectionPage<MetricPointRow> & { totalCount: number }> {
    const [step] = request.key ?? [];
    const rows =
      total === 0
        ? [] // the run lacks the metric
        : await this.metrics.pointsPage(runId, name, {
            direction: request.direction,
            size: request.size,
            afterStep: typeof step === 'number' ? step : null,
          });
    const page = toConnection(rows, request, (p) => encodeKeyset(POINTS_CURSOR, [p.step]));
    return { ...page, totalCount: total };
  }

  /** See {@link MetricRepository.projectOfRunNow}. */
  projectOfRunNow(runId: string): string | null | undefined {
    return this.metrics.projectOfRunNow(runId);
  }

  /** See {@link MetricRepository.projectOfRun}. */
  projectOfRun(runId: string): Promise<string | null | undefined> {
    return this.metrics.projectOfRun(runId);
  }

  /**
   * Stores a batch of points for a run. Re-sent points (same name, step and value) are
   * counted as duplicates, so a client may retry a batch blindly. A point whose (name, step)
   * is stored — or appears earlier in the batch — with another value fails the whole batch
   * with STEP_CONFLICT; NaN/Infinity fail it with INVALID_METRIC_VALUE; a batch that would make
   * the run hold more than `maxNames` metric names fails with BAD_USER_INPUT. Nothing is stored
   * from a failed batch and nothing stored before is touched. `projectId`: the run's project as
   * the caller's permission check found it (then the run's status is checked only inside the
   * inserting transaction, saving a read per batch); without it the run is read first.
   * `jobAttempt`: the queue job attempt of the worker writing (its tracker sends it): unless the
   * run's job is ACTIVE in that attempt (read in the same state query), the batch fails with
   * INVALID_STATE, reason LEASE_LOST, and stores nothing. Absent for runs no worker started.
   */
  async log(
    runId: string,
    points: readonly MetricPointData[],
    projectId?: string,
    jobAttempt?: number | null,
  ): Promise<LogMetricsOutcome> {
    checkJobAttempt(jobAttempt);
    this.runs.noteAlive(runId); // a write of the run's worker is a heartbeat too
    limits.list(points, 'points', MAX_BATCH);
    // Each distinct name is checked once (a batch repeats a few names many times).
    const names = new Map<unknown, string>();
    for (const [index, p] of points.entries()) {
      if (names.has(p.name)) continue;
      if (names.size >= MAX_BATCH_NAMES)
        throw badInput(
          `points name more than ${MAX_BATCH_NAMES} different metrics; the limit per batch is ${MAX_BATCH_NAMES} (send the rest in another batch)`,
          { field: 'points', index, limit: MAX_BATCH_NAMES, found: `>${MAX_BATCH_NAMES}` },
        );
      names.set(p.name, validName(p.name, index));
    }
    const now = new Date();
    const batch = new Map<string, NewMetricPoint>();
    let duplicates = 0;
    for (const [index, p] of points.entries()) {
      const name = names.get(p.name)!;
      const time = p.time ?? now;
      if (!(time.getTime() >= 0 && time.getTime() <= MAX_TIME))
        throw badInput(
          `points[${index}].time must be between 1970-01-01 and 9999-12-31, got ${Number.isNaN(time.getTime()) ? 'an invalid date' : time.toISOString()}`,
          { field: 'points', index, metric: name },
        );
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
      batch.set(key, { name, step: p.step, value: p.value, time });
    }
    const run =
      projectId === undefined
        ? await this.runs.requireUnfinished(runId, 'no new metric points')
        : { id: runId, projectId };
    const fresh = [...batch.values()];
    // A concurrent retry of the same batch may insert between our read and write; the unique
    // index rejects ours, and the next attempt sees those points as duplicates.
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await this.metrics.insertAtomically(
          runId,
          fresh,
          this.plan(runId, fresh, jobAttempt ?? null),
        );
        if (stored.accepted > 0) this.live?.runMetrics(run); // coalesced per run by the publisher
        return { accepted: stored.accepted, duplicates: duplicates + stored.duplicates };
      } catch (err) {
        if (attempt < 3 && (isUniqueViolation(err) || err instanceof StoredPointsFound)) continue;
        throw err;
      }
    }
  }

  /**
   * The decisions taken inside the inserting transaction: nothing into a finished run
   * (INVALID_STATE), nothing that would make the run hold more than `maxNames` metric names
   * (BAD_USER_INPUT); on a retry, nothing when a point conflicts with a stored one
   * (STEP_CONFLICT), else the points not stored yet (re-sent ones count as duplicates).
   */
  private plan(
    runId: string,
    fresh: readonly NewMetricPoint[],
    attempt: number | null,
  ): IngestPlan {
    return {
      attempt,
      admit: ({ status, names, freshNames, attemptHeld }) => {
        if (status === null) throw notFound('Run', runId); // deleted since the permission check
        if (attempt !== null && !attemptHeld)
          throw apiError(
            ErrorCode.INVALID_STATE,
            `Run ${runId}: job attempt ${attempt} no longer holds the run (its lease was lost and the job was retried, or it ended): stop writing`,
            { reason: LEASE_LOST, id: runId, attempt },
          );
        // Checked (again) inside the transaction: the run may have finished since.
        if (status !== null && isFinished(status))
          throw apiError(
            ErrorCode.INVALID_STATE,
            `Run ${runId} is ${status}: the training record of a finished run is immutable (no new metric points)`,
            { id: runId, status },
          );
        if (names + freshNames > this.maxNames)
          throw runFull(runId, 'metricNames', 'metric names', this.maxNames, names + freshNames);
      },
      settle: (existing) => {
        let duplicates = 0;
        const insert: NewMetricPoint[] = [];
        for (const p of fresh) {
          const value = existing.get(`${p.name}\u0000${p.step}`);
          if (value === undefined) insert.push(p);
          else if (sameMetricValue(value, p.value)) duplicates += 1;
          else throw this.conflict(p.name, p.step, value, p.value);
        }
        return { insert, duplicates };
      },
    };
  }

  private conflict(name: string, step: number, stored: number, sent: number) {
    return apiError(
      ErrorCode.STEP_CONFLICT,
      `Metric "${name}" already has value ${stored} at step ${step}; refusing ${sent}`,
      { metric: name, step, storedValue: stored, value: sent },
    );
  }
}
