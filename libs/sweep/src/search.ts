/**
 * Which parameters the sweep's i-th run gets. Every run's assignment is a pure function of the
 * config and its index, so any API instance can compute the next run from the count in the
 * database alone (no in-memory state between requests).
 */
import type { ParameterSpec, ParameterValue, SweepConfig } from './config';

/** One run's parameter values, by parameter name. */
export type Assignment = Record<string, ParameterValue>;

/** The values a grid walks for one parameter. */
function gridAxis(spec: ParameterSpec): ParameterValue[] {
  if ('values' in spec) return spec.values;
  if ('value' in spec) return [spec.value];
  // The schema refuses ranges for grid; an int range would be enumerable but is kept out for clarity.
  throw new Error('grid parameters need values or value');
}

/** Number of points in the grid (the product of each parameter's count of values). */
export function gridSize(config: Pick<SweepConfig, 'parameters'>): number {
  let n = 1;
  for (const spec of Object.values(config.parameters)) n *= gridAxis(spec).length;
  return n;
}

/**
 * The `index`-th grid point, in row-major order: the last parameter (in the config's order)
 * changes fastest, as nested loops written in that order would.
 */
export function gridPoint(config: Pick<SweepConfig, 'parameters'>, index: number): Assignment {
  const names = Object.keys(config.parameters);
  const out: Assignment = {};
  let rest = index;
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i] as string;
    const axis = gridAxis(config.parameters[name] as ParameterSpec);
    out[name] = axis[rest % axis.length] as ParameterValue;
    rest = Math.floor(rest / axis.length);
  }
  // Keep the config's key order in the result.
  return Object.fromEntries(names.map((n) => [n, out[n] as ParameterValue]));
}

/** Every grid point in order. */
export function enumerateGrid(config: Pick<SweepConfig, 'parameters'>): Assignment[] {
  const n = gridSize(config);
  return Array.from({ length: n }, (_, i) => gridPoint(config, i));
}

/** 32-bit hash step (the splitmix32 finaliser): spreads nearby seeds far apart. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded uniform generator on [0, 1) (mulberry32): small, fast and the same on every platform,
 * so a sweep's runs are reproducible from its seed.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw of a parameter from `u` in [0, 1). */
function draw(spec: ParameterSpec, u: number): ParameterValue {
  if ('value' in spec) return spec.value;
  if ('values' in spec)
    return spec.values[
      Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))
    ] as ParameterValue;
  const { min, max, distribution } = spec;
  if (distribution === 'log_uniform')
    return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  if (distribution === 'int_uniform') return Math.min(max, min + Math.floor(u * (max - min + 1)));
  return min + u * (max - min);
}

/**
 * The `index`-th random assignment of a sweep with `seed`: each run has its own generator seeded
 * from (seed, index), so run 7 is the same whether or not runs 0-6 were drawn first.
 */
export function randomPoint(
  config: Pick<SweepConfig, 'parameters' | 'seed'>,
  index: number,
): Assignment {
  const next = mulberry32(mix32(mix32(config.seed) ^ index));
  const out: Assignment = {};
  for (const [name, spec] of Object.entries(config.parameters)) out[name] = draw(spec, next());
  return out;
}

/** How many runs the sweep queues in all: the budget, or the grid's size when that is smaller. */
export function plannedRuns(config: SweepConfig): number {
  return config.method === 'grid'
    ? Math.min(gridSize(config), config.budget.maxRuns)
    : config.budget.maxRuns;
}

/** The assignment of the sweep's `index`-th run, or null once the plan is exhausted. */
export function suggest(config: SweepConfig, index: number): Assignment | null {
  if (!Number.isInteger(index) || index < 0 || index >= plannedRuns(config)) return null;
  return config.method === 'grid' ? gridPoint(config, index) : randomPoint(config, index);
}
