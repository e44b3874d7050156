// Part of `npm run bench -- --only scale` (bench/scale.bench.ts). Not built yet.

/** Returns this part's bench keys. */
export function benchRunsQueryScale(): Promise<Record<string, unknown>> {
  return Promise.reject(new Error('runsQuery: not built yet'));
}
