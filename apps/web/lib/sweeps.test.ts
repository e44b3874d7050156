import { describe, expect, it } from 'vitest';
import { numericParameters, SWEEP_CONFIG_EXAMPLE, sweepConfigError } from './sweeps';

describe('sweepConfigError', () => {
  it('accepts the example and names the path of a problem', () => {
    expect(sweepConfigError(SWEEP_CONFIG_EXAMPLE)).toBeNull();
    expect(sweepConfigError(SWEEP_CONFIG_EXAMPLE.replace('parallel: 2', 'parallel: 0'))).toBe(
      'budget.parallel: expected an integer >= 1, got 0',
    );
  });
});

describe('numericParameters', () => {
  it('keeps numbers, ranks text values in sorted order and leaves gaps as null', () => {
    const points = [
      { parameters: { lr: 0.1, opt: 'sgd' } },
      { parameters: { lr: 0.01, opt: 'adam' } },
      { parameters: { opt: 'rmsprop' } },
    ];
    const { values, labels } = numericParameters(points, ['lr', 'opt']);
    expect(labels.get('opt')).toEqual(['adam', 'rmsprop', 'sgd']);
    expect(labels.has('lr')).toBe(false);
    expect(values).toEqual([
      { lr: 0.1, opt: 2 },
      { lr: 0.01, opt: 0 },
      { lr: null, opt: 1 },
    ]);
  });
});
