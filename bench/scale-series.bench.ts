// Part of `npm run bench -- --only scale` (bench/scale.bench.ts). Not built yet.

/** Returns this part's bench keys. */
export function benchSeriesScale(): Promise<Record<string, unknown>> {
  return Promise.reject(new Error('seriesFetch1MMs: not built yet'));
}
