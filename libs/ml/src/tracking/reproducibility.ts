/**
 * What a tracked run records about how it was made (the API's Run.reproducibility): the config
 * file and the resolved config, the git commit, dirty flag and diff of the working tree, the
 * command line, host, OS, Node and TF.js versions, the backend, and a SHA-256 fingerprint of
 * the dataset files. Every part is bounded (the API refuses records over 512 KiB) and says when
 * it was cut.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ReproducibilityInput } from './gql/graphql';

/** The record as createRun takes it. */
export type Reproducibility = ReproducibilityInput;
/** The git part of the record. */
export type GitState = NonNullable<ReproducibilityInput['git']>;
/** The dataset fingerprint of the record. */
export type DatasetFingerprint = NonNullable<ReproducibilityInput['dataset']>;

/** Bytes of `git diff HEAD` kept (the API's limit); the rest is counted, not sent. */
export const MAX_DIFF_BYTES = 256 * 1024;
/** Bytes of the config file's text kept (the API's limit). */
export const MAX_CONFIG_TEXT_BYTES = 64 * 1024;
/** Dataset bytes hashed by default; beyond, the fingerprint covers the files read so far. */
export const DEFAULT_DATASET_MAX_BYTES = 512 * 1024 * 1024;
/** Dataset files named in the record (the API's limit); the hash covers every file read. */
export const MAX_LISTED_DATASET_FILES = 200;
/** Files looked at under a dataset root before the walk stops. */
const MAX_WALKED_FILES = 1_000_000;
/** Command-line arguments kept, and characters of each (the API's limits). */
const MAX_ARGS = 256;
const MAX_ARG_CHARS = 4096;

/** UTF-8 text of at most `maxBytes` bytes (cut on a character boundary), NUL-free (the API refuses NUL). */
export function cutUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const clean = text.replace(/\u0000/g, '\uFFFD');
  const bytes = Buffer.from(clean, 'utf8');
  if (bytes.length <= maxBytes) return { text: clean, truncated: false };
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

/** Runs git with `args` in `cwd`: its stdout (the first `keepBytes` bytes) and total size. */
export type GitRunner = (
  args: readonly string[],
  cwd: string,
  keepBytes?: number,
) => Promise<{ stdout: Buffer; bytes: number }>;

/** The default {@link GitRunner}: `git` on PATH; rejects when git is missing or fails. */
export const runGit: GitRunner = (args, cwd, keepBytes = 1024 * 1024) =>
  new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let kept = 0;
    let bytes = 0;
    // Counted to the end (the size of a diff), kept only up to keepBytes.
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      if (kept < keepBytes) {
        const part = c.subarray(0, keepBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout: Buffer.concat(chunks), bytes })
        : reject(new Error(`git ${args.join(' ')} exited with ${code}`)),
    );
  });

/**
 * The git state of the working tree at `cwd`: HEAD commit, branch (null when detached), dirty
 * (tracked changes or untracked files) and `git diff HEAD` cut to `maxDiffBytes`. Null when
 * `cwd` is not in a git checkout, the checkout has no commit, or git is missing.
 */
export async function captureGit(
  cwd: string,
  options: { git?: GitRunner; maxDiffBytes?: number } = {},
): Promise<GitState | null> {
  const git = options.git ?? runGit;
  const maxDiff = options.maxDiffBytes ?? MAX_DIFF_BYTES;
  const text = async (args: string[]) => (await git(args, cwd)).stdout.toString('utf8').trim();
  let commit: string;
  try {
    commit = await text(['rev-parse', 'HEAD']);
  } catch {
    return null;
  }
  if (!/^[0-9a-f]{7,64}$/.test(commit)) return null;
  const branchName = await text(['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD');
  const status = await text(['status', '--porcelain']).catch(() => '');
  // --no-ext-diff / --no-color: the plain patch whatever the user's git config says.
  const diffOut = await git(['diff', '--no-ext-diff', '--no-color', 'HEAD'], cwd, maxDiff + 4)
    .then((r) => r)
    .catch(() => ({ stdout: Buffer.alloc(0), bytes: 0 }));
  const cut = cutUtf8(diffOut.stdout.toString('utf8'), maxDiff);
  return {
    commit,
    branch: branchName && branchName !== 'HEAD' ? branchName.slice(0, 255) : null,
    dirty: status.length > 0,
    diff: diffOut.bytes > 0 ? cut.text : null,
    diffBytes: diffOut.bytes,
    diffTruncated: cut.truncated || diffOut.bytes > maxDiff,
  };
}

/** Where a dataset's files are: a root and, optionally, the files that make it (else every file under it). */
export interface DatasetFiles {
  root: string;
  /** Paths relative to `root`; default: every regular file under it (hidden entries skipped). */
  files?: readonly string[];
}

/** Every regular file under `root` (relative paths, `/`-separated, sorted), skipping hidden entries. */
async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_WALKED_FILES) return;
      if (e.name.startsWith('.')) continue;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) await visit(rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  await visit('');
  return out.sort();
}

/**
 * A SHA-256 fingerprint of dataset files: over the files in path order, for each its relative
 * path, a NUL, its size in decimal, a NUL, then its bytes. Reading stops before the file that
 * would pass `maxBytes` (`truncated`: the fingerprint then covers the files read). Each file's
 * own SHA-256 is listed (the first {@link MAX_LISTED_DATASET_FILES}).
 */
