import { describe, expect, it } from 'vitest';
import { formatSweepConfigProblem, parseSweepConfig } from './config';

const yaml = `
method: random
metric: { name: val_accuracy, goal: maximize }
parameters:
  learningRate: { min: 0.0001, max: 0.1, distribution: log_uniform }
  batchSize: { values: [32, 64] }
  optimizer: { value: adam }
budget: { maxRuns: 8, parallel: 2 }
seed: 7
base: { preset: mnist-mlp, training: { epochs: 2 } }
`;

function problem(text: string): string {
  const r = parseSweepConfig(text);
  if (r.ok) throw new Error('expected a problem');
  return formatSweepConfigProblem(r.problem);
}

describe('parseSweepConfig', () => {
  it('reads YAML and fills defaults', () => {
    const r = parseSweepConfig(yaml);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.method).toBe('random');
    expect(r.config.parameters.learningRate).toEqual({
      min: 0.0001,
      max: 0.1,
      distribution: 'log_uniform',
    });
    expect(r.config.budget).toEqual({ maxRuns: 8, parallel: 2 });
    expect(r.config.base).toEqual({ preset: 'mnist-mlp', training: { epochs: 2 } });
  });

  it('reads JSON the same way, with defaults for seed, parallel, distribution and base', () => {
    const r = parseSweepConfig(
      JSON.stringify({
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        parameters: { epochs: { values: [1, 2] } },
        budget: { maxRuns: 4 },
      }),
    );
    expect(r).toEqual({
      ok: true,
      config: {
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        parameters: { epochs: { values: [1, 2] } },
        budget: { maxRuns: 4, parallel: 1 },
        seed: 0,
        base: {},
      },
    });
  });

  it('names the path of each problem', () => {
    expect(problem(yaml.replace('method: random', 'method: bayes'))).toBe(
      'method: expected grid, random or asha, got "bayes"',
    );
    expect(problem(yaml.replace('maxRuns: 8', 'maxRuns: -1'))).toBe(
      'budget.maxRuns: expected an integer in [1, 1000], got -1',
    );
    expect(problem(yaml.replace('maxRuns: 8', 'maxRuns: 1001'))).toBe(
      'budget.maxRuns: expected an integer in [1, 1000], got 1001',
    );
    expect(problem(yaml.replace('max: 0.1', 'max: 0.00001'))).toBe(
      'parameters.learningRate.max: must be greater than min (0.0001)',
    );
    expect(problem(yaml.replace('min: 0.0001', 'min: 0'))).toBe(
      'parameters.learningRate.min: log_uniform needs min > 0',
    );
    expect(problem(yaml.replace('goal: maximize', 'goal: up'))).toBe(
      'metric.goal: expected maximize or minimize, got "up"',
    );
    expect(problem(yaml.replace('seed: 7', 'sed: 7'))).toBe('sed: unknown field');
    expect(problem(yaml.replace('{ values: [32, 64] }', '{ vals: [32] }'))).toMatch(
      /^parameters\.batchSize/,
    );
    expect(problem(yaml.replace('{ values: [32, 64] }', '{ values: [] }'))).toBe(
      'parameters.batchSize.values: expected at least one value',
    );
  });

  it('refuses ranges in a grid and asha without its rungs', () => {
    expect(problem(yaml.replace('method: random', 'method: grid'))).toBe(
      'parameters.learningRate: grid needs { values: [...] } or { value }, not a range',
    );
    expect(problem(yaml.replace('method: random', 'method: asha'))).toMatch(
      /^asha: required by method asha/,
    );
    expect(
      problem(
        `${yaml.replace('method: random', 'method: asha').replace('optimizer: { value: adam }', 'epochs: { values: [1, 2] }')}\nasha: { maxResource: 9 }`,
      ),
    ).toMatch(/^parameters\.epochs: asha trains every run/);
    const asha = parseSweepConfig(
      `${yaml.replace('method: random', 'method: asha')}\nasha: { maxResource: 9 }`,
    );
    expect(asha.ok && asha.config.asha).toEqual({ minResource: 1, eta: 3, maxResource: 9 });
  });

  it('says where the syntax is broken', () => {
    expect(problem('method: [grid')).toMatch(/^not valid YAML or JSON: .*line 1/);
    expect(problem('{"method": "grid",')).toMatch(/^not valid YAML or JSON/);
    expect(problem('- a\n- b')).toBe('expected a mapping, got ["a","b"]');
    expect(problem('')).toBe('expected a mapping, got null');
  });
});
