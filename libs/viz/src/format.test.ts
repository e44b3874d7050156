import { describe, expect, it } from 'vitest';
import {
  MISSING,
  formatBytes,
  formatDuration,
  formatNumber,
  formatParams,
  formatPercent,
} from './format';

describe('formatDuration', () => {
  it('covers milliseconds to days', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(2 * 3600_000 + 7 * 60_000 + 59_000)).toBe('2h 07m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3d 04h');
  });
  it('marks missing values', () => {
    expect(formatDuration(null)).toBe(MISSING);
    expect(formatDuration(-1)).toBe(MISSING);
    expect(formatDuration(NaN)).toBe(MISSING);
  });
});

describe('formatParams', () => {
  it('uses K/M/B with three significant digits', () => {
    expect(formatParams(812)).toBe('812');
    expect(formatParams(45_610)).toBe('45.6K');
    expect(formatParams(1_234_567)).toBe('1.23M');
    expect(formatParams(2_500_000_000)).toBe('2.5B');
    expect(formatParams(100_000)).toBe('100K');
    expect(formatParams(undefined)).toBe(MISSING);
  });
});

describe('formatNumber', () => {
  it('prints significant digits, integers and exponents', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(64)).toBe('64');
    expect(formatNumber(0.0001)).toBe('1e-4');
    expect(formatNumber(0.00025)).toBe('2.5e-4');
    expect(formatNumber(0.001)).toBe('0.001');
    expect(formatNumber(Infinity)).toBe(MISSING);
  });
});

describe('formatPercent and formatBytes', () => {
  it('formats fractions as percentages', () => {
    expect(formatPercent(0.9234)).toBe('92.3%');
    expect(formatPercent(1, 0)).toBe('100%');
    expect(formatPercent(null)).toBe(MISSING);
  });
  it('formats binary sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12.0 MiB');
    expect(formatBytes(-3)).toBe(MISSING);
  });
});
