// The query language on Run.reproducibility fields (repro.<field>, git.<x>).
import { describe, expect, it } from 'vitest';
import { compileQuery, sortRuns, type RunProjection } from './evaluate';
import { parseQuery, parseSortKey, QuerySyntaxError, reproducibilityFields } from './parser';

const SHA_A = 'abc1234def5678abc1234def5678abc1234def56';
const SHA_B = '0123456789abcdef0123456789abcdef01234567';

function run(id: string, repro: Record<string, string | boolean | null> | null): RunProjection {
  return {
    id,
    name: id,
    status: 'COMPLETED',
    project: 'p',
    tags: [],
    hyperparameters: {},
    createdAt: new Date('2026-11-01T12:00:00Z'),
    startedAt: null,
    endedAt: null,
    metrics: new Map(),
    reproducibility: repro ? new Map(Object.entries(repro)) : undefined,
  };
}

const runs = [
  run('a', { 'git.commit': SHA_A, 'git.dirty': true, host: 'lab-1', tfjs: '4.22.0' }),
  run('b', { 'git.commit': SHA_B, 'git.dirty': false, host: 'lab-2', tfjs: '4.21.0' }),
  run('c', null),
];
const select = (q: string) => runs.filter(compileQuery(parseQuery(q), 0)).map((r) => r.id);

function reason(q: string): string {
  try {
    parseQuery(q);
  } catch (err) {
    if (err instanceof QuerySyntaxError) return err.reason;
    throw err;
  }
  throw new Error(`"${q}" parsed`);
}

describe('reproducibility fields in the runs query language', () => {
  it('reads git.commit (a 7+ hex prefix matches), git.dirty, host and tfjs', () => {
    expect(select('git.commit = "abc1234"')).toEqual(['a']);
    expect(select(`repro.git.commit = "${SHA_B}"`)).toEqual(['b']);
    // A run without a record is neither equal nor different: missing values never match.
    expect(select('git.commit != "abc1234"')).toEqual(['b']);
    expect(select('git.dirty = true')).toEqual(['a']);
    expect(select('repro.git.dirty = false')).toEqual(['b']);
    expect(select('repro.host = "lab-2"')).toEqual(['b']);
    expect(select('reproducibility.tfjs ~ "4.2"')).toEqual(['a', 'b']);
    expect(select('repro.tfjs >= "4.22.0" or repro.host = "lab-2"')).toEqual(['a', 'b']);
  });

  it('lists the fields a query and a sort read', () => {
    expect(reproducibilityFields(parseQuery('git.dirty = true and repro.host = "x"'))).toEqual([
      'git.dirty',
      'host',
    ]);
    expect(reproducibilityFields(null, parseSortKey('repro.tfjs'))).toEqual(['tfjs']);
  });

  it('sorts on a reproducibility field, runs without one last', () => {
    expect(sortRuns(runs, parseSortKey('repro.host'), 'desc', 0).map((r) => r.id)).toEqual([
      'b',
      'a',
      'c',
    ]);
  });

  it('refuses unknown fields and mistyped comparisons with a reason', () => {
    expect(reason('repro.gpu = "x"')).toMatch(/unknown reproducibility field "repro.gpu"/);
    expect(reason('git.author = "x"')).toMatch(/git.commit, git.dirty/);
    expect(reason('git.dirty = "yes"')).toMatch(/expected true or false/);
    expect(reason('git.dirty < true')).toMatch(/use = or !=/);
    expect(reason('repro.host = 3')).toMatch(/expected a string to compare with repro.host/);
  });
});
