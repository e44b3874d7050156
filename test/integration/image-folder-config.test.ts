// Experiment configs whose data is an image folder, end to end: fixture folders are generated
// here with sharp (tiny JPEG/PNG files, class folders, a Kaggle-style labels file, one corrupt
// file), configs like examples/monkey-eye.yaml and examples/cats-dogs-small.yaml point at them
// with a tiny inputShape, and the runs are checked over the real API's GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import {
  AUGMENTATION_GRID_ARTIFACT,
  BAD_FILES_ARTIFACT,
  ImageFileError,
  loadExperimentConfig,
  parseExperimentConfig,
  runExperimentConfig,
  selectBackend,
  type RunConfigOptions,
} from '@convscope/ml';
import { startTestApi, type TestApi } from './test-api';

/** The first element of `xs`; an error naming `what` when there is none. */
function firstOf<T>(xs: readonly T[], what: string): T {
  const [x] = xs;
  if (x === undefined) throw new Error(`no ${what}`);
  return x;
}

let t: TestApi;
let dir: string;
let base: string;

const gql = <T>(query: string, variables?: Record<string, unknown>) => t.gql<T>(query, variables);

// Class colours far apart, so one epoch on a few images already separates them a little; the
// pattern varies per image so no two files are equal.
const COLOURS = [
  [220, 40, 40],
  [40, 200, 60],
  [50, 70, 230],
];

/** Writes a small non-square image of class `label` (JPEG or PNG by extension). */
async function writeImage(file: string, label: number, k: number): Promise<void> {
  const [w, h] = [24, 20];
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++)
    for (let c = 0; c < 3; c++)
      px[i * 3 + c] = Math.max(
        0,
        Math.min(255, (COLOURS[label]?.[c] ?? 0) + ((i * 7 + k * 13 + c * 31) % 41) - 20),
      );
  const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
  await mkdir(path.dirname(file), { recursive: true });
  await (file.endsWith('.png') ? img.png() : img.jpeg()).toFile(file);
}

/** `count` images per class folder under `splitDir`, alternating JPEG and PNG. */
async function writeClasses(splitDir: string, folders: string[], count: number): Promise<void> {
  for (const [label, folder] of folders.entries())
    for (let k = 0; k < count; k++)
      await writeImage(
        path.join(splitDir, folder, `img${k}.${k % 2 ? 'png' : 'jpg'}`),
        label,
        k + label * 100,
      );
}

// The monkey archive's labels file, with its padding and tab.
const MONKEY_LABELS = `Label,  Latin Name           , Common Name                    , Train Images , Validation Images
n0   , alouatta_palliata\t, mantled_howler                 , 131          , 26
n1   , erythrocebus_patas   , patas_monkey                   , 139          , 28
n2   , cacajao_calvus       , bald_uakari                    , 137          , 27
`;

let brokenFile: string;

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
  t = await startTestApi('folder-config', { heartbeatTimeoutS: 10, reaperIntervalMs: 500 });
  ({ dir, base } = t);
  // Monkey-style: training/training/n0..n2, validation/validation/n0..n2, monkey_labels.txt,
  // no test split, one corrupt file.
  const monkeys = path.join(dir, 'data', 'monkeys');
  await writeClasses(path.join(monkeys, 'training', 'training'), ['n0', 'n1', 'n2'], 6);
  await writeClasses(path.join(monkeys, 'validation', 'validation'), ['n0', 'n1', 'n2'], 2);
  await writeFile(path.join(monkeys, 'monkey_labels.txt'), MONKEY_LABELS);
  brokenFile = path.join(monkeys, 'training', 'training', 'n1', 'broken.jpg');
  await writeFile(brokenFile, 'not a JPEG at all');
  // Cats-vs-dogs-style: train/validation/test with two class folders.
  const cats = path.join(dir, 'data', 'cats-dogs');
  await writeClasses(path.join(cats, 'train'), ['cats', 'dogs'], 6);
  await writeClasses(path.join(cats, 'validation'), ['cats', 'dogs'], 2);
  await writeClasses(path.join(cats, 'test'), ['cats', 'dogs'], 3);
});

