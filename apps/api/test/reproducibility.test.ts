// Run.reproducibility end to end on both databases: stored and read back typed, bounded
// (BAD_USER_INPUT naming the field), queryable with repro.* / git.* in the runs query language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  createRun,
  databases,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const SHA_A = 'abc1234def5678abc1234def5678abc1234def56';
const SHA_B = '0123456789abcdef0123456789abcdef01234567';
const HEX = 'e'.repeat(64);

function record(over: Record<string, unknown> = {}) {
  return {
    configFile: {
      path: 'examples/x.yaml',
      text: 'preset: fmnist-cnn\n',
      sha256: HEX,
      truncated: false,
    },
    resolvedConfig: { model: { weightDecay: { tau: 0.1 } } },
    git: {
      commit: SHA_A,
      branch: 'main',
      dirty: true,
      diff: '+x\n',
      diffBytes: 3,
      diffTruncated: false,
    },
    command: ['node', 'train.cli.ts', '--config', 'examples/x.yaml'],
    host: 'lab-1',
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    node: 'v22.11.0',
    tfjs: '4.22.0',
    backend: 'wasm',
    dataset: {
      sha256: HEX,
      fileCount: 4,
      bytesRead: 3_000_000,
      truncated: false,
      files: [{ path: 'train-images-idx3-ubyte.gz', bytes: 2_000_000, sha256: HEX }],
    },
    ...over,
  };
}

const RUN = `query($id: ID!) { run(id: $id) { reproducibility {
  configFile { path text sha256 truncated }
  resolvedConfig
  git { commit branch dirty diff diffBytes diffTruncated }
  command host os { platform release arch } node tfjs backend
  dataset { sha256 fileCount bytesRead truncated files { path bytes sha256 } }
} } }`;

const RUNS = `query($filter: RunFilter, $orderBy: RunOrder) {
  runs(filter: $filter, orderBy: $orderBy, first: 100) { nodes { name reproducibility { host } } }
}`;

describe.each(databases)('Run.reproducibility on $label', (db) => {
  let api: TestApi;
  let project: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi(db);
    project = uniq('repro');
    ids.a = await createRun(api, { project, name: 'a', reproducibility: record() });
    ids.b = await createRun(api, {
      project,
      name: 'b',
      reproducibility: record({
        git: { commit: SHA_B, dirty: false, diffBytes: 0, diffTruncated: false },
        host: 'lab-2',
        tfjs: '4.21.0',
        configFile: null,
      }),
    });
    ids.c = await createRun(api, { project, name: 'c' });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('reads the record back typed, and null for a run without one', async () => {
    const a = await api.ok(RUN, { id: ids.a });
    expect(a.run.reproducibility).toEqual(record());
    const b = (await api.ok(RUN, { id: ids.b })).run.reproducibility;
    expect([b.git.branch, b.git.diff, b.configFile]).toEqual([null, null, null]);
    expect((await api.ok(RUN, { id: ids.c })).run.reproducibility).toBeNull();
  });

  it('filters and sorts runs on repro.* and git.* fields', async () => {
    const q = async (query: string) =>
      (
        await api.ok<Loose>(RUNS, {
          filter: { projects: [project], query },
          orderBy: { by: { key: 'name' }, direction: 'ASC' },
        })
      ).runs.nodes.map((n: { name: string }) => n.name);
    expect(await q('git.commit = "abc1234"')).toEqual(['a']);
    expect(await q(`repro.git.commit = "${SHA_B}"`)).toEqual(['b']);
    expect(await q('git.dirty = true')).toEqual(['a']);
    expect(await q('git.dirty = false')).toEqual(['b']);
    expect(await q('repro.host = "lab-2"')).toEqual(['b']);
    expect(await q('repro.tfjs = "4.22.0" and repro.os.platform = "linux"')).toEqual(['a']);
    expect(await q('repro.dataset.sha256 ~ "eeee"')).toEqual(['a', 'b']);
    expect(await q('NOT repro.host ~ "lab"')).toEqual(['c']);
    const sorted = await api.ok<Loose>(RUNS, {
      filter: { projects: [project] },
      orderBy: { by: { key: 'repro.host' }, direction: 'DESC' },
    });
    expect(sorted.runs.nodes.map((n: { name: string }) => n.name)).toEqual(['b', 'a', 'c']);
    expect(sorted.runs.nodes[0].reproducibility).toEqual({ host: 'lab-2' });
  });

  it('refuses an unknown field in a query with QUERY_SYNTAX_ERROR', async () => {
    const r = await api.gql(RUNS, { filter: { query: 'repro.gpu = "x"' } });
    expect(codeOf(r)).toBe('QUERY_SYNTAX_ERROR');
    expect(r.errors?.[0]?.message).toMatch(/unknown reproducibility field/);
  });

  it('refuses oversize and malformed records with BAD_USER_INPUT naming the field', async () => {
    const create = (reproducibility: unknown) =>
      api.gql('mutation($input: CreateRunInput!) { createRun(input: $input) { id } }', {
        input: { project, name: 'bad', reproducibility },
      });
    const diff = await create(
      record({
        git: {
          commit: SHA_A,
          dirty: true,
          diff: 'x'.repeat(300 * 1024),
          diffBytes: 1,
          diffTruncated: false,
        },
      }),
    );
    expect(codeOf(diff)).toBe('BAD_USER_INPUT');
    expect(diff.errors?.[0]?.message).toMatch(/reproducibility.git.diff is 307,200 bytes/);
    const whole = await create(
      record({
        command: Array.from({ length: 256 }, () => 'y'.repeat(4000)),
        git: {
          commit: SHA_A,
          dirty: true,
          diff: 'x'.repeat(200 * 1024),
          diffBytes: 1,
          diffTruncated: false,
        },
      }),
    );
    expect(codeOf(whole)).toBe('BAD_USER_INPUT');
    expect(whole.errors?.[0]?.extensions).toMatchObject({
      field: 'reproducibility',
      limit: 524288,
    });
    const commit = await create(record({ git: { ...record().git, commit: 'not-a-sha' } }));
    expect(codeOf(commit)).toBe('BAD_USER_INPUT');
    expect(commit.errors?.[0]?.message).toMatch(/git.commit must be 7-64 lowercase hexadecimal/);
    // Nothing was stored by the refused calls.
    const all = await api.ok<Loose>(RUNS, { filter: { projects: [project] } });
    expect(all.runs.nodes).toHaveLength(3);
  });
});
