// Sweeps: creating them from YAML/JSON, queuing their runs through the run queue, ASHA's early
// stops, pause/resume/stop, and what the sweep page shows (progress, best run, importance).
//
// No state lives in memory: every tick recomputes the sweep from the database, and the run
// indexes to queue are claimed with compare-and-swap on Sweep.launched, so any number of API
// instances may tick the same sweep (each index is queued by exactly one of them).
import {
  ashaRungs,
  ashaStops,
  formatSweepConfigProblem,
  parameterImportance,
  parseSweepConfig,
  plannedRuns,
  suggest,
  MAX_SWEEP_RUNS,
  type ParameterImportance,
  type SweepConfig,
} from '@convscope/sweep';
import type { AccessRepository } from '../auth/access.repository';
import type { Principal, UserPrincipal } from '../auth/principal';
import { apiError, badInput, ErrorCode } from '../common/errors';
import {
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type PageArgs,
} from '../common/keyset';
import { limits } from '../common/limits';
import { checkQueueRun } from '../queue/queue.checks';
import { RunStatus } from '../run/run-status';
import type { SweepRepository, SweepRow, SweepRunRow } from './sweep.repository';

/** Lifecycle of a sweep. */
export enum SweepStatus {
  /** Queues runs as earlier ones finish. */
  RUNNING = 'RUNNING',
  /** Queues no more runs; those in flight go on (ASHA still stops weak ones). */
  PAUSED = 'PAUSED',
  /** Stopped by a user: queued runs cancelled, running ones told to stop. */
  STOPPED = 'STOPPED',
  /** Every planned run has ended. */
  FINISHED = 'FINISHED',
}

/** What a sweep queues one run with (a subset of the queue's QueueRunInput). */
export interface SweepRunInput {
  projectId: string;
  name: string;
  /** The experiment file: the sweep's base. */
  config: Record<string, unknown>;
  /** Flat training overrides: the run's parameter values. */
  hyperparameters: Record<string, unknown>;
  tags: string[];
  sweepId: string;
}

/** The run queue as the sweep service uses it (RunQueueService, apps/api/src/queue). */
export interface SweepQueue {
  queueRun(principal: Principal, input: SweepRunInput): Promise<{ id: string }>;
  cancelRun(principal: Principal, runId: string): Promise<unknown>;
}

/** A sweep as GraphQL returns it (config parsed). */
export interface SweepModel extends Omit<SweepRow, 'config' | 'status'> {
  status: SweepStatus;
  config: SweepConfig;
}

/** Counts of the sweep's runs and its budget. */
export interface SweepProgressModel {
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Runs queued so far (and indexes whose queuing failed). */
  launched: number;
  /** Runs the sweep will queue in all (budget, or the grid when smaller). */
  planned: number;
  maxRuns: number;
  parallel: number;
  launchErrors: number;
}

/** One run of the sweep for the parallel-coordinates chart. */
export interface SweepPointModel {
  runId: string;
  runName: string;
  status: string;
  /** The run's value of each sweep parameter. */
  parameters: Record<string, unknown>;
  /** The run's best value of the target metric (max or min by the goal); null before any. */
  value: number | null;
}

/** A page of sweeps. */
export type SweepPage = ConnectionPage<SweepModel> & { totalCount: number };

/** Page sizes of `sweeps`. */
export const SWEEP_PAGE = { kind: 'sweep:created:desc', defaultSize: 20, maxSize: 100 } as const;
/** Page sizes of `Sweep.runs`. */
export const SWEEP_RUN_PAGE = {
  kind: 'sweep-run:created:asc',
  defaultSize: 50,
  maxSize: 100,
} as const;
/** Longest sweep config text accepted. */
export const MAX_SWEEP_CONFIG_CHARS = 64 * 1024;
/** Sweeps one tick of the ticker looks at (oldest first). */
const TICK_BATCH = 200;

const IN_FLIGHT = new Set<string>([RunStatus.QUEUED, RunStatus.RUNNING]);

