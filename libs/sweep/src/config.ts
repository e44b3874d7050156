/**
 * Sweep configs: which parameters a sweep varies and how (values, ranges, a constant), the
 * search method, the metric it optimises and its budget, written as YAML or JSON. Errors name the
 * path (`parameters.learningRate.min: expected a number, got "a"`).
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';

/** A value a parameter may take: what a flat training override can hold. */
export type ParameterValue = number | string | boolean;

const scalar = z.union([z.number(), z.string(), z.boolean()], {
  error: (iss) => `expected a number, string or boolean, got ${describe(iss.input)}`,
});

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? typeof v;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const finite = z.number({ error: (iss) => `expected a number, got ${describe(iss.input)}` });

/** `{ values: [...] }`: one of a list (grid enumerates it; random picks uniformly). */
const valuesParameter = z.strictObject({
  values: z.array(scalar).min(1, 'expected at least one value'),
});

/** `{ min, max, distribution }`: a range sampled by random and ASHA. */
const rangeParameter = z
  .strictObject({
    min: finite,
    max: finite,
    distribution: z
      .enum(['uniform', 'log_uniform', 'int_uniform'], {
        error: (iss) => `expected uniform, log_uniform or int_uniform, got ${describe(iss.input)}`,
      })
      .default('uniform'),
  })
  .superRefine((p, ctx) => {
    if (!(p.max > p.min)) {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: `must be greater than min (${p.min})`,
      });
    }
    if (p.distribution === 'log_uniform' && p.min <= 0) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'log_uniform needs min > 0' });
    }
    if (p.distribution === 'int_uniform' && !(Number.isInteger(p.min) && Number.isInteger(p.max))) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'int_uniform needs integer bounds' });
    }
  });

/** `{ value }`: held constant across the sweep. */
const constantParameter = z.strictObject({ value: scalar });

/** One parameter of the search space. */
export const parameterSchema = z.union([valuesParameter, rangeParameter, constantParameter], {
  error: (iss) =>
    `expected { values: [...] }, { min, max, distribution } or { value }, got ${describe(iss.input)}`,
});

/** One parameter of the search space (see {@link parameterSchema}). */
export type ParameterSpec = z.infer<typeof parameterSchema>;

const positiveInt = (what = 'an integer >= 1') =>
  z
    .number({ error: (iss) => `expected ${what}, got ${describe(iss.input)}` })
    .int({ error: (iss) => `expected ${what}, got ${describe(iss.input)}` })
    .min(1, { error: (iss) => `expected ${what}, got ${describe(iss.input)}` });

/** Most runs one sweep may queue (its page shows every run at once). */
export const MAX_SWEEP_RUNS = 1000;

/** The search methods. `asha` samples like `random` and stops weak runs at its rungs. */
export const SWEEP_METHODS = ['grid', 'random', 'asha'] as const;
/** A search method (see {@link SWEEP_METHODS}). */
export type SweepMethod = (typeof SWEEP_METHODS)[number];

/** Asynchronous successive halving (ASHA): rungs at `minResource * eta^k` epochs up to `maxResource`. */
const ashaSchema = z
  .strictObject({
    /** Epochs a run gets before its first judgement (default 1). */
    minResource: positiveInt().default(1),
    /** Reduction factor: the top 1/eta at each rung go on (default 3). */
    eta: z
      .number({ error: (iss) => `expected an integer >= 2, got ${describe(iss.input)}` })
      .int({ error: (iss) => `expected an integer >= 2, got ${describe(iss.input)}` })
      .min(2, { error: (iss) => `expected an integer >= 2, got ${describe(iss.input)}` })
      .default(3),
    /** Epochs of a run that is never stopped (each run is queued with this many). */
    maxResource: positiveInt(),
  })
  .superRefine((a, ctx) => {
    if (a.maxResource < a.minResource) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxResource'],
        message: `must be >= minResource (${a.minResource})`,
      });
    }
  });

