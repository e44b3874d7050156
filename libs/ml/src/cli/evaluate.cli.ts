#!/usr/bin/env node
// `npm run evaluate -- --run ID [--data DIR] [--api URL] [--api-key KEY]`: evaluates a run's
// stored model on the test split and stores a new evaluation on the same run. Exit code 1 on
// failure, 2 on bad usage.
import { apiUrlFlag, parseCli, usageFailure } from './cli-args';
import { evaluateStoredRun } from '../evaluation/evaluate-run';

const USAGE = `Usage: npm run evaluate -- --run ID [options]

  --run ID        run whose stored model (model.json artifact) is evaluated
  --data DIR      directory with the Fashion-MNIST IDX files (default: the run's recorded source, else the committed subset)
  --api URL       API origin (default $API_URL or http://localhost:4000)
  --api-key KEY   API key (default $CONVSCOPE_API_KEY, else the local API's key file
                  data/local-api-key when the API is on this machine)
  --backend NAME  force a backend: tensorflow-gpu, tensorflow, onednn, wasm, cpu
  -h, --help      this text`;

async function main(): Promise<number> {
  const parsed = parseCli({
    usage: USAGE,
    options: {
      run: { type: 'string' },
      data: { type: 'string' },
      api: { type: 'string' },
      'api-key': { type: 'string' },
      backend: { type: 'string' },
    },
  });
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args.values;
  if (!args.run) return usageFailure(USAGE, '--run is required');
  try {
    const r = await evaluateStoredRun({
      apiUrl: apiUrlFlag(args.api),
      apiKey: args['api-key'],
      runId: args.run,
      dataDir: args.data,
      backend: args.backend,
    });
    const top = r.report.topK
      .slice(0, 3)
      .map((t) => `top-${t.k} ${(t.accuracy * 100).toFixed(1)}%`)
      .join(', ');
    console.error(
      `evaluated run ${args.run} on ${r.report.numSamples} test images (${r.dataSource}), backend ${r.backend.backend}: ${top}`,
    );
    console.log(
      JSON.stringify({
        evaluationId: r.evaluationId,
        accuracy: r.report.accuracy,
        logLoss: r.report.logLoss,
        ece: r.report.ece,
      }),
    );
    return 0;
  } catch (err) {
    console.error(`evaluation failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
