/**
 * Per-kernel profile of training steps (`tf.profile` around `trainOnBatch`): which kernels a
 * step runs, how often, at which shapes, and their time (median over steps of each kernel's
 * per-step total, with the minimum, which is what a quiet machine approaches). Also the mean
 * step time, the batch-building time and the tensors a step leaks. Not part of `npm run bench`.
 *
 * Usage: npx tsx bench/train-profile.ts [NETWORK=fmnist-cnn] [BACKEND=onednn] [STEPS=40]
 * (vnn and mc-dropout-cnn run at 32x32x3 as in the studies; xception-style is the studies'
 * buildXceptionStyle at 128x128x3, batch 32). `ONEDNN_VERBOSE=1` adds oneDNN's
 * own primitive timings and implementations.
 *
 * A/B mode: `npx tsx bench/train-profile.ts NETWORK BACKEND ROUNDS --ab VAR` alternates rounds
 * of steps with the environment variable VAR unset and set to 1 in one process (the addon reads
 * its switches per call, e.g. CONVSCOPE_ONEDNN_BWDW_PLAIN), and prints per setting the median
 * wall and CPU (user + system) milliseconds per step with their spread, as JSON.
 */
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import {
  buildModel,
  buildXceptionStyle,
  getPreset,
  makeBatch,
  selectBackend,
} from '../libs/ml/src/index';

type Step = () => Promise<void>;

/** A training step of `network` on synthetic bytes, batches built as the trainer builds them. */
function trainingStep(network: string): { step: Step; batchMs: number[]; batchSize: number } {
  // xception-style (bench/studies-child.ts): no preset, 128x128x3, batch 32, 10 classes.
  const xception = network === 'xception-style';
  const preset = getPreset(xception ? 'monkey-eye' : network);
  if (network === 'vnn' || network === 'mc-dropout-cnn') preset.inputShape = [32, 32, 3];
  if (xception) Object.assign(preset, { inputShape: [128, 128, 3], batchSize: 32 });
  const model = xception ? buildXceptionStyle({ seed: 1 }) : buildModel(preset, { seed: 1 });
  const pixels = preset.inputShape.reduce((a, b) => a * b, 1);
  const last = preset.layers[preset.layers.length - 1];
  const classes = xception ? 10 : last?.type === 'dense' ? last.units : 10;
  const count = 2048;
  const images = new Uint8Array(count * pixels).map((_, i) => (i * 2654435761) >>> 24);
  const labels = new Uint8Array(count).map((_, i) => i % classes);
  const opts = { shape: preset.inputShape, numClasses: classes, encoding: 'one-hot' as const };
  const bs = preset.batchSize;
  const batchMs: number[] = [];
  let b = 0;
  const step = async () => {
    const t0 = performance.now();
    const idx = Array.from({ length: bs }, (_, i) => (b * bs + i) % count);
    const { xs, ys } = makeBatch({ images, labels, count }, idx, opts);
    batchMs.push(performance.now() - t0);
    b++;
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
  };
  return { step, batchMs, batchSize: bs };
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)] ?? NaN;
const fmt = (ms: number) => ms.toFixed(3).padStart(8);

/** Per kernel-and-shape key, its total time in each profiled step. */
async function profileSteps(step: Step, steps: number): Promise<Map<string, number[]>> {
  const perKey = new Map<string, number[]>();
  for (let s = 0; s < steps; s++) {
    const prof = await tf.profile(step);
    const inStep = new Map<string, number>();
    for (const k of prof.kernels) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      inStep.set(key, (inStep.get(key) ?? 0) + Number(await k.kernelTimeMs));
    }
    for (const [key, ms] of inStep) perKey.set(key, [...(perKey.get(key) ?? []), ms]);
  }
  return perKey;
}

/** Wall and CPU milliseconds of one step. */
async function timedStep(step: Step): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const spread = (a: number[]) => ({
  median: Number(median(a).toFixed(2)),
  min: Number(Math.min(...a).toFixed(2)),
  max: Number(Math.max(...a).toFixed(2)),
});

/** Alternating rounds (2 steps each) with `flag` unset (A) and set to 1 (B). */
async function abRounds(step: Step, rounds: number, flag: string): Promise<void> {
  const runs: Record<'A' | 'B', { wall: number[]; cpu: number[] }> = {
    A: { wall: [], cpu: [] },
    B: { wall: [], cpu: [] },
  };
  const load0 = loadavg()[0];
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      if (side === 'B') process.env[flag] = '1';
      else delete process.env[flag];
      await step(); // the first step after a switch builds that setting's primitives
      for (let i = 0; i < 2; i++) {
        const t = await timedStep(step);
        runs[side].wall.push(t.wall);
        runs[side].cpu.push(t.cpu);
      }
    }
  }
  delete process.env[flag];
  const out = {
    flag,
    rounds,
    load: [load0, loadavg()[0]].map((l) => Number(l?.toFixed(2))),
    A: { wall: spread(runs.A.wall), cpu: spread(runs.A.cpu) },
    B: { wall: spread(runs.B.wall), cpu: spread(runs.B.cpu) },
    cpuRatioBoverA: Number((median(runs.B.cpu) / median(runs.A.cpu)).toFixed(3)),
  };
  console.log(JSON.stringify(out));
}

async function main(): Promise<void> {
  const [network = 'fmnist-cnn', backend = 'onednn', stepsArg = '40', mode, flag] =
    process.argv.slice(2);
  const steps = Number(stepsArg);
  await selectBackend({ requested: backend });
  const { step, batchMs, batchSize } = trainingStep(network);
  for (let i = 0; i < 5; i++) await step(); // kernel set-up, optimizer slots
  if (mode === '--ab' && flag !== undefined) {
    console.log(
      `${tf.getBackend()} ${network} batch ${batchSize}: A = ${flag} unset, B = ${flag}=1`,
    );
    await abRounds(step, steps, flag);
    return;
  }
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const stepMs = (performance.now() - t0) / steps;
  const leaked = tf.memory().numTensors - before;
  console.log(
    `${tf.getBackend()} ${network} batch ${batchSize}: ${stepMs.toFixed(2)} ms/step ` +
      `(${Math.round((batchSize * 1000) / stepMs)} img/s), batch building ` +
      `${median(batchMs).toFixed(2)} ms, leaked ${leaked} tensors; load ${loadavg()[0]?.toFixed(2)}`,
  );
  const perKey = await profileSteps(step, steps);
  const rows = [...perKey].map(([key, ms]) => ({ key, med: median(ms), min: Math.min(...ms) }));
  const total = rows.reduce((s, r) => s + r.med, 0);
  console.log(`kernels: ${fmt(total)} ms/step (sum of medians); median | min | kernel [shapes]`);
  for (const r of rows.sort((p, q) => q.med - p.med))
    console.log(`${fmt(r.med)} ${fmt(r.min)}  ${r.key}`);
}

await main();
