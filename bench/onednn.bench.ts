/**
 * fmnist-cnn on the 'onednn' backend (WASM backend + native oneDNN kernels) against the plain
 * 'wasm' backend and PyTorch (bench/torch_fmnist.py), in the same run.
 *
 * For each TF.js backend: training images/s (trainOnBatch, batch 64, Adam) and prediction
 * images/s (batches of 256), wall-clock and per CPU-second of this process (all threads, so
 * oneDNN's OpenMP workers count), plus tf.profile's per-kernel wall time of one training step.
 * PyTorch's figures are its own (best epoch), with its process's CPU utilisation to turn them
 * into an approximate per-CPU-second rate. The machine may be shared: compare per-CPU figures.
 *
 * Run (after `npm run build:native -w @convscope/ml`):
 *   npx tsx bench/onednn.bench.ts [trainBatches] [predictImages]
 * Prints one JSON object.
 */
import * as tf from '@tensorflow/tfjs';
import { peerEnv } from './peer-env';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOnednnAddon } from '../libs/ml/src/backend/onednn/addon';
import { initOnednnBackend } from '../libs/ml/src/backend/onednn/setup';
import { initWasmBackend } from '../libs/ml/src/backend/wasm-setup';
import { fmnistCnnFromPreset } from '../libs/ml/src/backend/test-helpers';

const BATCH = 64;
const TRAIN_BATCHES = Number(process.argv[2] ?? 100);
const PREDICT_IMAGES = Number(process.argv[3] ?? 4096);
const TORCH_TRAIN_LIMIT = 10000;

// The production model, built from its preset (dropout 0.3 as trained).
const fmnistCnn = (): tf.Sequential => fmnistCnnFromPreset();

const r1 = (x: number): number => Math.round(x * 10) / 10;

/** Wall ms and process CPU ms (all threads) of `fn`. */
async function timed(fn: () => Promise<void>): Promise<{ ms: number; cpuMs: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function benchBackend(): Promise<Record<string, unknown>> {
  const model = fmnistCnn();
  const xs = tf.randomUniform([BATCH, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform<tf.Rank.R1>([BATCH], 0, 10, 'int32'), 10);
  for (let i = 0; i < 5; i++) await model.trainOnBatch(xs, ys); // kernel set-up, primitive cache, optimizer slots
  const info = await tf.profile(async () => {
    await model.trainOnBatch(xs, ys);
  });
  const profile: Record<string, number> = {};
  for (const k of info.kernels)
    profile[k.name] = (profile[k.name] ?? 0) + (k.kernelTimeMs as number);
  const top = Object.fromEntries(
    Object.entries(profile)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => [k, +v.toFixed(2)]),
  );
  const tensorsBefore = tf.memory().numTensors;
  let loss = 0;
  const train = await timed(async () => {
    for (let i = 0; i < TRAIN_BATCHES; i++) loss = (await model.trainOnBatch(xs, ys)) as number;
  });
  const leaked = tf.memory().numTensors - tensorsBefore;
  const px = tf.randomUniform([256, 28, 28, 1]);
  (model.predict(px, { batchSize: 256 }) as tf.Tensor).dispose(); // warm-up
  const predict = await timed(async () => {
    for (let s = 0; s < PREDICT_IMAGES; s += 256) {
      const p = model.predict(px, { batchSize: 256 }) as tf.Tensor;
      await p.data();
      p.dispose();
    }
  });
  tf.dispose([xs, ys, px]);
  model.dispose();
  const trainImages = TRAIN_BATCHES * BATCH;
  return {
    trainImagesPerSec: r1((trainImages * 1000) / train.ms),
    trainImagesPerCpuSec: r1((trainImages * 1000) / train.cpuMs),
    trainMsPerBatch: +(train.ms / TRAIN_BATCHES).toFixed(2),
    predictImagesPerSec: r1((PREDICT_IMAGES * 1000) / predict.ms),
    predictImagesPerCpuSec: r1((PREDICT_IMAGES * 1000) / predict.cpuMs),
    finalLoss: +loss.toFixed(4),
    leakedTensors: leaked,
    profileMs: top,
  };
}

/** cutime + cstime of this process (ms): CPU time of waited-for children, from /proc. */
function childCpuMs(): number {
  const [, afterComm = ''] = readFileSync('/proc/self/stat', 'utf8').split(') ');
  const fields = afterComm.split(' ');
  // After "pid (comm) ", field 3 is index 0: cutime and cstime are fields 16 and 17.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function torchReference(): Record<string, unknown> | null {
  const script = path.join(import.meta.dirname, 'torch_fmnist.py');
  if (!existsSync('/usr/bin/python3')) return null;
  const c0 = childCpuMs();
  const t0 = performance.now();
  const res = spawnSync('/usr/bin/python3', [script, '1', String(TORCH_TRAIN_LIMIT)], {
    encoding: 'utf8',
    env: peerEnv(),
  });
  const wallS = (performance.now() - t0) / 1000;
  if (res.status !== 0) return { error: (res.stderr ?? '').split('\n').slice(-2).join(' ') };
  const j = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as Record<
    string,
    number | undefined
  >;
  const train = j.train_img_per_s ?? NaN;
  const cpuS = (childCpuMs() - c0) / 1000;
  // Whole-process utilisation (start-up and data loading included): an estimate only.
  const util = cpuS / wallS;
  return {
    trainImagesPerSec: r1(train),
    predictImagesPerSec: r1(j.predict_img_per_s ?? NaN),
    processCpuUtilisation: +util.toFixed(2),
    trainImagesPerCpuSecEstimate: r1(train / util),
    testAccuracy: j.test_accuracy,
  };
}

const ratio = (a: unknown, b: unknown): number | null =>
  typeof a === 'number' && typeof b === 'number' && b > 0 ? +(a / b).toFixed(3) : null;

await initWasmBackend();
const wasm = await benchBackend();
await initOnednnBackend();
const onednn = await benchBackend();
const torch = torchReference();
console.log(
  JSON.stringify(
    {
      loadavg: os.loadavg().map((v) => +v.toFixed(2)),
      cpus: os.cpus().length,
      batchSize: BATCH,
      onednnThreads: loadOnednnAddon().getNumThreads(),
      ompWaitPolicy: process.env.OMP_WAIT_POLICY ?? null,
      trainBatches: TRAIN_BATCHES,
      onednn,
      wasm,
      torch,
      ratios: {
        onednnVsTorchTrain: ratio(onednn.trainImagesPerSec, torch?.trainImagesPerSec),
        onednnVsTorchTrainPerCpuSec: ratio(
          onednn.trainImagesPerCpuSec,
          torch?.trainImagesPerCpuSecEstimate,
        ),
        onednnVsTorchPredict: ratio(onednn.predictImagesPerSec, torch?.predictImagesPerSec),
        onednnVsWasmTrain: ratio(onednn.trainImagesPerSec, wasm.trainImagesPerSec),
        onednnVsWasmPredict: ratio(onednn.predictImagesPerSec, wasm.predictImagesPerSec),
      },
    },
    null,
    2,
  ),
);
