import { describe, expect, it } from 'vitest';
import { parseReproducibility, prepareReproducibility } from './reproducibility.schema';

const HEX = 'a'.repeat(64);

/** A complete, valid record. */
function record(over: Record<string, unknown> = {}) {
  return {
    configFile: {
      path: 'examples/x.yaml',
      text: 'preset: fmnist-cnn\n',
      sha256: HEX,
      truncated: false,
    },
    resolvedConfig: { training: { epochs: 2 } },
    git: {
      commit: 'abc1234',
      branch: 'main',
      dirty: true,
      diff: '+x',
      diffBytes: 2,
      diffTruncated: false,
    },
    command: ['node', 'train.cli.ts', '--epochs', '2'],
    host: 'lab-1',
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    node: 'v22.0.0',
    tfjs: '4.22.0',
    backend: 'cpu',
    dataset: {
      sha256: HEX,
      fileCount: 1,
      bytesRead: 10,
      truncated: false,
      files: [{ path: 'a.gz', bytes: 10, sha256: HEX }],
    },
    ...over,
  };
}

function badInput(value: unknown): { message: string; extensions: Record<string, unknown> } {
  try {
    prepareReproducibility(value);
  } catch (err) {
    const e = err as { message: string; extensions: Record<string, unknown> };
    expect(e.extensions.code).toBe('BAD_USER_INPUT');
    return e;
  }
  throw new Error('accepted');
}

describe('Run.reproducibility checks', () => {
  it('stores a valid record and reads it back the same', () => {
    const text = prepareReproducibility(record());
    expect(text).not.toBeNull();
    expect(parseReproducibility(text)).toEqual(record());
  });

  it('fills missing optional parts with null', () => {
    const text = prepareReproducibility(
      record({ git: undefined, configFile: undefined, dataset: null, tfjs: undefined }),
    );
    const back = parseReproducibility(text)!;
    expect([back.git, back.configFile, back.dataset, back.tfjs]).toEqual([null, null, null, null]);
  });

  it('refuses a diff over 256 KiB, naming the field and the limit', () => {
    const e = badInput(
      record({ git: { ...record().git, diff: 'x'.repeat(256 * 1024 + 1), diffBytes: 1 } }),
    );
    expect(e.message).toMatch(/reproducibility.git.diff is 262,145 bytes; the limit is 262,144/);
  });

  it('refuses a whole record over 512 KiB', () => {
    const arg = 'y'.repeat(4000);
    const e = badInput(
      record({
        command: Array.from({ length: 200 }, () => arg),
        git: { ...record().git, diff: 'x'.repeat(250 * 1024) },
      }),
    );
    expect(e.message).toMatch(/the limit is 524,288 bytes/);
    expect(e.extensions.limit).toBe(524288);
  });

  it('refuses malformed hashes and a non-object resolved config', () => {
    expect(badInput(record({ git: { ...record().git, commit: 'XYZ' } })).message).toMatch(
      /git.commit must be 7-64 lowercase hexadecimal/,
    );
    expect(badInput(record({ dataset: { ...record().dataset, sha256: 'abc' } })).message).toMatch(
      /dataset.sha256 must be 64 lowercase hexadecimal/,
    );
    expect(badInput(record({ resolvedConfig: [1, 2] })).message).toMatch(
      /resolvedConfig must be a JSON object/,
    );
  });
});