function toModel(row: SweepRow): SweepModel {
  const parsed = parseSweepConfig(row.config);
  // Stored only after validation; a row that no longer parses (a later, stricter schema) is an
  // internal error rather than a silently different sweep.
  if (!parsed.ok)
    throw new Error(`Sweep ${row.id}: stored config no longer valid: ${parsed.problem.message}`);
  return { ...row, status: row.status as SweepStatus, config: parsed.config };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Options of {@link SweepService}. */
export interface SweepServiceOptions {
  now?: () => Date;
}

/** Sweep rules (permissions: the resolver). */
export class SweepService {
  private readonly now: () => Date;

  constructor(
    private readonly sweeps: SweepRepository,
    private readonly access: AccessRepository,
    /** Resolved lazily: the queue service is built beside this one. */
    private readonly queue: () => SweepQueue | null,
    options: SweepServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Validates the config text (YAML or JSON) and name before anything is looked up.
   * @throws BAD_USER_INPUT naming the field (`config.budget.maxRuns: ...`)
   */
  prepare(name: unknown, configText: unknown): { name: string; config: SweepConfig; text: string } {
    const cleanName = limits.name(name, 'name', 200);
    if (typeof configText !== 'string')
      throw badInput('config must be YAML or JSON text', { field: 'config' });
    if (configText.length > MAX_SWEEP_CONFIG_CHARS)
      throw badInput(`config is longer than ${MAX_SWEEP_CONFIG_CHARS} characters`, {
        field: 'config',
        limit: MAX_SWEEP_CONFIG_CHARS,
      });
    const parsed = parseSweepConfig(configText);
    if (!parsed.ok) {
      const field = parsed.problem.path === '' ? 'config' : `config.${parsed.problem.path}`;
      throw badInput(`Invalid sweep config: ${formatSweepConfigProblem(parsed.problem)}`, {
        field,
        path: parsed.problem.path,
      });
    }
    checkRunsQueueable(parsed.config);
    return { name: cleanName, config: parsed.config, text: configText };
  }

  /** Creates a sweep and queues its first runs (as the creator). */
  async create(
    principal: UserPrincipal,
    projectId: string,
    input: { name: string; config: SweepConfig; text: string },
  ): Promise<SweepModel> {
    const row = await this.sweeps.create({
      projectId,
      name: input.name,
      method: input.config.method,
      config: JSON.stringify(input.config),
      configText: input.text,
      createdById: principal.userId,
    });
    await this.tick(row.id, principal);
    return this.get(row.id);
  }

  /** One sweep, or null. */
  async find(id: string): Promise<SweepModel | null> {
    const row = await this.sweeps.find(limits.id(id, 'id'));
    return row ? toModel(row) : null;
  }

  private async get(id: string): Promise<SweepModel> {
    const sweep = await this.find(id);
    if (!sweep)
      throw apiError(ErrorCode.NOT_FOUND, `Sweep not found: ${id}`, { entity: 'Sweep', id });
    return sweep;
  }

  /** A page of a project's sweeps, newest first. */
  async page(projectId: string, args: PageArgs): Promise<SweepPage> {
    const request = pageRequest(args, SWEEP_PAGE);
    const [rows, totalCount] = await Promise.all([
      this.sweeps.page(projectId, request),
      this.sweeps.count(projectId),
    ]);
    const page = toConnection(rows.map(toModel), request, (s) =>
      encodeKeyset(SWEEP_PAGE.kind, [s.createdAt.getTime(), s.id]),
    );
    return { ...page, totalCount };
  }

  /** Ids of one page of the sweep's runs, in creation order, with the page's cursors. */
  async runPage(
    sweepId: string,
    args: PageArgs,
  ): Promise<ConnectionPage<{ id: string }> & { totalCount: number }> {
    const request = pageRequest(args, SWEEP_RUN_PAGE);
    const [rows, totalCount] = await Promise.all([
      this.sweeps.runPage(sweepId, request),
      this.sweeps.countRuns(sweepId),
    ]);
    const page = toConnection(rows, request, (r) =>
      encodeKeyset(SWEEP_RUN_PAGE.kind, [r.createdAt.getTime(), r.id]),
    );
    return { ...page, totalCount };
  }

  /** RUNNING -> PAUSED: no more runs are queued; those in flight go on. */
  async pause(id: string): Promise<SweepModel> {
    const sweep = await this.get(id);
    if (sweep.status === SweepStatus.PAUSED) return sweep;
    if (!(await this.sweeps.setStatus(id, [SweepStatus.RUNNING], SweepStatus.PAUSED)))
      throw this.invalidState(await this.get(id), 'pause');
    return this.get(id);
  }

  /** PAUSED -> RUNNING, queuing up to `parallel` runs at once. */
  async resume(principal: UserPrincipal, id: string): Promise<SweepModel> {
    const sweep = await this.get(id);
    if (sweep.status !== SweepStatus.RUNNING) {
      if (!(await this.sweeps.setStatus(id, [SweepStatus.PAUSED], SweepStatus.RUNNING)))
        throw this.invalidState(await this.get(id), 'resume');
    }
    await this.tick(id, principal);
    return this.get(id);
  }

  /** RUNNING or PAUSED -> STOPPED: cancels the queued runs and stops the running ones. */
  async stop(principal: UserPrincipal, id: string): Promise<SweepModel> {
    const sweep = await this.get(id);
    if (sweep.status !== SweepStatus.STOPPED) {
      const moved = await this.sweeps.setStatus(
        id,
        [SweepStatus.RUNNING, SweepStatus.PAUSED],
        SweepStatus.STOPPED,
        this.now(),
      );
      if (!moved) throw this.invalidState(await this.get(id), 'stop');
    }
    await this.cancelInFlight(principal, await this.sweeps.runs(id, MAX_SWEEP_RUNS));
    return this.get(id);
  }

  private invalidState(sweep: SweepModel, what: string) {
    return apiError(
      ErrorCode.INVALID_STATE,
      `Sweep ${sweep.id} is ${sweep.status}: cannot ${what} it`,
      {
        status: sweep.status,
      },
    );
  }

  private async cancelInFlight(principal: Principal, runs: readonly SweepRunRow[]): Promise<void> {
    const queue = this.requireQueue();
    for (const run of runs) {
      if (!IN_FLIGHT.has(run.status) || run.cancelRequested) continue;
      try {
        await queue.cancelRun(principal, run.id);
      } catch (err) {
        // A run that ended meanwhile cannot be cancelled: nothing left to do for it.
        console.warn(`[sweep] could not cancel run ${run.id}: ${errorMessage(err)}`);
      }
    }
  }

  private requireQueue(): SweepQueue {
    const queue = this.queue();
    if (!queue)
      throw apiError(
        ErrorCode.INVALID_STATE,
        'This server has no run queue: sweeps cannot queue runs',
        {},
      );
    return queue;
  }

  /** The principal the sweep acts as when no request is behind the tick: its creator. */
  private async creator(sweep: SweepRow): Promise<UserPrincipal | null> {
    const user = await this.access.userById(sweep.createdById);
    if (!user) return null;
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.role === 'admin',
      via: 'session',
      keyId: null,
      cap: null,
    };
  }

  /** Ticks every RUNNING or PAUSED sweep (the server's timer); returns the ids ticked. */
  async tickAll(): Promise<string[]> {
    const ids = await this.sweeps.idsWithStatus(
      [SweepStatus.RUNNING, SweepStatus.PAUSED],
      TICK_BATCH,
    );
    for (const id of ids) {
      try {
        await this.tick(id);
      } catch (err) {
        console.error(`[sweep] tick of ${id} failed`, err);
      }
    }
    return ids;
  }

  /**
   * Brings one sweep up to date from the database: ASHA stops the runs its rule fails, a RUNNING
   * sweep queues runs until `parallel` are in flight or the plan is used up, and a sweep whose
   * planned runs all ended is FINISHED. Safe to run concurrently on several instances.
   */
  async tick(id: string, actingAs?: UserPrincipal): Promise<void> {
    const row = await this.sweeps.find(id);
    if (!row) return;
    const sweep = toModel(row);
    if (sweep.status === SweepStatus.FINISHED) return;
    const principal = actingAs ?? (await this.creator(row));
    if (!principal) {
      await this.sweeps.setStatus(id, [SweepStatus.RUNNING], SweepStatus.PAUSED);
      await this.sweeps.addLaunchError(
        id,
        'The user who created the sweep no longer exists; paused',
      );
      return;
    }
    const runs = await this.sweeps.runs(id, MAX_SWEEP_RUNS);
    if (sweep.status === SweepStatus.STOPPED) {
      // A run queued by a tick that raced the stop: cancel it too.
      await this.cancelInFlight(principal, runs);
      return;
    }
    if (sweep.config.method === 'asha') await this.applyAsha(sweep, runs, principal);
    if (sweep.status === SweepStatus.RUNNING) await this.launch(sweep, runs, principal);
  }

  private async applyAsha(
    sweep: SweepModel,
    runs: readonly SweepRunRow[],
    principal: Principal,
  ): Promise<void> {
    const settings = sweep.config.asha;
    if (!settings) return;
    const rungs = ashaRungs(settings);
    const points = await this.sweeps.pointsAtSteps(
      runs.map((r) => r.id),
      sweep.config.metric.name,
      rungs,
    );
    const byRun = new Map<string, { epoch: number; value: number; at: number }[]>();
    for (const p of points) {
      const list = byRun.get(p.runId) ?? [];
      list.push({ epoch: p.step, value: p.value, at: p.time.getTime() });
      byRun.set(p.runId, list);
    }
    const stops = ashaStops(
      settings,
      sweep.config.metric.goal,
      [...byRun].map(([runId, pts]) => ({ runId, points: pts })),
    );
    const stopped = new Set(stops.map((s) => s.runId));
    await this.cancelInFlight(
      principal,
      runs.filter((r) => stopped.has(r.id)),
    );
  }

  private async launch(
    sweep: SweepModel,
    runs: readonly SweepRunRow[],
    principal: Principal,
  ): Promise<void> {
    const planned = plannedRuns(sweep.config);
    const ended = runs.filter((r) => !IN_FLIGHT.has(r.status)).length;
    // Claimed indexes not yet ended: queued, running, or being queued by another instance now. A
    // run made but then refused by the queue engine counts as ended and as a launch error alike:
    // never count fewer than the runs seen in flight (nor finish while one is).
    const inFlight = Math.max(sweep.launched - sweep.launchErrors - ended, runs.length - ended);
    const count = Math.min(sweep.config.budget.parallel - inFlight, planned - sweep.launched);
    if (count <= 0) {
      if (sweep.launched >= planned && inFlight <= 0)
        await this.sweeps.setStatus(
          sweep.id,
          [SweepStatus.RUNNING],
          SweepStatus.FINISHED,
          this.now(),
        );
      return;
    }
    if (!(await this.sweeps.claim(sweep.id, sweep.launched, count))) return; // another instance did
    const queue = this.queue();
    for (let index = sweep.launched; index < sweep.launched + count; index++) {
      try {
        if (!queue) throw new Error('this server has no run queue');
        await queue.queueRun(principal, this.runInput(sweep, index));
      } catch (err) {
        await this.sweeps.addLaunchError(sweep.id, `run ${index + 1}: ${errorMessage(err)}`);
      }
    }
    // A stop that landed after the claim read the sweep's runs before these existed, and no tick
    // looks at a STOPPED sweep again: cancel what is still in flight, or it would train anyway.
    if ((await this.sweeps.find(sweep.id))?.status === SweepStatus.STOPPED)
      await this.cancelInFlight(principal, await this.sweeps.runs(sweep.id, MAX_SWEEP_RUNS));
  }

  /** The queue input of the sweep's `index`-th run. */
  runInput(sweep: SweepModel, index: number): SweepRunInput {
    const assignment = suggest(sweep.config, index);
    if (!assignment) throw new Error(`Sweep ${sweep.id} plans no run ${index}`);
    const hyperparameters: Record<string, unknown> = { ...assignment };
    // ASHA judges runs at its rungs; each run is queued for the full budget of epochs.
    if (sweep.config.asha) hyperparameters.epochs = sweep.config.asha.maxResource;
    return {
      projectId: sweep.projectId,
      name: `${sweep.name.slice(0, 180)}-${index + 1}`,
      config: sweep.config.base,
      hyperparameters,
      tags: [`sweep:${sweep.name.slice(0, 57)}`],
      sweepId: sweep.id,
    };
  }

  /** Counts of the sweep's runs by status, and its budget. */
  async progress(sweep: SweepModel): Promise<SweepProgressModel> {
    const counts = await this.sweeps.statusCounts(sweep.id);
    const n = (s: RunStatus) => counts.get(s) ?? 0;
    return {
      queued: n(RunStatus.QUEUED),
      running: n(RunStatus.RUNNING),
      completed: n(RunStatus.COMPLETED),
      failed: n(RunStatus.FAILED),
      cancelled: n(RunStatus.CANCELLED),
      launched: sweep.launched,
      planned: plannedRuns(sweep.config),
      maxRuns: sweep.config.budget.maxRuns,
      parallel: sweep.config.budget.parallel,
      launchErrors: sweep.launchErrors,
    };
  }

  /** Every run with its parameters and best value of the target metric (creation order). */
  async points(sweep: SweepModel): Promise<SweepPointModel[]> {
    const runs = await this.sweeps.runs(sweep.id, MAX_SWEEP_RUNS);
    const summaries = await this.sweeps.metricSummaries(
      runs.map((r) => r.id),
      sweep.config.metric.name,
    );
    const maximize = sweep.config.metric.goal === 'maximize';
    const best = new Map(summaries.map((s) => [s.runId, maximize ? s.max : s.min]));
    const names = Object.keys(sweep.config.parameters);
    return runs.map((r) => {
      const hp = parseObject(r.hyperparameters);
      return {
        runId: r.id,
        runName: r.name,
        status: r.status,
        parameters: Object.fromEntries(names.map((n) => [n, hp[n] ?? null])),
        value: best.get(r.id) ?? null,
      };
    });
  }

  /** The run with the best value of the target metric so far, or null. */
  async bestRun(sweep: SweepModel): Promise<SweepPointModel | null> {
    const maximize = sweep.config.metric.goal === 'maximize';
    let best: SweepPointModel | null = null;
    for (const p of await this.points(sweep)) {
      if (p.value === null || !Number.isFinite(p.value)) continue;
      if (
        best === null ||
        (maximize ? p.value > (best.value as number) : p.value < (best.value as number))
      )
        best = p;
    }
    return best;
  }

  /** Correlation and random-forest importance of each parameter for the target metric. */
  async importance(sweep: SweepModel): Promise<ParameterImportance[]> {
    const names = Object.keys(sweep.config.parameters);
    const samples = (await this.points(sweep))
      .filter((p) => p.value !== null)
      .map((p) => ({
        params: Object.fromEntries(
          names.map((n) => {
            const v = p.parameters[n];
            return [
              n,
              typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'
                ? v
                : undefined,
            ];
          }),
        ),
        metric: p.value as number,
      }));
    return parameterImportance(names, samples, { seed: 42 });
  }
}

/** The values of a parameter that bound what the sweep may queue (a range's ends, every listed value). */
function candidateValues(spec: SweepConfig['parameters'][string]): unknown[] {
  if ('value' in spec) return [spec.value];
  if ('values' in spec) return spec.values;
  return [spec.min, spec.max];
}

/**
 * Checks that the runs the sweep will queue pass the queue's own input checks (a known preset or
 * a model in base, parameters that are training overrides with values in their ranges), so a bad
 * config fails at createSweep naming the field rather than in every launch.
 * @throws BAD_USER_INPUT naming config.base... or config.parameters.<name>
 */
function checkRunsQueueable(config: SweepConfig): void {
  const fixed: Record<string, unknown> = config.asha ? { epochs: config.asha.maxResource } : {};
  const attempt = (hyperparameters: Record<string, unknown>, param: string | null) => {
    try {
      checkQueueRun({ projectId: 'sweep-check', config: config.base, hyperparameters });
    } catch (err) {
      const field = String((err as { extensions?: { field?: unknown } }).extensions?.field ?? '');
      const message = errorMessage(err).replace(/^[\w.[\]]+: /, '');
      if (field.startsWith('config')) {
        const path = `base${field.slice('config'.length)}`;
        throw badInput(`Invalid sweep config: ${path}: ${message}`, { field: `config.${path}` });
      }
      const path = param === null ? 'parameters' : `parameters.${param}`;
      const known =
        'epochs, batchSize, learningRate, seed, patience, validationSplit, trainLimit, testLimit, optimizer';
      throw badInput(
        `Invalid sweep config: ${path}: ${message} (parameters are training overrides: ${known})`,
        {
          field: `config.${path}`,
        },
      );
    }
  };
  attempt(fixed, null);
  for (const [name, spec] of Object.entries(config.parameters)) {
    for (const value of candidateValues(spec)) attempt({ ...fixed, [name]: value }, name);
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
