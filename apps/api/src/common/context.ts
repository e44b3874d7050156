// Wiring of repositories and services (created once per server) and the per-request
// GraphQL context. Decorator-free on purpose: see schema-loader.ts.
import type { ArtifactStore } from '../artifact/artifact-store';
import { createArtifactStore } from '../artifact/create-artifact-store';
import { AccessGuard } from '../auth/access.guard';
import { AccessRepository } from '../auth/access.repository';
import { createAuth, type Auth } from '../auth/auth';
import { IdentityService } from '../auth/identity.service';
import { ANONYMOUS, PrincipalResolver, type Principal } from '../auth/principal';
import { ArtifactRepository } from '../artifact/artifact.repository';
import { ArtifactService } from '../artifact/artifact.service';
import { CompareService } from '../compare/compare.service';
import { ExportService } from '../export/export.service';
import { ExplanationJobRepository } from '../explain-job/explain-job.repository';
import { ExplainJobService } from '../explain-job/explain-job.service';
import type { Db } from '../db/prisma';
import type { Clock } from './clock';
import { resolveRunLimits, type RunLimits } from './limits';
import { EvaluationRepository } from '../evaluation/evaluation.repository';
import { EvaluationService } from '../evaluation/evaluation.service';
import { MetricRepository } from '../metric/metric.repository';
import { MetricService } from '../metric/metric.service';
import { ModelRepository } from '../model/model.repository';
import { ModelService } from '../model/model.service';
import { ProjectRepository } from '../project/project.repository';
import { ProjectService } from '../project/project.service';
import { RunRepository } from '../run/run.repository';
import { RunService } from '../run/run.service';
import { RunManagementService } from '../run/run-management.service';
import { SavedViewRepository } from '../saved-view/saved-view.repository';
import { SavedViewService } from '../saved-view/saved-view.service';
import { SampleService } from '../sample/sample.service';
import { SweepRepository } from '../sweep/sweep.repository';
import { SweepService } from '../sweep/sweep.service';
import { UncertaintyRepository } from '../uncertainty/uncertainty.repository';
import { UncertaintyService } from '../uncertainty/uncertainty.service';
import { createLoaders, type Loaders } from './loaders';
import { EmbeddedJobQueue } from '../queue/embedded-job-queue';
import { PgBossJobQueue } from '../queue/pg-boss-job-queue';
import { QueueRepository } from '../queue/queue.repository';
import {
  DEFAULT_QUEUE_SETTINGS,
  RunQueueService,
  type QueueSettings,
} from '../queue/run-queue.service';
import { WorkerService } from '../queue/worker.service';
import type { LivePublisher } from '../live/live-publisher';
import { announceQueueMoves } from '../live/queue-announcer';

/** All repositories (the only Prisma users). */
export interface Repositories {
  project: ProjectRepository;
  run: RunRepository;
  metric: MetricRepository;
  artifact: ArtifactRepository;
  evaluation: EvaluationRepository;
  explainJob: ExplanationJobRepository;
  uncertainty: UncertaintyRepository;
  access: AccessRepository;
}

/** All services. */
export interface Services {
  project: ProjectService;
  run: RunService;
  /** Edit, archive, delete and move runs (run-management). */
  runManagement: RunManagementService;
  metric: MetricService;
  artifact: ArtifactService;
  evaluation: EvaluationService;
  compare: CompareService;
  export: ExportService;
  sample: SampleService;
  explainJob: ExplainJobService;
  uncertainty: UncertaintyService;
  identity: IdentityService;
  model: ModelService;
  savedView: SavedViewService;
  /** Hyperparameter sweeps (queue their runs through the run queue). */
  sweep: SweepService;
  /** Queued runs (queueRun, cancelRun, the lease reaper). */
  queue: RunQueueService;
  /** The worker protocol and the workers list. */
  workers: WorkerService;
}

