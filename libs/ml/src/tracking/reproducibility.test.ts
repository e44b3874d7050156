import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureGit,
  captureReproducibility,
  cutUtf8,
  fingerprintDataset,
  redactSecrets,
  type GitRunner,
} from './reproducibility';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'convscope-repro-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A git repository with one commit of `a.txt`, on branch `main`. */
async function repo(name: string): Promise<string> {
  const root = path.join(dir, name);
  await mkdir(root, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  git('init', '-q', '-b', 'main');
  await writeFile(path.join(root, 'a.txt'), 'one\n');
  git('add', 'a.txt');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'first');
  return root;
}

describe('captureGit', () => {
  it('records commit, branch, clean state, then dirty with the diff', async () => {
    const root = await repo('clean-then-dirty');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root }).toString().trim();
    const clean = await captureGit(root);
    expect(clean).toEqual({
      commit: head,
      branch: 'main',
      dirty: false,
      diff: null,
      diffBytes: 0,
      diffTruncated: false,
    });
    await writeFile(path.join(root, 'a.txt'), 'one\ntwo\n');
    const dirty = (await captureGit(root))!;
    expect(dirty.dirty).toBe(true);
    expect(dirty.diff).toContain('+two');
    expect(dirty.diffBytes).toBe(Buffer.byteLength(dirty.diff!, 'utf8'));
    expect(dirty.diffTruncated).toBe(false);
  });

  it('counts an untracked file as dirty', async () => {
    const root = await repo('untracked');
    await writeFile(path.join(root, 'new.txt'), 'x');
    expect((await captureGit(root))!.dirty).toBe(true);
  });

  it('cuts a long diff and says so, with the whole size', async () => {
    const root = await repo('long-diff');
    await writeFile(path.join(root, 'a.txt'), 'x'.repeat(5000) + '\n');
    const g = (await captureGit(root, { maxDiffBytes: 100 }))!;
    expect(g.diffTruncated).toBe(true);
    expect(Buffer.byteLength(g.diff!, 'utf8')).toBeLessThanOrEqual(100);
    expect(g.diffBytes).toBeGreaterThan(5000);
  });

  it('is null outside a checkout and when git is missing', async () => {
    const plain = path.join(dir, 'plain');
    await mkdir(plain);
    expect(await captureGit(plain)).toBeNull();
    const missing: GitRunner = () => Promise.reject(new Error('spawn git ENOENT'));
    expect(await captureGit(plain, { git: missing })).toBeNull();
  });
});

describe('cutUtf8', () => {
  it('cuts on a character boundary and replaces NUL', () => {
    expect(cutUtf8('aé', 2)).toEqual({ text: 'a', truncated: true }); // é is 2 bytes
    expect(cutUtf8('a\u0000b', 10)).toEqual({ text: 'a\uFFFDb', truncated: false });
  });
});

describe('fingerprintDataset', () => {
  it('equals a SHA-256 computed independently over path, size and bytes in path order', async () => {
    const root = path.join(dir, 'data');
    await mkdir(path.join(root, 'cat'), { recursive: true });
    await mkdir(path.join(root, 'dog'), { recursive: true });
    await writeFile(path.join(root, 'dog', '1.png'), Buffer.from([1, 2, 3]));
    await writeFile(path.join(root, 'cat', '1.png'), Buffer.from([4, 5]));
    await writeFile(path.join(root, '.hidden'), 'ignored');
    const fp = await fingerprintDataset({ root });
    const expected = createHash('sha256')
      .update('cat/1.png\u00002\u0000')
      .update(Buffer.from([4, 5]))
      .update('dog/1.png\u00003\u0000')
      .update(Buffer.from([1, 2, 3]))
      .digest('hex');
    expect(fp.sha256).toBe(expected);
    expect(fp.fileCount).toBe(2);
    expect(fp.bytesRead).toBe(5);
    expect(fp.truncated).toBe(false);
    expect(fp.files.map((f) => [f.path, f.bytes])).toEqual([
      ['cat/1.png', 2],
      ['dog/1.png', 3],
    ]);
    expect(fp.files[1]!.sha256).toBe(
      createHash('sha256')
        .update(Buffer.from([1, 2, 3]))
        .digest('hex'),
    );
    // A budget of 4 bytes reads the first file only, and says so.
    const cut = await fingerprintDataset({ root }, { maxBytes: 4 });
    expect([cut.truncated, cut.bytesRead, cut.files.length]).toEqual([true, 2, 1]);
  });

  it('hashes only the named files when given', async () => {
    const root = path.join(dir, 'data');
    const fp = await fingerprintDataset({ root, files: ['dog/1.png'] });
    expect(fp.fileCount).toBe(1);
    expect(fp.files.map((f) => f.path)).toEqual(['dog/1.png']);
  });
});

describe('captureReproducibility', () => {
  it('records the config file, command line, host, versions and git', async () => {
    const root = await repo('capture');
    const config = path.join(root, 'exp.yaml');
    await writeFile(config, 'preset: fmnist-cnn\n');
    const r = await captureReproducibility({
      cwd: root,
      configFile: config,
      resolvedConfig: { training: { epochs: 1 } },
      argv: ['node', 'train.cli.ts', '--config', config],
      tfjs: '4.22.0',
      backend: 'cpu',
    });
    expect(r.configFile).toEqual({
      path: config,
      text: 'preset: fmnist-cnn\n',
      sha256: createHash('sha256')
        .update(await readFile(config))
        .digest('hex'),
      truncated: false,
    });
    expect(r.git?.dirty).toBe(true); // exp.yaml is untracked
    expect(r.command).toEqual(['node', 'train.cli.ts', '--config', config]);
    expect(r.node).toBe(process.version);
    expect([r.tfjs, r.backend]).toEqual(['4.22.0', 'cpu']);
    expect(r.os.platform).toBe(process.platform);
    expect(r.host.length).toBeGreaterThan(0);
    expect(r.dataset).toBeNull();
  });
});

describe('redactSecrets', () => {
  it('hides the value of every credential flag, in both spellings, and keeps the rest', () => {
    expect(
      redactSecrets([
        'node',
        'train.cli.ts',
        '--api-key',
        'cs_secret1',
        '--api-key=cs_secret2',
        '--epochs',
        '3',
        '--TOKEN',
        't0k',
        '--password=p',
        '--api-key',
      ]),
    ).toEqual([
      'node',
      'train.cli.ts',
      '--api-key',
      '***',
      '--api-key=***',
      '--epochs',
      '3',
      '--TOKEN',
      '***',
      '--password=***',
      '--api-key',
    ]);
  });

  it('is applied to the recorded command line', async () => {
    const root = await repo('redact');
    const r = await captureReproducibility({
      cwd: root,
      argv: ['node', 'train.cli.ts', '--api-key', 'cs_live_key', '--epochs', '1'],
    });
    expect(r.command).toEqual(['node', 'train.cli.ts', '--api-key', '***', '--epochs', '1']);
    expect(JSON.stringify(r)).not.toContain('cs_live_key');
  });
});
