// Prisma access for sweeps (the only module touching the Sweep table) and the reads of a sweep's
// runs and their target metric that planning and judging a sweep need.
import type { Db } from '../db/prisma';
import type { KeyValue, PageRequest } from '../common/keyset';

const sweepSelect = {
  id: true,
  projectId: true,
  name: true,
  status: true,
  method: true,
  config: true,
  configText: true,
  launched: true,
  launchErrors: true,
  lastError: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
  endedAt: true,
} as const;

/** A stored sweep; `config` is the validated config as JSON text. */
export interface SweepRow {
  id: string;
  projectId: string;
  name: string;
  status: string;
  method: string;
  config: string;
  configText: string;
  launched: number;
  launchErrors: number;
  lastError: string | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

/** What the sweep service needs of one of a sweep's runs. */
export interface SweepRunRow {
  id: string;
  name: string;
  status: string;
  hyperparameters: string;
  cancelRequested: boolean;
  createdAt: Date;
}

/** A run's best and last value of the sweep's metric. */
export interface SweepMetricRow {
  runId: string;
  min: number;
  max: number;
  last: number;
}

/** One point of the sweep's metric (ASHA reads the rungs' steps). */
export interface SweepPointRow {
  runId: string;
  step: number;
  value: number;
  time: Date;
}

/** Reads and writes sweeps. */
export class SweepRepository {
  constructor(private readonly prisma: Db) {}

  /** Stores a new sweep. */
  create(data: {
    projectId: string;
    name: string;
    method: string;
    config: string;
    configText: string;
    createdById: string;
  }): Promise<SweepRow> {
    return this.prisma.sweep.create({ data, select: sweepSelect });
  }

  /** One sweep by id, or null. */
  find(id: string): Promise<SweepRow | null> {
    return this.prisma.sweep.findUnique({ where: { id }, select: sweepSelect });
  }

  /**
   * One keyset page of a project's sweeps, newest first (createdAt desc, id desc): `size + 1`
   * rows in walking order. The key is [createdAt ms, id].
   */
  page(projectId: string, request: PageRequest): Promise<SweepRow[]> {
    const forward = request.direction === 'forward';
    const [at, id] = (request.key ?? []) as [KeyValue?, KeyValue?];
    // Forward walks newer-to-older (lt); backward walks older-to-newer (gt).
    const op = forward ? 'lt' : 'gt';
    const where =
      request.key === null
        ? { projectId }
        : {
            projectId,
            OR: [
              { createdAt: { [op]: new Date(Number(at)) } },
              { createdAt: new Date(Number(at)), id: { [op]: String(id) } },
            ],
          };
    const dir = forward ? 'desc' : 'asc';
    return this.prisma.sweep.findMany({
      where,
      orderBy: [{ createdAt: dir }, { id: dir }],
      take: request.size + 1,
      select: sweepSelect,
    });
  }

  /** Sweeps in a project. */
  count(projectId: string): Promise<number> {
    return this.prisma.sweep.count({ where: { projectId } });
  }

  /** Ids of sweeps in `statuses` (the ticker's work list), oldest first. */
  async idsWithStatus(statuses: readonly string[], take: number): Promise<string[]> {
    const rows = await this.prisma.sweep.findMany({
      where: { status: { in: [...statuses] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** Moves a sweep from one of `from` to `to`; false when it was in none of them (a race lost). */
  async setStatus(
    id: string,
    from: readonly string[],
    to: string,
    endedAt: Date | null = null,
  ): Promise<boolean> {
    const r = await this.prisma.sweep.updateMany({
      where: { id, status: { in: [...from] } },
      data: { status: to, ...(endedAt ? { endedAt } : {}) },
    });
    return r.count > 0;
  }

  /**
   * Claims run indexes [expected, expected + count) of a RUNNING sweep: compare-and-swap on
   * `launched`, so of two API instances planning at once only one queues them.
   */
  async claim(id: string, expected: number, count: number): Promise<boolean> {
    const r = await this.prisma.sweep.updateMany({
      where: { id, status: 'RUNNING', launched: expected },
      data: { launched: expected + count },
    });
    return r.count > 0;
  }

  /** Records a claimed index whose run could not be queued. */
  async addLaunchError(id: string, message: string): Promise<void> {
    await this.prisma.sweep.update({
      where: { id },
      data: { launchErrors: { increment: 1 }, lastError: message.slice(0, 2000) },
      select: { id: true },
    });
  }

  /** Runs of the sweep per status. */
  async statusCounts(sweepId: string): Promise<Map<string, number>> {
    const rows = await this.prisma.run.groupBy({
      by: ['status'],
      where: { sweepId },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.status, r._count._all]));
  }

  /** The sweep's runs in creation order (at most `take`: the budget bounds a sweep). */
  runs(sweepId: string, take: number): Promise<SweepRunRow[]> {
    return this.prisma.run.findMany({
      where: { sweepId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      select: {
        id: true,
        name: true,
        status: true,
        hyperparameters: true,
        cancelRequested: true,
        createdAt: true,
      },
    });
  }

  /** Ids of one keyset page of the sweep's runs in creation order; key [createdAt ms, id]. */
  async runPage(sweepId: string, request: PageRequest): Promise<{ id: string; createdAt: Date }[]> {
    const forward = request.direction === 'forward';
    const [at, id] = (request.key ?? []) as [KeyValue?, KeyValue?];
    const op = forward ? 'gt' : 'lt';
    const where =
      request.key === null
        ? { sweepId }
        : {
            sweepId,
            OR: [
              { createdAt: { [op]: new Date(Number(at)) } },
              { createdAt: new Date(Number(at)), id: { [op]: String(id) } },
            ],
          };
    const dir = forward ? 'asc' : 'desc';
    return this.prisma.run.findMany({
      where,
      orderBy: [{ createdAt: dir }, { id: dir }],
      take: request.size + 1,
      select: { id: true, createdAt: true },
    });
  }

  /** Runs of the sweep. */
  countRuns(sweepId: string): Promise<number> {
    return this.prisma.run.count({ where: { sweepId } });
  }

  /** The summary (min, max, last) of `metric` for each of the runs that logged it. */
  metricSummaries(runIds: readonly string[], metric: string): Promise<SweepMetricRow[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return this.prisma.runMetricSummary.findMany({
      where: { runId: { in: [...runIds] }, name: metric },
      select: { runId: true, min: true, max: true, last: true },
    });
  }

  /** The runs' points of `metric` at the given steps (ASHA's rungs; epoch k is step k). */
  pointsAtSteps(
    runIds: readonly string[],
    metric: string,
    steps: readonly number[],
  ): Promise<SweepPointRow[]> {
    if (runIds.length === 0 || steps.length === 0) return Promise.resolve([]);
    return this.prisma.metricPoint.findMany({
      where: { runId: { in: [...runIds] }, name: metric, step: { in: [...steps] } },
      select: { runId: true, step: true, value: true, time: true },
    });
  }
}
