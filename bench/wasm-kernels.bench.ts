/**
 * Training throughput of fmnist-cnn on the TF.js WASM backend (with the custom training kernels)
 * plus per-kernel CPU-time timings at fmnist shapes, custom vs stock where a stock kernel exists.
 * `training.imagesPerSec` is wall-clock; `imagesPerCpuSec` divides by this process's CPU time,
 * which stays meaningful when other jobs share the cores. `profile` is tf.profile's per-kernel
 * wall time for one training step (ms, summed by kernel name).
 * `noSimd` is the custom kernel with the C-compiled SIMD module (wasm/simd/kernels.c) switched
 * off, i.e. the previous JS / XNNPACK formulation; `training.noSimd` the same for whole steps,
 * measured in alternating halves with the default.
 * Run: npx tsx bench/wasm-kernels.bench.ts [batches]
 * Prints one JSON object.
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../libs/ml/src/backend/wasm-setup';
import { fmnistCnnFromPreset } from '../libs/ml/src/backend/test-helpers';
import { stockKernel } from '../libs/ml/src/backend/wasm/kernel-utils';
import { setSimdKernelsEnabled } from '../libs/ml/src/backend/wasm/simd-kernels';

const BATCH = 64;
const BATCHES = Number(process.argv[2] ?? 200);
const WARMUP = 5;
/** Batches per alternating half of the training measurement (two halves each way). */
const HALF = Math.max(1, Math.floor(BATCHES / 2));

// The production model, built from its preset (dropout 0.3 as trained).
const fmnistCnn = (): tf.Sequential => fmnistCnnFromPreset();

async function trainThroughput(): Promise<Record<string, unknown>> {
  const model = fmnistCnn();
  const xs = tf.randomUniform([BATCH, 28, 28, 1]);
  const ys = tf.oneHot(tf.randomUniform<tf.Rank.R1>([BATCH], 0, 10, 'int32'), 10);
  let loss = 0;
  for (let i = 0; i < WARMUP; i++) loss = (await model.trainOnBatch(xs, ys)) as number;
  // Kernel-by-kernel breakdown of one step (wall time per kernel, summed by name).
  const info = await tf.profile(async () => {
    await model.trainOnBatch(xs, ys);
  });
  const profile: Record<string, number> = {};
  for (const k of info.kernels)
    profile[k.name] = (profile[k.name] ?? 0) + (k.kernelTimeMs as number);
  const sorted = Object.fromEntries(
    Object.entries(profile)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, v]) => [k, +v.toFixed(2)]),
  );
  // Alternating halves with the SIMD module on (the default) and off, so load hits both alike.
  const runs = { simd: { ms: 0, cpuMs: 0 }, noSimd: { ms: 0, cpuMs: 0 } };
  for (let half = 0; half < 4; half++) {
    const which = half % 2 === 0 ? 'simd' : 'noSimd';
    setSimdKernelsEnabled(which === 'simd');
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < HALF; i++) loss = (await model.trainOnBatch(xs, ys)) as number;
    runs[which].ms += performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    // CPU time of this (single-threaded) process: robust when other jobs share the cores.
    runs[which].cpuMs += (cpu.user + cpu.system) / 1000;
  }
  setSimdKernelsEnabled(true);
  const { ms, cpuMs } = runs.simd;
  const off = runs.noSimd;
  const n = 2 * HALF;
  xs.dispose();
  ys.dispose();
  model.dispose();
  return {
    imagesPerSec: +((n * BATCH * 1000) / ms).toFixed(1),
    imagesPerCpuSec: +((n * BATCH * 1000) / cpuMs).toFixed(1),
    msPerBatch: +(ms / n).toFixed(2),
    cpuMsPerBatch: +(cpuMs / n).toFixed(2),
    batches: n,
    noSimd: {
      imagesPerSec: +((n * BATCH * 1000) / off.ms).toFixed(1),
      imagesPerCpuSec: +((n * BATCH * 1000) / off.cpuMs).toFixed(1),
      cpuMsPerBatch: +(off.cpuMs / n).toFixed(2),
    },
    finalLoss: loss,
    profile: sorted,
  };
}

/**
 * Mean ms of a raw kernel call (result freed each time). Every call gets freshly allocated
 * copies of its inputs, as in training: XNNPACK caches packed operands by tensor id, so
 * reusing one tensor would hide the packing cost.
 */
function timeKernel(
  cfg: tf.KernelConfig | undefined,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  reps = 10,
): number | null {
  if (cfg === undefined) return null;
  const backend = tf.backend() as BackendWasm;
  const fresh = (): tf.Tensor[][] =>
    Array.from({ length: reps + 1 }, () =>
      Object.values(inputs).map((t) => tf.add(t as tf.Tensor, 0)),
    );
  const copies = fresh();
  const [warmUp = [], ...timed] = copies;
  const names = Object.keys(inputs);
  const once = (ts: tf.Tensor[]): void => {
    const ins = Object.fromEntries(names.map((n, i) => [n, ts[i]]));
    const out = cfg.kernelFunc({ inputs: ins, backend, attrs }) as tf.TensorInfo;
    backend.disposeData(out.dataId);
  };
  once(warmUp);
  // CPU time, not wall time: the bench machine is shared, and the backend is single-threaded.
  const c0 = process.cpuUsage();
  for (const ts of timed) once(ts);
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000 / reps;
  copies.forEach((c) => tf.dispose(c));
  return +ms.toFixed(3);
}