export async function fingerprintDataset(
  dataset: DatasetFiles,
  options: { maxBytes?: number } = {},
): Promise<DatasetFingerprint> {
  const maxBytes = options.maxBytes ?? DEFAULT_DATASET_MAX_BYTES;
  const names = dataset.files ? [...dataset.files].sort() : await walkFiles(dataset.root);
  const total = createHash('sha256');
  const files: DatasetFingerprint['files'] = [];
  let bytesRead = 0;
  let truncated = false;
  for (const name of names) {
    const full = path.join(dataset.root, name);
    const size = (await stat(full)).size;
    if (bytesRead + size > maxBytes) {
      truncated = true;
      break;
    }
    const own = createHash('sha256');
    total.update(`${name}\u0000${size}\u0000`);
    for await (const chunk of createReadStream(full) as AsyncIterable<Buffer>) {
      own.update(chunk);
      total.update(chunk);
    }
    bytesRead += size;
    if (files.length < MAX_LISTED_DATASET_FILES)
      files.push({ path: name.slice(0, 1024), bytes: size, sha256: own.digest('hex') });
  }
  return {
    sha256: total.digest('hex'),
    fileCount: names.length,
    bytesRead,
    truncated,
    files,
  };
}

/** The config file's text (cut to {@link MAX_CONFIG_TEXT_BYTES}) and its whole SHA-256. */
export async function captureConfigFile(file: string): Promise<Reproducibility['configFile']> {
  const bytes = await readFile(file);
  const cut = cutUtf8(bytes.toString('utf8'), MAX_CONFIG_TEXT_BYTES);
  return {
    path: file.slice(0, 1024),
    text: cut.text,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    truncated: cut.truncated,
  };
}

/** What {@link captureReproducibility} records; each part is optional. */
export interface CaptureReproducibilityOptions {
  /** The config file the run came from. */
  configFile?: string;
  /** The resolved config (model, training, data, transfer after defaults and overrides). */
  resolvedConfig?: Record<string, unknown>;
  /** The dataset's files, or an already computed fingerprint (several runs of one config). */
  dataset?: DatasetFiles | DatasetFingerprint | Promise<DatasetFingerprint | null> | null;
  /** Directory whose git state is recorded (default: the working directory). */
  cwd?: string;
  /** Command line (default: process.argv). */
  argv?: readonly string[];
  /** TF.js version (the caller's `tf.version.tfjs`). */
  tfjs?: string;
  /** Backend the run trains on. */
  backend?: string;
  /** Git runner (tests). */
  git?: GitRunner;
  /** Byte budget of the dataset fingerprint (default {@link DEFAULT_DATASET_MAX_BYTES}). */
  datasetMaxBytes?: number;
}

function isFingerprint(d: DatasetFiles | DatasetFingerprint): d is DatasetFingerprint {
  return 'sha256' in d;
}

/** The short strings of the record: at most 255 characters, never empty (the API's name rule). */
function short(s: string): string {
  const t = s.trim().slice(0, 255);
  return t === '' ? 'unknown' : t;
}

/**
 * Captures the reproducibility record of a run about to start. Git and the dataset are read
 * concurrently; an unreadable config file fails (the run was started from it), a missing git
 * gives `git: null`.
 */
export async function captureReproducibility(
  options: CaptureReproducibilityOptions = {},
): Promise<Reproducibility> {
  const cwd = options.cwd ?? process.cwd();
  const d = options.dataset;
  const [git, configFile, dataset] = await Promise.all([
    captureGit(cwd, { git: options.git }),
    options.configFile ? captureConfigFile(options.configFile) : null,
    d == null
      ? null
      : d instanceof Promise
        ? d
        : isFingerprint(d)
          ? d
          : fingerprintDataset(d, { maxBytes: options.datasetMaxBytes }),
  ]);
  return {
    configFile,
    resolvedConfig: options.resolvedConfig ?? null,
    git,
    command: redactSecrets(options.argv ?? process.argv)
      .slice(0, MAX_ARGS)
      .map((a) => a.replace(/\u0000/g, '').slice(0, MAX_ARG_CHARS)),
    host: short(os.hostname()),
    os: { platform: short(os.platform()), release: short(os.release()), arch: short(os.arch()) },
    node: short(process.version),
    tfjs: options.tfjs ? short(options.tfjs) : null,
    backend: options.backend ? short(options.backend) : null,
    dataset,
  };
}

/** Flags whose value is a credential: `--api-key K`, `--api-key=K`, `--token`, `--password`, `--secret`. */
const SECRET_FLAG = /^--?(api[-_]?key|token|password|passwd|secret|access[-_]?key)$/i;

/**
 * The command line with every credential replaced by `***`: the record is readable by everyone who
 * may read the run (anyone, on a public project), and `npm run train -- --api-key K` is how a
 * worker passes its key.
 */
export function redactSecrets(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    if (eq > 0 && SECRET_FLAG.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=***`);
    } else if (SECRET_FLAG.test(arg) && i + 1 < argv.length) {
      out.push(arg, '***');
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
