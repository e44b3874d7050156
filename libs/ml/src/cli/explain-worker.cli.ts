#!/usr/bin/env node
// `npm run explain-worker -- [--api URL] [--api-key KEY] [--backend NAME]`: an alias of the queue
// worker (`npm run worker -- --kinds explain`, worker.cli.ts) that takes only explanation jobs
// (explanations queued by POST /runs/:id/explain and explainSample, projectors queued by
// requestProjection) from the job queue, with its registration, leases, heartbeats and retries.
// The old flags are translated: --worker-id is --name; --poll-ms is accepted and ignored (the
// queue worker waits 0.5 s to 5 s between empty claims); --once is gone (exit code 2).
import { usageFailure } from './cli-args';

const USAGE = `Usage: npm run explain-worker -- [options]   (= npm run worker -- --kinds explain)

  --api URL        API origin (default $API_URL or http://localhost:4000)
  --api-key KEY    API key (default $CONVSCOPE_API_KEY, else the local API's key file
                   data/local-api-key when the API is on this machine)
  --worker-id ID   name shown on the workers page (npm run worker's --name)
  --concurrency N  explanations computed at once (default 1)
  --backend NAME   force a backend: tensorflow-gpu, tensorflow, onednn, wasm, cpu
  --poll-ms N      ignored (kept for old scripts)
  -h, --help       this text; npm run worker -- --help lists every option`;

/** The queue worker's arguments for the old ones; a string says what is wrong. */
export function translateExplainArgs(argv: readonly string[]): string[] | string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--once')
      return '--once is gone: explanation jobs travel on the job queue; run the worker (npm run worker -- --kinds explain) and stop it with Ctrl-C';
    if (flag === '--poll-ms') value();
    else if (flag === '--worker-id') out.push('--name', value() ?? '');
    else if (flag === '--kinds')
      value(); // always explain
    else out.push(arg);
  }
  return [...out, '--kinds', 'explain'];
}

const argv = process.argv.slice(2);
const translated = translateExplainArgs(argv);
if (argv.includes('-h') || argv.includes('--help')) {
  console.log(USAGE);
} else if (typeof translated === 'string') {
  process.exitCode = usageFailure(USAGE, translated);
} else {
  process.argv = [process.argv[0] ?? 'node', process.argv[1] ?? 'explain-worker', ...translated];
  await import('./worker.cli');
}