/** The sweep config: YAML or JSON text parses to this. */
export const sweepConfigSchema = z
  .strictObject({
    /** Free text shown on the sweep page. */
    description: z.string().optional(),
    method: z.enum(SWEEP_METHODS, {
      error: (iss) => `expected grid, random or asha, got ${describe(iss.input)}`,
    }),
    metric: z.strictObject({
      /** A logged metric, e.g. `val_accuracy`. */
      name: z.string().min(1, 'expected a metric name'),
      goal: z.enum(['maximize', 'minimize'], {
        error: (iss) => `expected maximize or minimize, got ${describe(iss.input)}`,
      }),
    }),
    /** Flat training overrides by name (`learningRate`, `batchSize`, `optimizer`, ...). */
    parameters: z
      .record(z.string(), parameterSchema)
      .refine((p) => Object.keys(p).length > 0, 'expected at least one parameter'),
    budget: z.strictObject({
      /** Runs the sweep queues at most (grid: fewer when the grid is smaller); at most 1,000. */
      maxRuns: positiveInt('an integer in [1, 1000]').max(MAX_SWEEP_RUNS, {
        error: (iss) => `expected an integer in [1, 1000], got ${describe(iss.input)}`,
      }),
      /** Runs queued or running at once (default 1). */
      parallel: positiveInt().default(1),
    }),
    /** Seed of random sampling (default 0): the same seed gives the same runs. */
    seed: z
      .number({ error: (iss) => `expected an integer, got ${describe(iss.input)}` })
      .int({ error: (iss) => `expected an integer, got ${describe(iss.input)}` })
      .default(0),
    /** The experiment every run starts from (preset, model, training, data); parameters override its training. */
    base: z
      .record(z.string(), z.unknown(), {
        error: (iss) => `expected a mapping, got ${describe(iss.input)}`,
      })
      .default({}),
    /** ASHA's rungs (method asha only). */
    asha: ashaSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.method === 'grid') {
      for (const [name, p] of Object.entries(c.parameters)) {
        if ('min' in p) {
          ctx.addIssue({
            code: 'custom',
            path: ['parameters', name],
            message: 'grid needs { values: [...] } or { value }, not a range',
          });
        }
      }
    }
    if (c.method === 'asha' && c.asha === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['asha'],
        message: 'required by method asha: { maxResource, minResource?, eta? }',
      });
    }
    if (c.method === 'asha' && 'epochs' in c.parameters) {
      ctx.addIssue({
        code: 'custom',
        path: ['parameters', 'epochs'],
        message: 'asha trains every run for asha.maxResource epochs; epochs cannot be a parameter',
      });
    }
    if (c.method !== 'asha' && c.asha !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['asha'], message: 'only for method asha' });
    }
  });

/** A valid sweep config, defaults filled in. */
export type SweepConfig = z.infer<typeof sweepConfigSchema>;

/** What is wrong with a config: the dotted path of the culprit (`''` for the whole text) and why. */
export interface SweepConfigProblem {
  path: string;
  message: string;
}

/** Result of {@link parseSweepConfig}. */
export type ParsedSweepConfig =
  { ok: true; config: SweepConfig } | { ok: false; problem: SweepConfigProblem };

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The first issue, descending into the union branch whose shape matched (its precise message). */
function firstProblem(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): SweepConfigProblem {
  const [iss] = issues;
  if (iss === undefined) return { path: formatPath(prefix), message: 'invalid' };
  const path = [...prefix, ...iss.path];
  if (iss.code === 'invalid_union') {
    // The branch that got past the shape check (its failure is not "unknown field" at the root)
    // holds the real problem, e.g. `max: must be greater than min`.
    const branch = iss.errors.find(
      (b) => b.length > 0 && !b.every((e) => e.path.length === 0 && e.code !== 'custom'),
    );
    if (branch !== undefined) return firstProblem(branch, path);
  }
  if (iss.code === 'unrecognized_keys') {
    return {
      path: formatPath([...path, ...(iss.keys[0] === undefined ? [] : [iss.keys[0]])]),
      message: 'unknown field',
    };
  }
  return { path: formatPath(path), message: iss.message };
}

/** Checks an already-parsed value (say, a JSON object) as a sweep config. */
export function validateSweepConfig(value: unknown): ParsedSweepConfig {
  const r = sweepConfigSchema.safeParse(value);
  return r.success
    ? { ok: true, config: r.data }
    : { ok: false, problem: firstProblem(r.error.issues) };
}

/**
 * Parses sweep config text, YAML or JSON (YAML 1.2 reads JSON as is), and validates it. Syntax
 * errors name the line and column; schema errors the path.
 */
export function parseSweepConfig(text: string): ParsedSweepConfig {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    const message =
      e instanceof YAMLParseError
        ? `not valid YAML or JSON: ${e.message.split('\n')[0] ?? ''}`
        : 'not valid YAML or JSON';
    return { ok: false, problem: { path: '', message } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      problem: { path: '', message: `expected a mapping, got ${describe(value)}` },
    };
  }
  return validateSweepConfig(value);
}

/** The message of a problem as errors show it: `path: message` (or the message alone). */
export function formatSweepConfigProblem(problem: SweepConfigProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}
