/**
 * For a machine with an NVIDIA GPU: fmnist-cnn and monkey-eye (the presets) training and
 * prediction images/s on `tensorflow-gpu` (@tensorflow/tfjs-node-gpu, libtensorflow with CUDA),
 * on `onednn` (this project's CPU path), and in PyTorch on CUDA (bench/torch_gpu.py), in one run.
 * Everything missing is reported, not fatal: on a machine without a GPU (or without
 * libtensorflow, or without a CUDA PyTorch) the JSON says which part is missing and why, and
 * the rest is still measured. See docs/gpu.md for the set-up.
 *
 * Run: npx tsx bench/gpu.bench.ts [scale]
 *   scale (default 1) multiplies the batch counts; use 10 or more on a GPU, where one batch
 *   takes milliseconds. Synthetic images (throughput does not depend on pixel values), the
 *   preset's batch size and optimizer. Prints one JSON object. Not a test: nothing asserts.
 * PyTorch: the first of $PYTHON, python3 and /usr/bin/python3 that imports torch.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nvidiaGpuNames } from '../libs/ml/src/backend/gpu-probe';
import { selectBackend } from '../libs/ml/src/backend/select-backend';
import { buildModel, makeOptimizer } from '../libs/ml/src/models/build-model';
import { getPreset } from '../libs/ml/src/models/presets';

const here = path.dirname(fileURLToPath(import.meta.url));
const scale = Math.max(1, Number(process.argv[2] ?? 1));

const NETWORKS = {
  'fmnist-cnn': { warmup: 3, trainBatches: 20, predictImages: 1024, predictBatch: 256 },
  'monkey-eye': { warmup: 2, trainBatches: 4, predictImages: 128, predictBatch: 32 },
} as const;
type Network = keyof typeof NETWORKS;
const BACKENDS = ['tensorflow-gpu', 'onednn'] as const;

const r1 = (x: number): number => Math.round(x * 10) / 10;

/** Training and prediction images/s of one preset on the active backend. */
async function measure(name: Network): Promise<Record<string, number>> {
  const plan = NETWORKS[name];
  const preset = getPreset(name);
  const model = buildModel(preset);
  model.compile({
    optimizer: makeOptimizer(preset.optimizer.type, preset.optimizer.learningRate),
    loss: preset.loss,
  });
  const [h, w, c] = preset.inputShape;
  const batch = preset.batchSize;
  const xs = tf.randomUniform([batch, h, w, c]);
  const ys = tf.oneHot(tf.randomUniform<tf.Rank.R1>([batch], 0, 10, 'int32'), 10);
  const px = tf.randomUniform([plan.predictBatch, h, w, c]);
  try {
    for (let i = 0; i < plan.warmup; i++) await model.trainOnBatch(xs, ys);
    const trainBatches = plan.trainBatches * scale;
    let t0 = performance.now();
    for (let i = 0; i < trainBatches; i++) await model.trainOnBatch(xs, ys);
    const trainMs = performance.now() - t0;
    (model.predict(px) as tf.Tensor).dispose(); // warm-up
    const predictImages = plan.predictImages * scale;
    t0 = performance.now();
    for (let done = 0; done < predictImages; done += plan.predictBatch) {
      const p = model.predict(px) as tf.Tensor;
      await p.data(); // to the host, so an asynchronous device has finished
      p.dispose();
    }
    const predictMs = performance.now() - t0;
    return {
      batch,
      trainImagesPerSec: r1((trainBatches * batch * 1000) / trainMs),
      predictImagesPerSec: r1((predictImages * 1000) / predictMs),
    };
  } finally {
    tf.dispose([xs, ys, px]);
    model.dispose();
  }
}

/** The first interpreter that imports torch, or null. */
function findPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(
    (p): p is string => !!p,
  );
  return (
    candidates.find(
      (p) => spawnSync(p, ['-c', 'import torch'], { timeout: 60_000 }).status === 0,
    ) ?? null
  );
}

function torchFigures(python: string | null, name: Network): unknown {
  if (!python) return { available: false, why: 'no Python with PyTorch found' };
  const plan = NETWORKS[name];
  const res = spawnSync(
    python,
    [
      path.join(here, 'torch_gpu.py'),
      name,
      String(plan.trainBatches * scale),
      String(plan.predictImages * scale),
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  const line = res.stdout?.trim().split('\n').pop();
  if (res.status !== 0 || !line)
    return { available: false, why: (res.stderr || String(res.error)).trim().slice(-300) };
  return JSON.parse(line) as unknown;
}

const results: Record<string, unknown> = {};
for (const backend of BACKENDS) {
  try {
    const sel = await selectBackend({ requested: backend });
    const figures: Record<string, unknown> = { available: true, reason: sel.reason };
    for (const name of Object.keys(NETWORKS) as Network[]) figures[name] = await measure(name);
    results[backend] = figures;
  } catch (err) {
    results[backend] = { available: false, why: err instanceof Error ? err.message : String(err) };
  }
}
const python = findPython();
results.torch = {
  python,
  ...Object.fromEntries(
    (Object.keys(NETWORKS) as Network[]).map((name) => [name, torchFigures(python, name)]),
  ),
};

console.log(
  JSON.stringify(
    {
      gpus: nvidiaGpuNames() ?? 'none (nvidia-smi absent or failed)',
      cpus: os.cpus().length,
      loadavg: os.loadavg().map(r1),
      scale,
      ...results,
    },
    null,
    1,
  ),
);
