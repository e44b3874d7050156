import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from './calibration';

describe('expectedCalibrationError', () => {
  it('puts values on an edge in the lower bin, and 0 in the first bin', () => {
    const r = expectedCalibrationError([0, 0.5, 0.5000001, 1], [true, false, true, true], 2);
    expect(r.bins.map((b) => b.count)).toEqual([2, 2]);
    expect(r.bins[0]).toEqual({
      binLower: 0,
      binUpper: 0.5,
      confidence: 0.25,
      accuracy: 0.5,
      count: 2,
    });
    expect(r.bins[1]!.accuracy).toBe(1);
    expect(r.ece).toBeCloseTo((0.25 * 2) / 4 + ((1 - (0.5000001 + 1) / 2) * 2) / 4, 15);
  });
  it('follows numpy.linspace edges: 0.6 is in (0.5, 0.6000000000000001], not the next bin', () => {
    const r = expectedCalibrationError([0.6, 0.3], [true, true], 10);
    expect(r.bins[5]!.binUpper).toBe(0.6000000000000001);
    expect(r.bins[5]!.count).toBe(1);
    expect(r.bins[2]!.binUpper).toBe(0.30000000000000004); // 3 * 0.1, as numpy.linspace gives
    expect(r.bins[2]!.count).toBe(1);
  });
  it('is 0 for a perfectly calibrated table and reports empty bins as null', () => {
    const r = expectedCalibrationError([1, 1], [true, true], 15);
    expect(r.ece).toBe(0);
    expect(r.bins).toHaveLength(15);
    expect(r.bins[14]!.count).toBe(2);
    expect(r.bins[0]).toMatchObject({ confidence: null, accuracy: null, count: 0 });
  });
  it('rejects bad bins and confidences', () => {
    expect(() => expectedCalibrationError([0.5], [true], 0)).toThrow(
      'calibrationBins must be an integer >= 1',
    );
    expect(() => expectedCalibrationError([1.5], [true], 5)).toThrow(
      'confidence[0] = 1.5 is outside [0, 1]',
    );
  });
});
