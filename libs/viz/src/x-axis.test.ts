import { describe, expect, it } from 'vitest';
import {
  epochAtTime,
  epochToX,
  timeAtEpoch,
  epochEnds,
  firstTime,
  formatSeconds,
  metricLevel,
  relativeTicks,
  toXPoints,
  wallTicks,
  wallTimeFormat,
  xAxisTitle,
  xFormatOf,
} from './x-axis';

describe('x axis', () => {
  it('titles the axis by what a step counts', () => {
    expect(metricLevel('batch_loss')).toBe('batch');
    expect(metricLevel('val_loss')).toBe('epoch');
    expect(xAxisTitle('step', 'epoch')).toBe('epoch');
    expect(xAxisTitle('step', 'batch')).toBe('batch');
    expect(xAxisTitle('epoch', 'batch')).toBe('epoch');
    expect(xAxisTitle('relative', 'epoch')).toBe('relative time');
    expect(xAxisTitle('wall', 'batch')).toBe('wall time (UTC)');
    expect(xFormatOf('relative')).toBe('duration');
    expect(xFormatOf('wall')).toBe('time');
    expect(xFormatOf('epoch')).toBe('number');
  });

  it('finds when each epoch ended and places times between them', () => {
    const ends = epochEnds([
      {
        points: [
          { step: 1, value: 0, time: 100 },
          { step: 2, value: 0, time: 200 },
        ],
      },
      {
        points: [
          { step: 2, value: 0, time: 190 },
          { step: 1, value: 0, time: 110 },
          { step: 3, value: 0 },
        ],
      },
    ]);
    expect(ends).toEqual([
      { epoch: 1, time: 110 },
      { epoch: 2, time: 200 },
    ]);
    // Start 10 is epoch 0: 60 is half-way to epoch 1; 155 half-way from 1 to 2; 245 continues
    // at the last epoch's pace (90 per epoch).
    expect(epochAtTime(ends, 60, 10)).toBe(0.5);
    expect(epochAtTime(ends, 155, 10)).toBe(1.5);
    expect(epochAtTime(ends, 245, 10)).toBe(2.5);
    expect(epochAtTime(ends.slice(0, 1), 60)).toBeNull();
    expect(epochAtTime(ends.slice(0, 1), 60, 10)).toBe(0.5);
    // And back: epoch 1.5 was at 155; a marker between epochs 1 and 2 is 145 s after a start at 10.
    expect(timeAtEpoch(ends, 1.5, 10)).toBe(155);
    expect(timeAtEpoch(ends, 0.5, 10)).toBe(60);
    expect(epochToX(1.5, { mode: 'epoch', epochs: ends })).toBe(1.5);
    expect(epochToX(1.5, { mode: 'wall', origin: 10, epochs: ends })).toBe(155);
    expect(
      epochToX(1.5, {
        mode: 'relative',
        origin: 10_000,
        epochs: [
          { epoch: 1, time: 20_000 },
          { epoch: 2, time: 40_000 },
        ],
      }),
    ).toBe(20);
    expect(epochToX(1.5, { mode: 'relative', epochs: ends.slice(0, 1) })).toBeNull();
  });

  it('maps points to the chosen x, leaving out those it cannot place', () => {
    const points = [
      { step: 20, value: 1, time: 4000 },
      { step: 40, value: 2, time: 7000 },
      { step: 60, value: 3 },
    ];
    expect(toXPoints(points, { mode: 'step', level: 'batch' }).map((p) => p.step)).toEqual([
      20, 40, 60,
    ]);
    expect(toXPoints(points, { mode: 'relative', level: 'batch', origin: 1000 })).toEqual([
      { step: 3, value: 1 },
      { step: 6, value: 2 },
    ]);
    expect(toXPoints(points, { mode: 'wall', level: 'epoch' }).map((p) => p.step)).toEqual([
      4000, 7000,
    ]);
    // Epoch-level steps are epochs already.
    expect(toXPoints(points, { mode: 'epoch', level: 'epoch' }).map((p) => p.step)).toEqual([
      20, 40, 60,
    ]);
    // Batches by time: epoch 1 ended at 5000, epoch 2 at 9000, the run started at 1000.
    const epochs = [
      { epoch: 1, time: 5000 },
      { epoch: 2, time: 9000 },
    ];
    expect(
      toXPoints(points, { mode: 'epoch', level: 'batch', origin: 1000, epochs }).map((p) => p.step),
    ).toEqual([0.75, 1.5]);
    expect(firstTime([{ points }, { points: [{ step: 0, value: 0, time: 3000 }] }])).toBe(3000);
    expect(firstTime([{ points: [{ step: 0, value: 0 }] }])).toBeNull();
  });

  it('ticks relative time in round units and formats it as durations', () => {
    expect(relativeTicks([0, 90], 5)).toEqual([0, 20, 40, 60, 80]);
    expect(relativeTicks([0, 300], 5)).toEqual([0, 60, 120, 180, 240, 300]);
    expect(relativeTicks([0, 4 * 3600], 4)).toEqual([0, 3600, 7200, 10800, 14400]);
    expect(formatSeconds(5.5)).toBe('5.5s');
    expect(formatSeconds(45)).toBe('45s');
    expect(formatSeconds(120)).toBe('2m');
    expect(formatSeconds(150)).toBe('2m 30s');
    expect(formatSeconds(3900)).toBe('1h 05m');
    expect(formatSeconds(-10)).toBe('-10s');
  });

  it('formats wall time with the precision its span needs', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(wallTimeFormat(60_000, { utc: true })(t)).toBe('03:04:05');
    expect(wallTimeFormat(3_600_000, { utc: true })(t)).toBe('03:04');
    expect(wallTimeFormat(3 * 86_400_000, { utc: true })(t)).toBe('Jan 02 03:04');
    // Round UTC minutes: 03:04:05 .. 03:09:05 ticks at 03:05 .. 03:09.
    const ticks = wallTicks([t, t + 300_000], 5).map((v) =>
      wallTimeFormat(300_000, { utc: true })(v),
    );
    expect(ticks).toEqual(['03:05:00', '03:06:00', '03:07:00', '03:08:00', '03:09:00']);
  });
});
