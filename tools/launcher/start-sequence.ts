// The order in which `npm start` brings the parts up, apart from how each part is started (the
// steps are injected: start.ts passes processes, the unit test passes fakes). The first curve is
// what a new user waits for, so the demo training starts as soon as the API answers, beside the
// dashboard's build (which takes minutes on a first start), not after it. The explain worker is
// only used from the dashboard, so it starts once the dashboard is up and leaves the CPUs to
// the build and the first epochs until then. While a first build runs, a warm-up page holds the
// dashboard's port (build progress and the demo's curves); it is closed before the dashboard is
// served on that port.

/** The parts of `npm start`, each started by the caller. */
export interface StartSteps {
  /** Starts the API; resolves with its GraphQL URL once it is ready, rejects if it dies first. */
  startApi(): Promise<string>;
  /** How many runs the database holds (the demo starts only when none). */
  countRuns(): Promise<number>;
  /** Starts the demo training in the background; resolves once it is spawned, not finished. */
  startDemo(): void | Promise<void>;
  /** Builds the dashboard when its build is stale; resolves at once when it is up to date. */
  buildWeb(): Promise<void>;
  /** Whether buildWeb will build (the warm-up page is served only then); absent: no warm-up. */
  webBuildStale?(): boolean | Promise<boolean>;
  /** Serves the warm-up page on the dashboard's port; resolves once it listens. */
  startWarmup?(): Promise<void>;
  /** Closes the warm-up page's server; resolves once the port is free. */
  stopWarmup?(): Promise<void>;
  /** Starts serving the dashboard; resolves with its address once it answers. */
  serveWeb(): Promise<string>;
  /** Starts the explain worker (background). */
  startExplainWorker(): void;
  /** Starts a local queue worker that trains queued runs (background); absent: none. */
  startQueueWorker?(): void;
  /** One line of launcher output. */
  log(line: string): void;
}

/** What to start. */
export interface StartSequenceOptions {
  /** One part only (`npm run api` / `npm run web`); both when absent. */
  only?: 'api' | 'web';
  /** Start the demo training when the database holds no runs (env DEMO, not with --only). */
  demo: boolean;
  /** Start an explain worker beside the API (env EXPLAIN_WORKER). */
  explainWorker: boolean;
  /** Start a queue worker beside the API, so queued runs train with no extra command (env QUEUE_WORKER). */
  queueWorker?: boolean;
  /** Serve the warm-up page during a build (env WARMUP_PAGE; full start only). */
  warmup?: boolean;
}

/** Starts the warm-up page when wanted and a build is coming; whether it did. */
async function startWarmupIfBuilding(
  steps: StartSteps,
  options: StartSequenceOptions,
): Promise<boolean> {
  if (options.only || !options.warmup || !steps.startWarmup || !steps.webBuildStale) return false;
  if (!(await steps.webBuildStale())) return false;
  try {
    await steps.startWarmup();
    return true;
  } catch (err) {
    // A page to look at while waiting, not a part of the product: go on without it.
    steps.log(`[web] no warm-up page: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

/** Counts the runs and starts the demo when there are none; a failure is logged, not fatal. */
async function startDemoIfEmpty(steps: StartSteps): Promise<void> {
  try {
    if ((await steps.countRuns()) > 0) return;
    await steps.startDemo();
  } catch (err) {
    // The product works without its demo: say why there is none and go on.
    steps.log(`[demo] not started: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Brings the parts up: the API first; then, at once and in parallel, the demo training (when
 * the database is empty) and the dashboard's build and server; the explain worker once the
 * dashboard answers (or right after the API with `--only api`), and the queue worker with it. With `warmup`, before the API,
 * a warm-up page is served on the dashboard's port when a build is coming, and closed (the port
 * free) after the build, before the dashboard is served. Resolves when everything is started;
 * rejects when the API or the dashboard fails to start.
 */
export async function runStartSequence(
  steps: StartSteps,
  options: StartSequenceOptions,
): Promise<void> {
  const withApi = options.only !== 'web';
  const withWeb = options.only !== 'api';
  // First: the page answers on the dashboard's address while the API is still migrating.
  const warm = await startWarmupIfBuilding(steps, options);
  try {
    if (withApi) await steps.startApi();
  } catch (err) {
    if (warm) await steps.stopWarmup?.();
    throw err;
  }
  // Not awaited here: the demo must not wait for the dashboard's build (nor the build for it).
  const demo = !options.only && options.demo ? startDemoIfEmpty(steps) : Promise.resolve();
  if (withWeb) {
    try {
      await steps.buildWeb();
    } finally {
      // Closed whether or not the build worked: the dashboard (or nothing) takes the port next.
      if (warm) await steps.stopWarmup?.();
    }
    await steps.serveWeb();
  }
  if (withApi && options.explainWorker) steps.startExplainWorker();
  if (withApi && options.queueWorker) steps.startQueueWorker?.();
  await demo;
}
