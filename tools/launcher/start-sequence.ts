// The order in which `npm start` brings the parts up, apart from how each part is started (the
// steps are injected: start.ts passes processes, the unit test passes fakes). The first curve is
// what a new user waits for, so the demo training starts as soon as the API answers, beside the
// dashboard's build (which takes minutes on a first start), not after it. The explain worker is
// only used from the dashboard, so it starts once the dashboard is up and leaves the CPUs to
// the build and the first epochs until then.

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
  /** Starts serving the dashboard; resolves with its address once it answers. */
  serveWeb(): Promise<string>;
  /** Starts the explain worker (background). */
  startExplainWorker(): void;
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
 * dashboard answers (or right after the API with `--only api`). Resolves when everything is
 * started; rejects when the API or the dashboard fails to start.
 */
export async function runStartSequence(
  steps: StartSteps,
  options: StartSequenceOptions,
): Promise<void> {
  const withApi = options.only !== 'web';
  const withWeb = options.only !== 'api';
  if (withApi) await steps.startApi();
  // Not awaited here: the demo must not wait for the dashboard's build (nor the build for it).
  const demo = !options.only && options.demo ? startDemoIfEmpty(steps) : Promise.resolve();
  if (withWeb) {
    await steps.buildWeb();
    await steps.serveWeb();
  }
  if (withApi && options.explainWorker) steps.startExplainWorker();
  await demo;
}