/** What every resolver receives. */
export interface ApiContext {
  services: Services;
  loaders: Loaders;
  /** The caller and the one permission check every resolver asks. */
  guard: AccessGuard;
  /** Aborts when the request's connection closes (a long-poll claim then stops waiting). */
  signal?: AbortSignal;
}

/** The identity parts of an app (better-auth and the caller resolution). */
export interface AppAuth {
  auth: Auth;
  principals: PrincipalResolver;
}

/** Options of the service layer. */
export interface AppOptions {
  artifactsDir: string;
  /** ARTIFACTS_URL: `s3://bucket/prefix` for object storage (default: the folder artifactsDir). */
  artifactsUrl?: string | null;
  /** A ready store instead (tests); overrides artifactsDir and artifactsUrl. */
  artifactStore?: ArtifactStore;
  /** Seconds of presigned artifact downloads (ARTIFACTS_PRESIGN=1); absent: stream through the API. */
  artifactsPresignTtlS?: number | null;
  /** Time of the reaper's and the explanation jobs' judgements (default: the system clock). */
  clock?: Clock;
  /** Change notices for the dashboard's live stream (live/); none: nothing is announced. */
  live?: LivePublisher;
  maxArtifactBytes: number;
  /** Rows one run may hold (default: LIMITS; tests lower them). */
  runLimits?: Partial<RunLimits>;
  /** Public origin of the API, read lazily (known only once the port is bound). */
  publicUrl: () => string;
  /** On-demand explanations (POST /runs/:id/explain); see ApiServerOptions for the defaults. */
  explain?: {
    maxImageBytes?: number;
    jobTimeoutS?: number;
    waitS?: number;
  };
  /**
   * Queued work: lease and retry limit, and on PostgreSQL the URL pg-boss connects to (without
   * it, or on SQLite, the embedded table queue serves).
   */
  queue?: Partial<QueueSettings> & { databaseUrl?: string };
  /** Identity: session signing secret, the dashboard's origin (base of login links), trusted origins. */
  auth: {
    secret: string;
    baseUrl: string;
    trustedOrigins: string[];
    /** Called with every login link better-auth makes (besides the one asked for). */
    onLoginLink?: (link: { email: string; url: string }) => void;
  };
}

/** better-auth and the identity service; login links reach the service once it exists. */
function createIdentity(
  prisma: Db,
  dialect: 'sqlite' | 'postgresql',
  options: AppOptions,
  access: AccessRepository,
): { auth: Auth; identity: IdentityService } {
  // better-auth hands login links to a callback given at creation; the service exists after it.
  const linkSink: { identity?: IdentityService } = {};
  const auth = createAuth({
    prisma,
    dialect,
    secret: options.auth.secret,
    baseUrl: options.auth.baseUrl,
    trustedOrigins: options.auth.trustedOrigins,
    onLoginLink: (link) => {
      linkSink.identity?.pendingLink?.(link);
      options.auth.onLoginLink?.(link);
    },
  });
  const identity = new IdentityService(auth, access);
  linkSink.identity = identity;
  return { auth, identity };
}

/** The run queue on pg-boss (PostgreSQL with a queue URL) or the embedded Job table. */
function createQueue(
  prisma: Db,
  dialect: 'sqlite' | 'postgresql',
  options: AppOptions,
  run: RunService,
  access: AccessRepository,
): { queueRepo: QueueRepository; queue: RunQueueService } {
  const queueRepo = announceQueueMoves(new QueueRepository(prisma), options.live, access);
  const jobQueue =
    dialect === 'postgresql' && options.queue?.databaseUrl
      ? new PgBossJobQueue(queueRepo, { databaseUrl: options.queue.databaseUrl })
      : new EmbeddedJobQueue(queueRepo);
  const queue = new RunQueueService(
    queueRepo,
    jobQueue,
    run,
    access,
    {
      leaseS: options.queue?.leaseS ?? DEFAULT_QUEUE_SETTINGS.leaseS,
      maxAttempts: options.queue?.maxAttempts ?? DEFAULT_QUEUE_SETTINGS.maxAttempts,
    },
    { clock: options.clock },
  );
  return { queueRepo, queue };
}

