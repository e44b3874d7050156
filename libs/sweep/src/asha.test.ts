import { describe, expect, it } from 'vitest';
import { ashaContinues, ashaRungs, ashaStops, ashaTopK } from './asha';

describe('ashaRungs', () => {
  it('places rungs at minResource * eta^k below maxResource', () => {
    expect(ashaRungs({ minResource: 1, eta: 3, maxResource: 27 })).toEqual([1, 3, 9]);
    expect(ashaRungs({ minResource: 1, eta: 3, maxResource: 10 })).toEqual([1, 3, 9]);
    expect(ashaRungs({ minResource: 2, eta: 2, maxResource: 16 })).toEqual([2, 4, 8]);
    expect(ashaRungs({ minResource: 5, eta: 3, maxResource: 5 })).toEqual([]);
  });
});

describe("the paper's promotion rule (top floor(n / eta) of a rung)", () => {
  it('promotes the top third of nine results with eta 3', () => {
    const rung = [0.3, 0.9, 0.1, 0.5, 0.8, 0.2, 0.7, 0.4, 0.6].map((value, i) => ({
      id: `r${i}`,
      value,
    }));
    expect(ashaTopK(rung, 3, 'maximize')).toEqual(['r1', 'r4', 'r6']);
    expect(ashaTopK(rung, 3, 'minimize')).toEqual(['r2', 'r5', 'r0']);
  });

  it('promotes nothing before a rung has eta results', () => {
    expect(
      ashaTopK(
        [
          { id: 'a', value: 1 },
          { id: 'b', value: 2 },
        ],
        3,
        'maximize',
      ),
    ).toEqual([]);
  });

  it('judges arrivals one by one (hand-worked, eta 3, maximize)', () => {
    // a .5, b .4: fewer than eta results, both go on. c .3: n=3, k=1, two better -> stop.
    // d .6: n=4, k=1, none better -> on. e .55: n=5, k=1, one better -> stop.
    // f .52: n=6, k=2, two better (.6, .55) -> stop. g .58: n=7, k=2, one better -> on.
    const arrivals = [0.5, 0.4, 0.3, 0.6, 0.55, 0.52, 0.58];
    const decisions = arrivals.map((v, i) => ashaContinues(arrivals.slice(0, i), v, 3, 'maximize'));
    expect(decisions).toEqual([true, true, false, true, false, false, true]);
    // Those judged after the third arrival that go on (d, g) are the paper's top floor(7/3) = 2.
    const all = arrivals.map((value, i) => ({ id: 'abcdefg'[i] as string, value }));
    expect(ashaTopK(all, 3, 'maximize')).toEqual(['d', 'g']);
  });

  it('counts a tie with an earlier run in favour of the newcomer', () => {
    expect(ashaContinues([0.5, 0.5], 0.5, 3, 'maximize')).toBe(true);
    expect(ashaContinues([1, 2], 3, 3, 'minimize')).toBe(false);
    expect(ashaContinues([2, 3], 1, 3, 'minimize')).toBe(true);
  });
});

describe('ashaStops', () => {
  const settings = { minResource: 1, eta: 2, maxResource: 8 };
  it('stops each run at the first rung it fails, in arrival order', () => {
    // Rungs at epochs 1, 2, 4. eta 2: the second arrival on must be in the top floor(n/2).
    const runs = [
      {
        runId: 'a',
        points: [
          { epoch: 1, value: 0.5, at: 10 },
          { epoch: 2, value: 0.6, at: 20 },
          { epoch: 4, value: 0.7, at: 40 },
        ],
      },
      // epoch 1 at 11: n=2, k=1, a is better -> stop at rung 1.
      {
        runId: 'b',
        points: [
          { epoch: 1, value: 0.4, at: 11 },
          { epoch: 2, value: 0.9, at: 21 },
        ],
      },
      // epoch 1 at 12: n=3, k=1, beats both -> on. epoch 2 at 22: after a (.6) and b (.9, it
      // reached the rung before its stop took effect): n=3, k=1, .65 < .9 -> stop at rung 2.
      {
        runId: 'c',
        points: [
          { epoch: 1, value: 0.8, at: 12 },
          { epoch: 2, value: 0.65, at: 22 },
        ],
      },
      // A NaN is not judged.
      { runId: 'd', points: [{ epoch: 1, value: Number.NaN, at: 13 }] },
    ];
    expect(ashaStops(settings, 'maximize', runs)).toEqual([
      { runId: 'b', rung: 1 },
      { runId: 'c', rung: 2 },
    ]);
  });

  it('gives the same stops whatever order the runs are listed in', () => {
    const runs = Array.from({ length: 12 }, (_, i) => ({
      runId: `r${i}`,
      points: [1, 2, 4].map((epoch) => ({
        epoch,
        value: Math.sin(i * 7 + epoch),
        at: epoch * 100 + ((i * 5) % 12),
      })),
    }));
    const forward = ashaStops(settings, 'minimize', runs);
    const backward = ashaStops(settings, 'minimize', [...runs].reverse());
    expect(forward.length).toBeGreaterThan(0);
    expect(new Map(backward.map((s) => [s.runId, s.rung]))).toEqual(
      new Map(forward.map((s) => [s.runId, s.rung])),
    );
  });
});
