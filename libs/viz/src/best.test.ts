import { describe, expect, it } from 'vitest';
import { bestFromSummary, bestPoint, metricGoal } from './best';

describe('metricGoal', () => {
  it('maximises accuracy-like and minimises loss-like metrics', () => {
    expect(metricGoal('accuracy')).toBe('max');
    expect(metricGoal('val_accuracy')).toBe('max');
    expect(metricGoal('val_acc')).toBe('max');
    expect(metricGoal('f1')).toBe('max');
    expect(metricGoal('loss')).toBe('min');
    expect(metricGoal('val_loss')).toBe('min');
    expect(metricGoal('top_1_error')).toBe('min');
    expect(metricGoal('mse')).toBe('min');
    expect(metricGoal('lr')).toBe('min');
    expect(metricGoal('train_images_per_s')).toBe('max');
    expect(metricGoal('epoch_time_s')).toBe('min');
  });
});

describe('bestPoint', () => {
  const pts = [
    { step: 1, value: 0.61 },
    { step: 2, value: NaN },
    { step: 3, value: 0.87 },
    { step: 4, value: 0.87 },
    { step: 5, value: 0.42 },
  ];
  it('takes the maximum for accuracy, earliest step on ties, skipping NaN', () => {
    expect(bestPoint(pts, 'max')).toEqual({ step: 3, value: 0.87 });
  });
  it('takes the minimum for loss', () => {
    expect(bestPoint(pts, 'min')).toEqual({ step: 5, value: 0.42 });
  });
  it('is null without finite values', () => {
    expect(bestPoint([{ step: 1, value: Infinity }], 'max')).toBeNull();
    expect(bestPoint([], 'min')).toBeNull();
  });
});

describe('bestFromSummary', () => {
  const summary = [
    { name: 'val_accuracy', min: 0.5, max: 0.91 },
    { name: 'val_loss', min: 0.28, max: 1.4 },
  ];
  it('picks max or min by metric name', () => {
    expect(bestFromSummary(summary, 'val_accuracy')).toBe(0.91);
    expect(bestFromSummary(summary, 'val_loss')).toBe(0.28);
    expect(bestFromSummary(summary, 'accuracy')).toBeNull();
  });
});
