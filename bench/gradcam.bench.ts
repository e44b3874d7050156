/**
 * Batched Grad-CAM throughput (images/s) on fmnist-cnn, beside the same computation in PyTorch
 * (bench/gradcam_torch.py) in the same run: one forward and one backward pass per batch, map
 * and heatmap copied out. Used by `npm run bench` (key "gradcam"); standalone:
 *   npx tsx bench/gradcam.bench.ts [backend] [images] [batch]
 * prints one JSON object. Not a test: nothing here asserts timings.
 */
import { execFileSync } from 'node:child_process';
import { peerEnv } from './peer-env';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { buildModel, getPreset, gradCam, selectBackend } from '@convscope/ml';

/** What {@link benchGradcam} reports. */
export interface GradcamFigures {
  backend: string;
  layer: string;
  images: number;
  batch: number;
  imagesPerSec: number;
  torchImagesPerSec: number | null;
  /** TF.js images/s divided by PyTorch's (higher is better for TF.js). */
  ratio: number | null;
}

const TORCH_SCRIPT = fileURLToPath(new URL('./gradcam_torch.py', import.meta.url));

function torchImagesPerSec(images: number, batch: number): number | null {
  if (!existsSync('/usr/bin/python3')) return null;
  try {
    const out = execFileSync('/usr/bin/python3', [TORCH_SCRIPT, String(images), String(batch)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: peerEnv(),
    });
    return JSON.parse(out.trim().split('\n').pop()!).images_per_s;
  } catch {
    return null; // python3 without torch
  }
}

/**
 * Grad-CAM of `images` random fmnist-sized inputs in batches of `batch` on the active backend
 * (the default layer, pool2), after a warm-up of three batches; then PyTorch on the same sizes.
 */
export async function benchGradcam(
  options: { images?: number; batch?: number } = {},
): Promise<GradcamFigures> {
  const images = options.images ?? 1024;
  const batch = options.batch ?? 64;
  const model = buildModel(getPreset('fmnist-cnn'), { seed: 1 });
  const x = tf.randomUniform<tf.Rank.R4>([images, 28, 28, 1], 0, 1, 'float32', 3);
  const run = (s: number) => {
    const xb = x.slice([s, 0, 0, 0], [Math.min(batch, images - s), -1, -1, -1]);
    const r = gradCam({ model, images: xb });
    xb.dispose();
    return r.layer!;
  };
  let layer = '';
  for (let s = 0; s < Math.min(images, 3 * batch); s += batch) layer = run(s);
  const t0 = performance.now();
  for (let s = 0; s < images; s += batch) run(s);
  const imagesPerSec = images / ((performance.now() - t0) / 1000);
  x.dispose();
  model.dispose();
  const torch = torchImagesPerSec(images, batch);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    backend: tf.getBackend(),
    layer,
    images,
    batch,
    imagesPerSec: round(imagesPerSec),
    torchImagesPerSec: torch === null ? null : round(torch),
    ratio: torch ? Math.round((imagesPerSec / torch) * 1000) / 1000 : null,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const backend = process.argv[2];
  await selectBackend({ requested: backend });
  const figures = await benchGradcam({
    images: process.argv[3] ? Number(process.argv[3]) : undefined,
    batch: process.argv[4] ? Number(process.argv[4]) : undefined,
  });
  console.log(JSON.stringify(figures));
}
