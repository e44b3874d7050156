import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  downsampleLevels,
  dropImplicitLevelsSql,
  firstCandidateLevel,
  levelFromPointsSql,
  levelRowsOf,
  levelRowsToWrite,
  levelStored,
  LEVELS,
  mergeLevelRows,
  type LevelRow,
} from './metric-levels';

const series = (n: number, f: (i: number) => number, stride = 1) =>
  Array.from({ length: n }, (_, i) => ({ step: i * stride, value: f(i) }));

describe('downsampleLevels', () => {
  it('keeps short series whole and long ones within maxPoints, with first, last and extremes', () => {
    const s = series(10_000, (i) => (i === 4321 ? 50 : i === 777 ? -50 : Math.sin(i / 10)));
    expect(downsampleLevels(s, 10_000)).toEqual(s);
    for (const max of [4, 5, 10, 100, 1000, 9999]) {
      const out = downsampleLevels(s, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out[0]).toBe(s[0]);
      expect(out.at(-1)).toBe(s.at(-1));
      expect(out).toContain(s[4321]);
      expect(out).toContain(s[777]);
      for (let i = 1; i < out.length; i++) expect(out[i]!.step).toBeGreaterThan(out[i - 1]!.step);
    }
    expect(downsampleLevels(s, 2)).toEqual([s[0], s.at(-1)]);
    expect(downsampleLevels(s, 3)).toEqual([s[0], s.at(-1)]);
    expect(() => downsampleLevels(s, 1)).toThrow(RangeError);
  });

  it('reads the finest level with at most (maxPoints - 2) / 2 buckets (hand-computed)', () => {
    // 64 points at steps 0..63, maxPoints 12: 5 buckets allowed; level 1 has 16 buckets, level 2
    // has 4 (steps 0-15, 16-31, 32-47, 48-63). Values: the step, except a dip at 20 and a peak at 40.
    const s = series(64, (i) => (i === 20 ? -1 : i === 40 ? 99 : i));
    const out = downsampleLevels(s, 12).map((p) => p.step);
    // bucket 0: min 0, max 15; bucket 1: min 20, max 31; bucket 2: min 32, max 40; bucket 3: 48, 63.
    expect(out).toEqual([0, 15, 20, 31, 32, 40, 48, 63]);
    // Ties go to the earliest step.
    const flat = series(64, () => 1);
    expect(downsampleLevels(flat, 12).map((p) => p.step)).toEqual([0, 16, 32, 48, 63]);
  });

  it('is the same for the same points whatever the order they were logged in (fixed buckets)', () => {
    const s = series(5000, (i) => Math.cos(i * 0.37) * i, 3);
    expect(downsampleLevels(s, 300)).toEqual(downsampleLevels(s.slice(), 300));
    expect(firstCandidateLevel(1_000_000, 499)).toBe(6);
    expect(bucketOf(2_147_483_647, LEVELS)).toBe(0);
  });
});

describe('level rows', () => {
  it('merging the rows of two disjoint halves equals the rows of the whole', () => {
    const pts = series(700, (i) => ((i * 7919) % 101) / 7, 5).map((p) => ({ ...p, name: 'm' }));
    const odd = pts.filter((_, i) => i % 3 === 1);
    const rest = pts.filter((_, i) => i % 3 !== 1);
    const merged = new Map(levelRowsOf(rest).map((r) => [`${r.level}:${r.bucket}`, r]));
    for (const r of levelRowsOf(odd)) {
      const key = `${r.level}:${r.bucket}`;
      const a = merged.get(key);
      merged.set(key, a ? mergeLevelRows(a, r) : r);
    }
    const whole = levelRowsOf(pts);
    expect(merged.size).toBe(whole.length);
    for (const r of whole) expect(merged.get(`${r.level}:${r.bucket}`)).toEqual(r);
  });

  it('takes the largest batch logMetrics accepts (200,000 points) in one call', () => {
    const rows = levelRowsOf(series(200_000, (i) => i % 13).map((p) => ({ ...p, name: 'm' })));
    expect(rows.filter((r) => r.level === 1)).toHaveLength(50_000);
    expect(rows.find((r) => r.level === LEVELS)).toMatchObject({ count: 200_000, bucket: 0 });
  });

  it('the migration backfills every level with levelFromPointsSql', () => {
    for (const dialect of ['sqlite', 'postgresql']) {
      const sql = readFileSync(
        path.join(
          __dirname,
          `../../../../prisma/${dialect}/migrations/20261207153000_metric_levels/migration.sql`,
        ),
        'utf8',
      );
      for (let k = 1; k <= LEVELS; k++) expect(sql).toContain(levelFromPointsSql(k));
      const implicit = readFileSync(
        path.join(
          __dirname,
          `../../../../prisma/${dialect}/migrations/20261208010000_implicit_metric_levels/migration.sql`,
        ),
        'utf8',
      );
      expect(implicit).toContain(dropImplicitLevelsSql());
    }
  });
});

