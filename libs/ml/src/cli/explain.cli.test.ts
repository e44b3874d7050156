// The explain CLI end to end (a child process per call), and its input loading in-process.
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradCam } from '../explain/cam';
import { expectClose } from '../explain/explain-test-helpers';
import { loadImageForModel, loadModelDir } from '../explain/model-dir';
import { serializeModel, writeModelDir } from '../models/serialize-model';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = path.join(ROOT, 'libs/ml/src/cli/explain.cli.ts');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args, '--backend', 'cpu'], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A small grayscale CNN with a nested base, so paths like base/conv are exercised. */
function smallModel(channels = 1): tf.LayersModel {
  const base = tf.sequential({ name: 'base' });
  base.add(
    tf.layers.conv2d({
      inputShape: [12, 12, channels],
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  const input = tf.input({ shape: [12, 12, channels] });
  const feat = base.apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(feat) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 3,
      activation: 'softmax',
      name: 'out',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    })
    .apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

let dir: string;
let modelDir: string;
let image: string;
let rgb: string;
let corrupt: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'explain-cli-'));
  modelDir = path.join(dir, 'model');
  const model = smallModel();
  await writeModelDir(modelDir, await serializeModel(model));
  model.dispose();
  const px = Buffer.from(Array.from({ length: 144 }, (_, i) => (i * 37) % 256));
  image = path.join(dir, 'img.png');
  await sharp(px, { raw: { width: 12, height: 12, channels: 1 } })
    .png()
    .toFile(image);
  rgb = path.join(dir, 'rgb.jpg'); // other size and 3 channels: resized and made grayscale
  await sharp({ create: { width: 30, height: 20, channels: 3, background: '#4080c0' } })
    .jpeg()
    .toFile(rgb);
  corrupt = path.join(dir, 'corrupt.png');
  await writeFile(corrupt, 'not an image at all');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('explain CLI inputs', () => {
  it('loads a model folder and decodes images to its input', async () => {
    const model = await loadModelDir(modelDir);
    const x = await loadImageForModel(model, image);
    expect(x.shape).toEqual([1, 12, 12, 1]);
    expectClose(
      x.dataSync(),
      Array.from({ length: 144 }, (_, i) => ((i * 37) % 256) / 255),
      1e-6,
    );
    const y = await loadImageForModel(model, rgb);
    expect(y.shape).toEqual([1, 12, 12, 1]);
    tf.dispose([x, y]);
    await expect(loadImageForModel(model, corrupt)).rejects.toThrow(
      /cannot decode image .*corrupt\.png/,
    );
    await expect(loadImageForModel(model, path.join(dir, 'none.png'))).rejects.toThrow(
      /image .*none\.png does not exist/,
    );
    model.dispose();
    const four = smallModel(4);
    await expect(loadImageForModel(four, image)).rejects.toThrow(
      /the model input has 4 channels; only grayscale \(1\) or RGB \(3\)/,
    );
    four.dispose();
    await expect(loadModelDir(path.join(dir, 'nothing'))).rejects.toThrow(/does not exist/);
    await expect(loadModelDir(dir)).rejects.toThrow(/no model\.json in/);
  });
});

describe('npm run explain', () => {
  it('gradcam writes layer, class, map and heatmap equal to the library call', async () => {
    const out = path.join(dir, 'g.json');
    const r = await run(['gradcam', '--model', modelDir, '--image', image, '--out', out]);
    expect(r.stderr).toContain(`wrote ${out}`);
    expect(r.code).toBe(0);
    const j = JSON.parse(await readFile(out, 'utf8'));
    expect(j.layer).toBe('base/conv');
    expect(j.map).toHaveLength(12);
    expect(j.heatmap[0]).toHaveLength(12);
    const model = await loadModelDir(modelDir);
    const x = await loadImageForModel(model, image);
    const lib = gradCam({ model, images: x });
    expect(j.classIndex).toBe(lib.classIndex[0]);
    expectClose(j.map.flat(), lib.map, 1e-5);
    x.dispose();
    model.dispose();
  });

  it('names the problem and exits 1: unknown layer, corrupt image, missing model', async () => {
    // In parallel: each call is a fresh process (about 2 s of start-up).
    const [bad, img, none, usage] = await Promise.all([
      run(['gradcam', '--model', modelDir, '--image', image, '--layer', 'conv9']),
      run(['gradcam', '--model', modelDir, '--image', corrupt, '--class', '1']),
      run(['activations', '--model', path.join(dir, 'x'), '--image', image]),
      run(['gradcam', '--model', modelDir, '--image', image, '--method', 'x']),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown layer "conv9"; available layers: base, base\/conv/);
    expect(img.code).toBe(1);
    expect(img.stderr).toMatch(/cannot decode image .*corrupt\.png/);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/model folder .* does not exist/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--method must be one of gradcam, gradcampp/);
  });

  it('activations and filters', async () => {
    const a = await run(['activations', '--model', modelDir, '--image', rgb, '--layer', 'conv']);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.stdout);
    expect(j.layers[0].layer).toBe('base/conv');
    expect(j.layers[0].shape).toEqual([1, 12, 12, 4]);
    expect(j.layers[0].values).toHaveLength(576);
    expect(j.layers[0].statistics.mean).toHaveLength(4);
    const f = await run([
      'filters',
      '--model',
      modelDir,
      '--layer',
      'base/conv',
      '--channels',
      '0,2',
      '--steps',
      '2',
    ]);
    expect(f.stderr).not.toMatch(/failed/);
    expect(f.code).toBe(0);
    const fj = JSON.parse(f.stdout);
    expect(fj.channels).toEqual([0, 2]);
    expect(fj.images).toHaveLength(2);
    expect(fj.images[0]).toHaveLength(144);
  });
});
