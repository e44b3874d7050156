#!/usr/bin/env node
// `npm run explain-worker -- [--api URL] [--api-key KEY] [--once]`: computes the on-demand jobs
// of each run's stored model until interrupted: explanations queued by POST /runs/:id/explain and
// explainSample (top-k, class activation map, any methods with their faithfulness, layer
// activations; an image of another size or channel count is converted) and the embedding
// projector queued by requestProjection. Exit code 1 on failure, 2 on bad usage.
import { apiUrlFlag, parseCli, usageFailure } from './cli-args';
import { selectBackend } from '../backend/select-backend';
import { ExplainWorker } from '../worker/explain-worker';

const USAGE = `Usage: npm run explain-worker -- [options]

  --api URL       API origin (default $API_URL or http://localhost:4000)
  --api-key KEY   API key (default $CONVSCOPE_API_KEY, else the local API's key file
                  data/local-api-key when the API is on this machine)
  --worker-id ID  name recorded with each claimed job (default <host>-<pid>)
  --poll-ms N     wait between claims while the queue is empty (default 1000)
  --once          process the queued jobs, then exit
  --backend NAME  force a backend: tensorflow-gpu, tensorflow, onednn, wasm, cpu
  -h, --help      this text`;

async function main(): Promise<number> {
  const parsed = parseCli({
    usage: USAGE,
    options: {
      api: { type: 'string' },
      'api-key': { type: 'string' },
      'worker-id': { type: 'string' },
      'poll-ms': { type: 'string' },
      once: { type: 'boolean' },
      backend: { type: 'string' },
    },
  });
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args.values;
  const pollMs = args['poll-ms'] === undefined ? 1000 : Number(args['poll-ms']);
  if (!Number.isInteger(pollMs) || pollMs < 10)
    return usageFailure(USAGE, '--poll-ms must be an integer >= 10');
  const apiUrl = apiUrlFlag(args.api);
  try {
    const backend = await selectBackend({ requested: args.backend });
    const worker = new ExplainWorker({
      apiUrl,
      apiKey: args['api-key'],
      workerId: args['worker-id'],
      pollMs,
      log: (line) => console.log(line),
    });
    console.log(
      `[explain-worker] ${worker.workerId} on ${backend.backend}, polling ${apiUrl} every ${pollMs} ms`,
    );
    try {
      if (args.once) {
        while ((await worker.runOnce()).outcome !== 'idle');
      } else {
        const stop = new AbortController();
        for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
        await worker.run(stop.signal);
      }
    } finally {
      worker.dispose();
    }
    return 0;
  } catch (err) {
    console.error(`explain-worker failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
