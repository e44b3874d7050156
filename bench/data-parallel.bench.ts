/**
 * fmnist-cnn training throughput without oneDNN: the wasm backend on one thread, the
 * data-parallel trainer with the update repeated per replica ('replicated', the first version)
 * and with the shared update ('shared', the default), and the PyTorch peer (bench/torch_fmnist.py,
 * 2 threads), in alternating rounds so that a busy machine slows all of them alike.
 * Each TF.js figure is images/s over `batches` batches of 64 of the real training images after
 * 3 warm-up batches; the worker threads start once, before the rounds (their start-up is
 * reported apart). PyTorch trains one epoch of its first 10000 images.
 * Run: npx tsx bench/data-parallel.bench.ts [rounds=3] [batches=40] [data_dir]
 * Prints one JSON object (with the load average before and after).
 */
import { spawnSync } from 'node:child_process';
import { peerEnv } from './peer-env';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../libs/ml/src/backend/wasm-setup';
import { loadFashionMnist } from '../libs/ml/src/data/fashion-mnist';
import { buildModel } from '../libs/ml/src/models/build-model';
import { getPreset } from '../libs/ml/src/models/presets';
import { makeBatch } from '../libs/ml/src/train/batches';
import {
  createDataParallelTrainer,
  type DataParallelTrainer,
} from '../libs/ml/src/train/data-parallel';

const ROUNDS = Number(process.argv[2] ?? 3);
const BATCHES = Number(process.argv[3] ?? 40);
const DATA = process.argv[4] ?? '/usr/share/datasets/fashion-mnist';
const BATCH = 64;
const WARMUP = 3;
const preset = getPreset('fmnist-cnn');

await initWasmBackend();
const ds = await loadFashionMnist({ dir: DATA });
const indices = (b: number) =>
  Array.from({ length: BATCH }, (_, i) => (b * BATCH + i) % ds.train.count);

/** Images/s of `step` over BATCHES batches after the warm-up. */
async function rate(step: (idx: number[]) => Promise<unknown>): Promise<number> {
  for (let b = 0; b < WARMUP; b++) await step(indices(b));
  const t0 = performance.now();
  for (let b = WARMUP; b < WARMUP + BATCHES; b++) await step(indices(b));
  return (BATCHES * BATCH) / ((performance.now() - t0) / 1000);
}

const model = buildModel(preset, { numClasses: 10, seed: 1 });
const batchOptions = { shape: preset.inputShape, numClasses: 10, encoding: 'one-hot' as const };
async function single(idx: number[]): Promise<void> {
  const { xs, ys } = makeBatch(ds.train, idx, batchOptions);
  try {
    await model.trainOnBatch(xs, ys);
  } finally {
    tf.dispose([xs, ys]);
  }
}

const workers = Math.max(2, Math.min(4, os.availableParallelism()));
const startup: Record<string, number> = {};
const trainers: Record<string, DataParallelTrainer> = {};
for (const update of ['replicated', 'shared'] as const) {
  const t0 = performance.now();
  trainers[update] = await createDataParallelTrainer({ preset, numClasses: 10, workers, update });
  startup[update] = (performance.now() - t0) / 1000;
}

function torch(): number {
  const script = path.join(import.meta.dirname, 'torch_fmnist.py');
  // Debian's python3-torch is installed for the system interpreter, not a venv's.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [script, '1', '10000', DATA], { encoding: 'utf8', env: peerEnv() });
  if (r.status !== 0) throw new Error(`torch_fmnist.py failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  return (JSON.parse(line) as { train_img_per_s: number }).train_img_per_s;
}

const loadBefore = os.loadavg();
const rounds: Record<string, number>[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const round = {
    wasm_one_thread: await rate(single),
    data_parallel_replicated: await rate((idx) => trainers.replicated!.step(ds.train, idx)),
    data_parallel_shared: await rate((idx) => trainers.shared!.step(ds.train, idx)),
    torch_2_threads: torch(),
  };
  rounds.push(round);
  console.error(`round ${r + 1}: ${JSON.stringify(round)}`);
}
await Promise.all(Object.values(trainers).map((t) => t.dispose()));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ratios = (key: string) => rounds.map((r) => r[key]! / r.torch_2_threads!);
const summary = Object.fromEntries(
  ['wasm_one_thread', 'data_parallel_replicated', 'data_parallel_shared'].map((k) => {
    const x = ratios(k);
    return [k, { median_vs_torch: median(x), min: Math.min(...x), max: Math.max(...x) }];
  }),
);
const shared = rounds.map((r) => r.data_parallel_shared! / r.wasm_one_thread!);
console.log(
  JSON.stringify(
    {
      preset: 'fmnist-cnn',
      batch: BATCH,
      batches: BATCHES,
      workers,
      cpus: os.availableParallelism(),
      worker_startup_s: startup,
      rounds,
      vs_torch: summary,
      shared_vs_one_thread_median: median(shared),
      loadavg_before: loadBefore,
      loadavg_after: os.loadavg(),
    },
    null,
    1,
  ),
);