type KernelTiming = { custom: number | null; noSimd: number | null; stock: number | null };

function kernelTimings(): Record<string, KernelTiming> {
  const r = (s: number[]): tf.Tensor => tf.randomNormal(s);
  const cases: Array<[string, string, tf.NamedTensorInfoMap, tf.NamedAttrMap]> = [];
  const conv = {
    strides: 1,
    pad: 'same',
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  } as unknown as tf.NamedAttrMap;
  cases.push([
    'Conv2DBackpropFilter conv1 [64,28,28,1]->32',
    'Conv2DBackpropFilter',
    { x: r([BATCH, 28, 28, 1]), dy: r([BATCH, 28, 28, 32]) },
    { ...conv, filterShape: [3, 3, 1, 32] },
  ]);
  cases.push([
    'Conv2DBackpropFilter conv2 [64,14,14,32]->64',
    'Conv2DBackpropFilter',
    { x: r([BATCH, 14, 14, 32]), dy: r([BATCH, 14, 14, 64]) },
    { ...conv, filterShape: [3, 3, 32, 64] },
  ]);
  cases.push([
    'Conv2DBackpropInput conv2',
    'Conv2DBackpropInput',
    { dy: r([BATCH, 14, 14, 64]), filter: r([3, 3, 32, 64]) },
    { ...conv, inputShape: [BATCH, 14, 14, 32] },
  ]);
  cases.push([
    'Conv2DBackpropInput s2 valid [64,16,16,32]',
    'Conv2DBackpropInput',
    { dy: r([BATCH, 7, 7, 64]), filter: r([3, 3, 32, 64]) },
    { ...conv, strides: 2, pad: 'valid', inputShape: [BATCH, 16, 16, 32] },
  ]);
  const pool = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;
  cases.push([
    'MaxPoolGrad [64,28,28,32]',
    'MaxPoolGrad',
    { dy: r([BATCH, 14, 14, 32]), input: r([BATCH, 28, 28, 32]), output: r([BATCH, 14, 14, 32]) },
    pool,
  ]);
  cases.push([
    'MaxPoolGrad [64,14,14,64]',
    'MaxPoolGrad',
    { dy: r([BATCH, 7, 7, 64]), input: r([BATCH, 14, 14, 64]), output: r([BATCH, 7, 7, 64]) },
    pool,
  ]);
  cases.push([
    'AvgPoolGrad [64,28,28,32]',
    'AvgPoolGrad',
    { dy: r([BATCH, 14, 14, 32]), input: r([BATCH, 28, 28, 32]) },
    pool,
  ]);
  cases.push([
    'Sum bias grad [64,28,28,32] axes 0-2',
    'Sum',
    { x: r([BATCH, 28, 28, 32]) },
    { axis: [0, 1, 2], keepDims: false },
  ]);
  cases.push([
    'BatchMatMul dense1 forward (NN)',
    'BatchMatMul',
    { a: r([1, BATCH, 3136]), b: r([1, 3136, 128]) },
    { transposeA: false, transposeB: false },
  ]);
  cases.push([
    'BatchMatMul dense1 dW [3136,64]^T-style (TN)',
    'BatchMatMul',
    { a: r([1, BATCH, 3136]), b: r([1, BATCH, 128]) },
    { transposeA: true, transposeB: false },
  ]);
  cases.push([
    'BatchMatMul dense1 dX (NT)',
    'BatchMatMul',
    { a: r([1, BATCH, 128]), b: r([1, 3136, 128]) },
    { transposeA: false, transposeB: true },
  ]);
  const dw = { strides: 1, dilations: 1, pad: 'same' } as unknown as tf.NamedAttrMap;
  cases.push([
    'DepthwiseBackpropInput [64,16,16,64] 3x3',
    'DepthwiseConv2dNativeBackpropInput',
    { dy: r([BATCH, 16, 16, 64]), filter: r([3, 3, 64, 1]) },
    { ...dw, inputShape: [BATCH, 16, 16, 64] },
  ]);
  cases.push([
    'DepthwiseBackpropFilter [64,16,16,64] 3x3',
    'DepthwiseConv2dNativeBackpropFilter',
    { x: r([BATCH, 16, 16, 64]), dy: r([BATCH, 16, 16, 64]) },
    { ...dw, filterShape: [3, 3, 64, 1] },
  ]);
  const out: Record<string, KernelTiming> = {};
  for (const [label, name, inputs, attrs] of cases) {
    const custom = timeKernel(tf.getKernel(name, 'wasm'), inputs, attrs);
    setSimdKernelsEnabled(false);
    const noSimd = timeKernel(tf.getKernel(name, 'wasm'), inputs, attrs);
    setSimdKernelsEnabled(true);
    out[label] = { custom, noSimd, stock: timeKernel(stockKernel(name), inputs, attrs) };
    for (const t of Object.values(inputs)) (t as tf.Tensor).dispose();
  }
  return out;
}

await initWasmBackend();
const kernels = kernelTimings();
const training = await trainThroughput();
console.log(
  JSON.stringify(
    {
      backend: tf.getBackend(),
      loadavg: os.loadavg().map((v) => +v.toFixed(2)),
      cpus: os.cpus().length,
      simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      batchSize: BATCH,
      training,
      kernelCpuMs: kernels,
    },
    null,
    2,
  ),
);