/** Builds repositories and services on one Prisma client. */
export function createApp(
  prisma: Db,
  dialect: 'sqlite' | 'postgresql',
  options: AppOptions,
): { repos: Repositories; services: Services; identity: AppAuth } {
  const repos: Repositories = {
    project: new ProjectRepository(prisma),
    run: new RunRepository(prisma, dialect),
    metric: new MetricRepository(prisma, dialect),
    artifact: new ArtifactRepository(prisma, dialect),
    evaluation: new EvaluationRepository(prisma, dialect),
    explainJob: new ExplanationJobRepository(prisma, dialect),
    uncertainty: new UncertaintyRepository(prisma, dialect),
    access: new AccessRepository(prisma, dialect),
  };
  const { auth, identity } = createIdentity(prisma, dialect, options, repos.access);
  const runLimits = resolveRunLimits(options.runLimits);
  const project = new ProjectService(repos.project);
  const run = new RunService(repos.run, project, { clock: options.clock, live: options.live });
  // One store for every service: artifacts and uploaded images are content-addressed blobs alike.
  const store =
    options.artifactStore ??
    createArtifactStore({ url: options.artifactsUrl, dir: options.artifactsDir });
  const artifact = new ArtifactService(repos.artifact, run, store, {
    publicUrl: options.publicUrl,
    maxBytes: options.maxArtifactBytes,
    presignTtlS: options.artifactsPresignTtlS,
    live: options.live,
  });
  const { queueRepo, queue } = createQueue(prisma, dialect, options, run, repos.access);
  const services: Services = {
    project,
    run,
    runManagement: new RunManagementService(repos.run, run, repos.project, artifact, {
      clock: options.clock,
    }),
    metric: new MetricService(repos.metric, run, runLimits.metricNames, options.live),
    artifact,
    evaluation: new EvaluationService(repos.evaluation, run, runLimits.evaluations),
    compare: new CompareService(repos.run, repos.metric, repos.evaluation),
    export: new ExportService(run, repos.metric, repos.evaluation),
    sample: new SampleService(artifact),
    explainJob: new ExplainJobService(
      repos.explainJob,
      run,
      artifact,
      // The same store: uploaded images are content-addressed blobs too.
      store,
      {
        publicUrl: options.publicUrl,
        maxImageBytes: options.explain?.maxImageBytes ?? 16 * 1024 * 1024,
        jobTimeoutS: options.explain?.jobTimeoutS ?? 120,
        waitS: options.explain?.waitS ?? 10,
        clock: options.clock,
        // Explanations travel on the job queue (kind EXPLAIN) with its leases and retries.
        queue,
      },
    ),
    uncertainty: new UncertaintyService(repos.uncertainty, run, runLimits.uncertainties),
    identity,
    model: new ModelService(new ModelRepository(prisma), artifact, run),
    savedView: new SavedViewService(new SavedViewRepository(prisma)),
    sweep: new SweepService(new SweepRepository(prisma), repos.access, () => queue),
    queue,
    workers: new WorkerService(queueRepo, queue, run),
  };
  const principals = new PrincipalResolver(auth, repos.access, options.auth.trustedOrigins);
  identity.onKeyRevoked = () => principals.forgetKeys();
  return { repos, services, identity: { auth, principals } };
}

/** A fresh per-request context for `principal` (anonymous by default). */
export function createContext(
  app: { repos: Repositories; services: Services },
  principal: Principal = ANONYMOUS,
  signal?: AbortSignal,
): ApiContext {
  return {
    services: app.services,
    loaders: createLoaders(app.repos, app.services),
    guard: new AccessGuard(principal, app.repos.access),
    ...(signal ? { signal } : {}),
  };
}
