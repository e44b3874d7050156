/**
 * One studies network on one backend, in its own process so that its peak RSS (VmHWM) is its
 * own: bench/studies.bench.ts spawns this once per network, backend and round.
 *
 * Training: `warmup` untimed steps (kernel set-up, primitive cache, optimizer slots), then
 * `trainBatches` timed `trainOnBatch` steps on two alternating synthetic batches of the
 * network's batch size. Prediction: `predictImages` images in batches of `predictBatch`, after one
 * untimed batch. Synthetic uniform [0, 1) images: throughput does not depend on pixel values.
 *
 * Usage: tsx bench/studies-child.ts NETWORK BACKEND WARMUP TRAIN_BATCHES PREDICT_IMAGES PREDICT_BATCH
 * Prints one JSON line ({@link ChildFigures}).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, realpathSync } from 'node:fs';
import { buildModel, buildXceptionStyle, getPreset, selectBackend } from '@convscope/ml';
import { loadOnednnAddon } from '../libs/ml/src/backend/onednn/addon';

/** The networks of the studies, in bench order. */
export const STUDY_NETWORKS = [
  'monkey-eye',
  'cats-dogs-small',
  'xception-style',
  'vnn',
  'mc-dropout-cnn',
] as const;
export type StudyNetwork = (typeof STUDY_NETWORKS)[number];

/** What one child run prints. */
export interface ChildFigures {
  network: StudyNetwork;
  backend: string;
  trainImagesPerSec: number;
  predictImagesPerSec: number;
  /** VmHWM of this process, MiB. */
  peakRssMb: number;
  /** Trainable parameters (the PyTorch peer counts these; BN moving statistics excluded). */
  params: number;
  batchSize: number;
  /** oneDNN OpenMP threads (null on wasm, which runs one thread in Node). */
  threads: number | null;
  leakedTensors: number;
}

interface Built {
  model: tf.LayersModel;
  inputShape: number[];
  batchSize: number;
  /** 1: one sigmoid unit with 0/1 labels; else one-hot classes. */
  classes: number;
}

function build(network: StudyNetwork): Built {
  if (network === 'xception-style') {
    return {
      model: buildXceptionStyle({ seed: 1 }),
      inputShape: [128, 128, 3],
      batchSize: 32,
      classes: 10,
    };
  }
  const preset = getPreset(network);
  // vnn and mc-dropout-cnn ship for 28x28x1; the studies run them on 32x32x3.
  if (network === 'vnn' || network === 'mc-dropout-cnn') preset.inputShape = [32, 32, 3];
  const last = preset.layers[preset.layers.length - 1];
  const classes = last?.type === 'dense' ? last.units : 10;
  return {
    model: buildModel(preset, { seed: 1 }),
    inputShape: preset.inputShape,
    batchSize: preset.batchSize,
    classes,
  };
}

function labels(batch: number, classes: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    if (classes === 1) return tf.randomUniform([batch, 1], 0, 2, 'int32', seed).toFloat();
    return tf.oneHot(tf.randomUniform<tf.Rank.R1>([batch], 0, classes, 'int32', seed), classes);
  });
}

/** VmHWM (peak resident set) of this process in MiB, from /proc. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 2 ** 20);
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const [network, backend, warmup, trainBatches, predictImages, predictBatch] =
    process.argv.slice(2);
  if (!STUDY_NETWORKS.includes(network as StudyNetwork))
    throw new Error(`network must be one of ${STUDY_NETWORKS.join(', ')}, got "${network}"`);
  const net = network as StudyNetwork;
  await selectBackend({ requested: backend as 'onednn' | 'wasm' });
  const nWarm = Number(warmup ?? 2);
  const nTrain = Number(trainBatches ?? 8);
  const nPredict = Number(predictImages ?? 256);
  const pBatch = Number(predictBatch ?? 64);

  const { model, inputShape, batchSize, classes } = build(net);
  const xs = [0, 1].map((s) => tf.randomUniform([batchSize, ...inputShape], 0, 1, 'float32', s));
  const ys = [0, 1].map((s) => labels(batchSize, classes, 10 + s));
  const step = async (i: number): Promise<void> => {
    await model.trainOnBatch(xs[i % 2] as tf.Tensor, ys[i % 2] as tf.Tensor);
  };
  for (let i = 0; i < nWarm; i++) await step(i);
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < nTrain; i++) await step(i);
  const trainMs = performance.now() - t0;
  const leakedTensors = tf.memory().numTensors - before;

  const px = tf.randomUniform([pBatch, ...inputShape], 0, 1, 'float32', 7);
  const predictOnce = async (n: number): Promise<void> => {
    const x = n === pBatch ? px : px.slice(0, n);
    const p = model.predict(x, { batchSize: pBatch }) as tf.Tensor;
    await p.data();
    tf.dispose(x === px ? [p] : [p, x]);
  };
  await predictOnce(pBatch); // warm-up
  const p0 = performance.now();
  for (let done = 0; done < nPredict; done += pBatch)
    await predictOnce(Math.min(pBatch, nPredict - done));
  const predictMs = performance.now() - p0;

  const params = model.trainableWeights.reduce(
    (s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
    0,
  );
  tf.dispose([...xs, ...ys, px]);
  model.dispose();
  const figures: ChildFigures = {
    network: net,
    backend: tf.getBackend(),
    trainImagesPerSec: r1((nTrain * batchSize * 1000) / trainMs),
    predictImagesPerSec: r1((nPredict * 1000) / predictMs),
    peakRssMb: peakRssMb(),
    params,
    batchSize,
    threads: tf.getBackend() === 'onednn' ? loadOnednnAddon().getNumThreads() : null,
    leakedTensors,
  };
  console.log(JSON.stringify(figures));
}

// Run only as a script: studies.bench.ts imports the network list from here.
if (process.argv[1] && import.meta.filename === realpathSync(process.argv[1])) await main();
