// `npm run bench -- --only scale`: the lab-scale figures of issue #11, gathered from the parts
// that measure them. Each part runs in its own module so it can also run alone:
// - bench/scale-runs-query.bench.ts: the runs table at 10k / 100k / 1M runs (`runsQuery`);
// - bench/scale-series.bench.ts: a 1M-point series fetch (`seriesFetch1MMs`) and ingest with 50
//   concurrent loggers (`ingest`);
// - bench/scale-queue.bench.ts: queue throughput in short jobs per second (`queue`).
// A part that fails leaves its key as `{ error }` and the others still run.
import { benchRunsQueryScale } from './scale-runs-query.bench';
import { benchSeriesScale } from './scale-series.bench';
import { benchQueueScale } from './scale-queue.bench';

/** Runs every scale part in turn; the keys of the returned object are the bench JSON's. */
export async function benchScale(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const parts: [string, () => Promise<Record<string, unknown>>][] = [
    ['runsQuery', benchRunsQueryScale],
    ['series', benchSeriesScale],
    ['queue', benchQueueScale],
  ];
  for (const [name, run] of parts) {
    try {
      Object.assign(out, await run());
    } catch (err) {
      out[name] = { error: err instanceof Error ? err.message : String(err) };
    }
    console.error(`scale.${name}: done`);
  }
  return out;
}