/** The stored rows of a whole series: every level's rows, less the implicit levels'. */
function storedRowsOf(points: readonly { name: string; step: number; value: number }[]) {
  const rows = levelRowsOf(points);
  const top = new Map(rows.filter((r) => r.level === LEVELS).map((r) => [r.name, r.last.step]));
  return rows.filter((r) => levelStored(r.level, top.get(r.name)!));
}

const key = (r: LevelRow) => `${r.name}:${r.level}:${r.bucket}`;

describe('implicit levels', () => {
  it('a level is stored once the series reaches its second bucket; level 16 always', () => {
    expect(levelStored(1, 3)).toBe(false);
    expect(levelStored(1, 4)).toBe(true);
    expect(levelStored(5, 1023)).toBe(false);
    expect(levelStored(5, 1024)).toBe(true);
    expect(levelStored(LEVELS, 0)).toBe(true);
    expect(levelStored(LEVELS - 1, 2_147_483_647)).toBe(true);
  });

  it('batches merged with levelRowsToWrite, in any order, store exactly the rows of the whole series', () => {
    // Steps growing through several levels, logged in batches out of order (a late early batch,
    // one far ahead that makes many levels stored at once), two names, ties in values.
    const pts = ['a', 'b'].flatMap((name, n) =>
      Array.from({ length: 900 }, (_, i) => ({
        name,
        step: i < 850 ? i * 3 + n : 5000 * i,
        value: ((i * 7919 + n) % 23) / 4,
      })),
    );
    const order = [
      [100, 200],
      [0, 100],
      [860, 900],
      [200, 600],
      [850, 860],
      [600, 850],
    ];
    const stored = new Map<string, LevelRow>();
    const logged: typeof pts = [];
    for (const [from, to] of order) {
      const batch = pts.filter((_, i) => i % 900 >= from! && i % 900 < to!);
      const tops = new Map(
        [...stored.values()].filter((r) => r.level === LEVELS).map((r) => [r.name, r]),
      );
      const rows = levelRowsToWrite(batch, tops);
      expect(new Set(rows.map(key)).size).toBe(rows.length); // one row per key (an upsert each)
      for (const r of rows) {
        const a = stored.get(key(r));
        stored.set(key(r), a ? mergeLevelRows(a, r) : r);
      }
      // After every batch, what is stored equals the stored rows of what was logged so far.
      logged.push(...batch);
      const expected = storedRowsOf(logged);
      expect(stored.size).toBe(expected.length);
      for (const r of expected) expect(stored.get(key(r))).toEqual(r);
    }
    expect(logged).toHaveLength(pts.length);
    const whole = storedRowsOf(pts);
    expect(stored.size).toBe(whole.length);
    for (const r of whole) expect(stored.get(key(r))).toEqual(r);
    // Fewer rows than every level: levels 12-15 of 'a' and 'b' (4^12 > 4.5 million) are implicit.
    expect(whole.length).toBeLessThan(levelRowsOf(pts).length);
    expect(whole.some((r) => r.level === 12)).toBe(false);
  });

  it('dropImplicitLevelsSql keeps bucket 0 of a stored level and level 16', () => {
    const sql = dropImplicitLevelsSql('"runId" = ?');
    expect(sql).toContain(`"level" < ${LEVELS} AND "bucket" = 0 AND ("runId" = ?)`);
  });
});
