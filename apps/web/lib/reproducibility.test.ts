import { describe, expect, it } from 'vitest';
import {
  formatCommand,
  reproducibilityDiff,
  reproducibilityFacts,
  type ComparedReproducibility,
  type ReproducibilityRecord,
} from './reproducibility';

const SHA = 'abc1234def5678abc1234def5678abc1234def56';

const record: ReproducibilityRecord = {
  configFile: { path: 'examples/x.yaml', text: 'a', sha256: 'f'.repeat(64), truncated: false },
  git: { commit: SHA, branch: 'main', dirty: true, diff: '+x', diffBytes: 2, diffTruncated: false },
  command: ['node', 'train.cli.ts'],
  host: 'lab-1',
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  node: 'v22.11.0',
  tfjs: '4.22.0',
  backend: 'wasm',
  dataset: { sha256: '0'.repeat(64), fileCount: 4, bytesRead: 10, truncated: false, files: [] },
};

describe('reproducibilityFacts', () => {
  it('lists commit (12 characters, branch, dirty), host, OS, versions, config and dataset', () => {
    expect(reproducibilityFacts(record).map((f) => [f.label, f.value])).toEqual([
      ['Git commit', 'abc1234def56 (main) · dirty'],
      ['Host', 'lab-1'],
      ['OS', 'linux 6.1.0 (x64)'],
      ['Node.js', 'v22.11.0'],
      ['TF.js', '4.22.0'],
      ['Backend', 'wasm'],
      ['Config file', 'examples/x.yaml'],
      ['Dataset', 'sha256 000000000000 · 4 files'],
    ]);
  });

  it('says when there is no git checkout and leaves out what is missing', () => {
    const facts = reproducibilityFacts({
      ...record,
      git: null,
      tfjs: null,
      configFile: null,
      dataset: null,
    });
    expect(facts.map((f) => f.label)).toEqual(['Git commit', 'Host', 'OS', 'Node.js', 'Backend']);
    expect(facts[0]?.value).toBe('not a git checkout');
  });
});

describe('formatCommand', () => {
  it('quotes arguments a shell would split', () => {
    expect(formatCommand(['npm', 'run', 'train', '--', '--name', "my run's"])).toBe(
      `npm run train -- --name 'my run'\\''s'`,
    );
  });
});

describe('reproducibilityDiff', () => {
  const r = (over: Partial<ComparedReproducibility>): ComparedReproducibility => ({
    git: { commit: SHA, dirty: false, branch: 'main' },
    host: 'lab-1',
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    node: 'v22.11.0',
    tfjs: '4.22.0',
    backend: 'wasm',
    dataset: { sha256: 'a'.repeat(64) },
    configFile: null,
    ...over,
  });

  it('marks the fields that differ, null for a run without a record', () => {
    const rows = reproducibilityDiff([
      { reproducibility: r({}) },
      { reproducibility: r({ host: 'lab-2', git: { commit: SHA, dirty: true } }) },
      { reproducibility: null },
    ]);
    const byKey = Object.fromEntries(rows.map((row) => [row.key, row]));
    expect(byKey['repro.host']).toEqual({
      key: 'repro.host',
      differs: true,
      values: ['lab-1', 'lab-2', null],
    });
    expect(byKey['repro.git.dirty']?.values).toEqual([false, true, null]);
    expect(byKey['repro.git.branch']?.values).toEqual(['main', null, null]);
    // No run has a config file: no row.
    expect(byKey['repro.config.sha256']).toBeUndefined();
  });

  it('is empty when no run has a record, and equal fields do not differ', () => {
    expect(reproducibilityDiff([{ reproducibility: null }, {}])).toEqual([]);
    const same = reproducibilityDiff([{ reproducibility: r({}) }, { reproducibility: r({}) }]);
    expect(same.every((row) => !row.differs)).toBe(true);
    expect(same.map((row) => row.key)).toContain('repro.tfjs');
  });
});