afterAll(async () => {
  await t?.stop();
});

/** Writes a config file into <dir>/configs/, so its relative folder is taken from there. */
async function writeConfig(name: string, text: string): Promise<string> {
  const file = path.join(dir, 'configs', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

interface RunView {
  status: string;
  notes: string | null;
  hyperparameters: Record<string, unknown>;
  datasetInfo: { classNames: string[]; shape: number[]; testCount: number };
  evaluation: {
    numSamples: number;
    classNames: string[];
    perClass: { label: string; support: number }[];
  };
  artifacts: { nodes: { name: string; url: string }[] };
}

const RUN_QUERY = `query($id: ID!, $artifactsFirst: Int = 1000) { run(id: $id) {
  status notes hyperparameters datasetInfo
  evaluation { numSamples classNames perClass { label support } }
  artifacts(first: $artifactsFirst) { nodes { name url } }
} }`;

const runOptions = (): RunConfigOptions => ({
  apiUrl: base,
  backend: 'wasm',
  heartbeatMs: 300,
  explanations: { samples: 0 }, // the pack has its own test
  // Off: their own tests (the CLI run below keeps every default).
  snapshots: false,
  layerStats: false,
  projector: false,
});

describe('image-folder configs', () => {
  it('trains a monkey-style folder: class names from the labels file, the corrupt file reported by path', async () => {
    const file = await writeConfig(
      'monkeys.yaml',
      `project: monkeys
preset: monkey-eye
model: { inputShape: [64, 64, 3] } # six pooling blocks need 64 px; the preset's 128 is slower
data:
  folder: ../data/monkeys # relative to this file
  split: { test: 0.5 }
  onBadFile: skip
training: { epochs: 1, batchSize: 8, seed: 3 }
`,
    );
    const config = await loadExperimentConfig(file);
    const before = tf.memory().numTensors;
    const { runs } = await runExperimentConfig(config, runOptions());
    expect(tf.memory().numTensors).toBe(before);
    expect(runs).toHaveLength(1);
    const { result } = firstOf(runs, 'run');
    expect(result.history).toHaveLength(1);
    // Half of each class held out for test, rounded: 3 of n0's 6, 3 of n1's 5 readable, 3 of n2's 6.
    expect(result.testReport.numSamples).toBe(9);

    const { run } = await gql<{ run: RunView }>(RUN_QUERY, { id: result.runId });
    expect(run.status).toBe('COMPLETED');
    const names = ['mantled_howler', 'patas_monkey', 'bald_uakari'];
    expect(run.evaluation.classNames).toEqual(names);
    expect(run.evaluation.perClass.map((p) => p.label)).toEqual(names);
    expect(run.evaluation.numSamples).toBe(9);
    expect(run.datasetInfo).toMatchObject({ classNames: names, shape: [64, 64, 3], testCount: 9 });
    // The corrupt file: in the hyperparameters, the notes and the bad-files artifact.
    expect(run.hyperparameters.badFiles).toEqual([brokenFile]);
    expect(run.notes).toContain(brokenFile);
    const artifact = run.artifacts.nodes.find((a) => a.name === BAD_FILES_ARTIFACT);
    expect(artifact).toBeDefined();
    const listed = (await (
      await fetch(artifact!.url, { headers: { authorization: `Bearer ${t.key}` } })
    ).json()) as { path: string }[];
    expect(listed.map((b) => b.path)).toEqual([brokenFile]);
    // No augmentation configured: no grid.
    expect(run.artifacts.nodes.map((a) => a.name)).not.toContain(AUGMENTATION_GRID_ARTIFACT);
  });

  it('trains a binary cats-dogs-style folder with augmentation and stores the grid', async () => {
    const file = await writeConfig(
      'cats-dogs.yaml',
      `project: cats-dogs
preset: cats-dogs-small
model: { inputShape: [46, 46, 3] } # the smallest input its four valid-padded blocks take
data: { folder: ../data/cats-dogs }
training:
  epochs: 2
  batchSize: 4
  augmentation: { horizontalFlip: true, rotationRange: 20, widthShiftRange: 0.1, zoomRange: 0.2 }
`,
    );
    const config = await loadExperimentConfig(file);
    const before = tf.memory().numTensors;
    const { runs } = await runExperimentConfig(config, runOptions());
    expect(tf.memory().numTensors).toBe(before);
    const { result } = firstOf(runs, 'run');
    expect(result.history).toHaveLength(2);
    expect(result.history.every((h) => h.val_loss !== undefined)).toBe(true);

    const { run } = await gql<{ run: RunView }>(RUN_QUERY, { id: result.runId });
    expect(run.status).toBe('COMPLETED');
    expect(run.evaluation.perClass.map((p) => p.label)).toEqual(['cats', 'dogs']);
    expect(run.evaluation.perClass.map((p) => p.support)).toEqual([3, 3]);
    expect(run.hyperparameters).toMatchObject({
      preset: 'cats-dogs-small',
      loss: 'binaryCrossentropy',
      augmentation: {
        horizontalFlip: true,
        rotationRange: 20,
        widthShiftRange: 0.1,
        zoomRange: 0.2,
      },
    });
    expect(run.hyperparameters.badFiles).toBeUndefined();
    const names = run.artifacts.nodes.map((a) => a.name);
    expect(names).not.toContain(BAD_FILES_ARTIFACT);
    const grid = run.artifacts.nodes.find((a) => a.name === AUGMENTATION_GRID_ARTIFACT);
    expect(grid).toBeDefined();
    const png = Buffer.from(
      await (
        await fetch(grid!.url, { headers: { authorization: `Bearer ${t.key}` } })
      ).arrayBuffer(),
    );
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(46);
  });

  it('runs through `npm run train -- --config`, where --data is relative to the working directory', async () => {
    const file = await writeConfig(
      'cli.yaml',
      `project: cli\npreset: cats-dogs-small\nmodel: { inputShape: [46, 46, 3] }\ndata: { folder: ./not-here }\ntraining: { batchSize: 4 }\n`,
    );
    const cats = path.relative(process.cwd(), path.join(dir, 'data', 'cats-dogs'));
    const cli = path.resolve('libs/ml/src/cli/train.cli.ts');
    // Every default of `npm run train` (pack, snapshots, layer stats, projector): the one
    // integration run that keeps them all, so other tests may turn off what they do not read.
    const args = ['--import', 'tsx', cli, '--config', file, '--data', cats, '--epochs', '1'];
    const child = spawn(process.execPath, [...args, '--api', base, '--backend', 'wasm'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUN_HEARTBEAT_MS: '300' },
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d) => ((stdout += d), (output += d)));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, output).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      runs: { runId: string; epochs: number }[];
    };
    expect(summary.runs).toHaveLength(1);
    expect(summary.runs[0]?.epochs).toBe(1);
    const { run } = await gql<{ run: RunView }>(RUN_QUERY, { id: summary.runs[0]?.runId });
    expect(run.status).toBe('COMPLETED');
    expect(run.evaluation.perClass.map((p) => p.label)).toEqual(['cats', 'dogs']);
  });

  it('fails on the corrupt file by default, naming it, and asks for a test split when there is none', async () => {
    const monkeys = path.join(dir, 'data', 'monkeys');
    const strict = parseExperimentConfig(
      `preset: monkey-eye\nmodel: { inputShape: [64, 64, 3] }\ndata: { folder: ${JSON.stringify(monkeys)}, split: { test: 0.5 } }`,
    );
    const err = await runExperimentConfig(strict, { backend: 'wasm' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageFileError);
    expect((err as ImageFileError).path).toBe(brokenFile);
    const noTest = parseExperimentConfig(
      `preset: monkey-eye\nmodel: { inputShape: [64, 64, 3] }\ndata: { folder: ${JSON.stringify(monkeys)}, onBadFile: skip }`,
    );
    await expect(runExperimentConfig(noTest, { backend: 'wasm' })).rejects.toThrow(
      /has no test\/ folder: set data\.split\.test/,
    );
  });
});
