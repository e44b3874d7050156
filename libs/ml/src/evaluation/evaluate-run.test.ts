import { describe, expect, it } from 'vitest';
import { samplesNameFor } from './evaluate-run';

describe('samplesNameFor', () => {
  const now = new Date('2026-12-06T20:15:30.123Z');
  it('keeps the usual name unless a finished run already has it (its artifacts are immutable)', () => {
    const withSamples = [{ name: 'model.json' }, { name: 'test-samples.bin' }];
    expect(samplesNameFor({ status: 'RUNNING', artifacts: withSamples }, 'test', now)).toBe(
      'test-samples.bin',
    );
    expect(samplesNameFor({ status: 'COMPLETED', artifacts: [] }, 'test', now)).toBe(
      'test-samples.bin',
    );
    for (const status of ['COMPLETED', 'FAILED'])
      expect(samplesNameFor({ status, artifacts: withSamples }, 'test', now)).toBe(
        'test-samples-20261206201530123.bin',
      );
  });
});
