// `npm run bench`: training and prediction throughput of the presets on each available backend,
// beside PyTorch on the same machine in the same run (bench/torch_fmnist.py for
// fmnist-cnn, bench/torch_cifar3.py for cifar3-cnn).
// Its last line of output is one JSON object. Not a test: nothing here asserts timings.
// `--only SECTION[,SECTION]` runs some sections: `train` (every backend, PyTorch peers),
// `gradcam`, `load` (API ingest with 50 concurrent loggers, bench/ingest.bench.ts),
// `snapshots` (training snapshots per epoch on fmnist-cnn, bench/snapshots.bench.ts).
// `filterPatterns` (filter patterns per channel and layer on fmnist-cnn, bench/filter-patterns.bench.ts).
// `projector` (PCA, UMAP and t-SNE of 10,000 fmnist test features, bench/projector.bench.ts).
// `explainOnDemand` (one explain-worker job per method on fmnist-cnn, bench/explain-on-demand.bench.ts).
// `studies` (the studies' networks on onednn and wasm beside PyTorch, bench/studies.bench.ts).
// `scale` (runs table at 10k-1M runs, 1M-point series, ingest, queue; bench/scale.bench.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  buildModel,
  createDataParallelTrainer,
  getPreset,
  loadFashionMnist,
  makeBatch,
  selectBackend,
  type ImageSplit,
} from '@convscope/ml';
import { benchExplainOnDemand } from './explain-on-demand.bench';
import { peerAllocatorNote, peerEnv } from './peer-env';
import { benchFilterPatterns } from './filter-patterns.bench';
import { benchGradcam } from './gradcam.bench';
import { benchIngest, type IngestFigures } from './ingest.bench';
import { benchMcPasses } from './mc-passes.bench';
import { benchProjector } from './projector.bench';
import { benchSnapshots } from './snapshots.bench';
import { benchStudies } from './studies.bench';
import { benchScale } from './scale.bench';
import { onednnAddonBuilt } from '../libs/ml/src/backend/onednn/addon';

const SECTIONS = [
  'train',
  'gradcam',
  'load',
  'snapshots',
  'filterPatterns',
  'projector',
  'explainOnDemand',
  'studies',
  'scale',
] as const;
type Section = (typeof SECTIONS)[number];

/** The sections named by `--only a,b` (or `--only=a,b`); every section without it. */
function parseOnly(argv: readonly string[]): Set<Section> {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return new Set(SECTIONS);
  const arg = argv[i] ?? '';
  const raw = arg.startsWith('--only=') ? arg.slice('--only='.length) : argv[i + 1];
  const names = (raw ?? '').split(',').map((s) => s.trim());
  const bad = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (bad.length || names.length === 0) {
    console.error(`--only takes ${SECTIONS.join(', ')} (comma-separated), got "${raw ?? ''}"`);
    process.exit(2);
  }
  return new Set(names as Section[]);
}
const only = parseOnly(process.argv.slice(2));

const TRAIN_BATCHES = Number(process.env.BENCH_TRAIN_BATCHES ?? 60);
const PREDICT_IMAGES = Number(process.env.BENCH_PREDICT_IMAGES ?? 5000);
/** Images per prediction batch, as in bench/torch_fmnist.py and bench/torch_cifar3.py. */
const PREDICT_BATCH = 256;
const TORCH_TRAIN_LIMIT = Number(process.env.BENCH_TORCH_TRAIN_LIMIT ?? 10000);

interface PresetFigures {
  trainImagesPerSec: number;
  predictImagesPerSec: number;
  peakRssMb: number;
  torchTrainImagesPerSec: number | null;
  torchPredictImagesPerSec: number | null;
  trainRatio: number | null;
  predictRatio: number | null;
}

/** Training on the wasm backend across worker threads (`createDataParallelTrainer`). */
interface DataParallelFigures {
  workers: number;
  trainImagesPerSec: number;
  /** The whole process, worker threads included. */
  peakRssMb: number;
  torchTrainImagesPerSec: number | null;
  trainRatio: number | null;
  /** Over single-threaded `wasm` in the same run. */
  speedupVsWasm: number | null;
}

// Sampled inside the loops: training never yields to timers between batches here.
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

/** Runs a PyTorch peer script; null without python3/torch (or its data). */
function torchFigures(
  script: string,
  args: string[],
  needs: string[] = [],
): { train: number; predict: number } | null {
  if (!existsSync('/usr/bin/python3') || !existsSync(script) || needs.some((p) => !existsSync(p)))
    return null;
  try {
    const out = execFileSync('/usr/bin/python3', [script, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: peerEnv(),
    });
    const j = JSON.parse(out.trim().split('\n').pop()!);
    return { train: j.train_img_per_s, predict: j.predict_img_per_s };
  } catch {
    return null; // python3 without torch
  }
}

/**
 * Synthetic bytes for presets without offline data (cifar3-cnn): throughput does not depend on
 * the pixel values, and the PyTorch peer uses the same kind of data.
 */
function syntheticSplit(count: number, pixels: number, classes: number, seed: number): ImageSplit {
  let a = seed >>> 0;
  const next = () => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) >>> 24;
  const images = new Uint8Array(count * pixels);
  for (let i = 0; i < images.length; i++) images[i] = next();
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % classes;
  return { images, labels, count };
}

async function benchPreset(
  presetName: string,
  numClasses: number,
  train: ImageSplit,
  test: ImageSplit,
  batches: number,
): Promise<
  Omit<
    PresetFigures,
    'torchTrainImagesPerSec' | 'torchPredictImagesPerSec' | 'trainRatio' | 'predictRatio'
  >
> {
  const preset = getPreset(presetName);
  const model = buildModel(preset, { seed: 1, numClasses });
  const opts = { shape: preset.inputShape, numClasses, encoding: 'one-hot' as const };
  const bs = preset.batchSize;
  peakRss = 0;
  const step = async (b: number) => {
    const idx = Array.from({ length: bs }, (_, i) => (b * bs + i) % train.count);
    const { xs, ys } = makeBatch(train, idx, opts);
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
    sampleRss();
  };
  for (let b = 0; b < 3; b++) await step(b); // warm-up: kernel set-up, optimizer slots
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) await step(b + 3);
  const trainImagesPerSec = (batches * bs) / ((performance.now() - t0) / 1000);

  const predictImagesPerSec = await benchPredict(model, test, opts);
  model.dispose();
  return {
    trainImagesPerSec: round(trainImagesPerSec),
    predictImagesPerSec: round(predictImagesPerSec),
    peakRssMb: Math.round(peakRss / 2 ** 20),
  };
}

/**
 * Prediction throughput as the PyTorch peers measure it: batches of {@link PREDICT_BATCH} images
 * already in memory as floats (the peers scale their test split to floats once, outside the
 * clock), one `model.predict` per batch with `batchSize` set (its default, 32, would split every
 * batch into 8 calls per layer), and the class scores read back.
 */
async function benchPredict(
  model: tf.LayersModel,
  test: ImageSplit,
  opts: Parameters<typeof makeBatch>[2],
): Promise<number> {
  const n = Math.min(PREDICT_IMAGES, test.count);
  const batches: tf.Tensor4D[] = [];
  for (let s = 0; s < n; s += PREDICT_BATCH) {
    const idx = Array.from({ length: Math.min(PREDICT_BATCH, n - s) }, (_, i) => s + i);
    const { xs, ys } = makeBatch(test, idx, opts);
    ys.dispose();
    batches.push(xs);
  }
  try {
    const p0 = performance.now();
    for (const xs of batches) {
      const p = model.predict(xs, { batchSize: PREDICT_BATCH }) as tf.Tensor;
      await p.data();
      p.dispose();
      sampleRss();
    }
    return n / ((performance.now() - p0) / 1000);
  } finally {
    tf.dispose(batches);
  }
}

/** Training throughput of the data-parallel trainer (default worker count), same batches. */
async function benchDataParallel(
  presetName: string,
  numClasses: number,
  train: ImageSplit,
  batches: number,
): Promise<Pick<DataParallelFigures, 'workers' | 'trainImagesPerSec' | 'peakRssMb'>> {
  const preset = getPreset(presetName);
  const trainer = await createDataParallelTrainer({ preset, numClasses, seed: 1 });
  const bs = preset.batchSize;
  peakRss = 0;
  try {
    const step = async (b: number) => {
      const idx = Array.from({ length: bs }, (_, i) => (b * bs + i) % train.count);
      await trainer.trainOnBatch(train, idx);
      sampleRss();
    };
    for (let b = 0; b < 3; b++) await step(b);
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) await step(b + 3);
    const trainImagesPerSec = (batches * bs) / ((performance.now() - t0) / 1000);
    return {
      workers: trainer.workers,
      trainImagesPerSec: round(trainImagesPerSec),
      peakRssMb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    await trainer.dispose();
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number | null | undefined) =>
  b ? Math.round((a / b) * 1000) / 1000 : null;

const dataDir = existsSync('/usr/share/datasets/fashion-mnist')
  ? '/usr/share/datasets/fashion-mnist'
  : undefined;
const backends: Record<string, Record<string, PresetFigures | DataParallelFigures>> = {};
let best: string | undefined;

/** Training and prediction on every backend, beside PyTorch. */
async function benchTraining(): Promise<void> {
  const ds = await loadFashionMnist({ dir: dataDir });
  const cifarPixels = 32 * 32 * 3;
  const cifar = {
    train: syntheticSplit(10_000, cifarPixels, 3, 1),
    test: syntheticSplit(5_000, cifarPixels, 3, 2),
  };
  const torch: Record<string, { train: number; predict: number } | null> = {
    // The same files as the TF.js side: the system's full Fashion-MNIST, else the committed subset.
    'fmnist-cnn': torchFigures(path.join(import.meta.dirname, 'torch_fmnist.py'), [
      '1',
      String(TORCH_TRAIN_LIMIT),
      ...(dataDir ? [dataDir] : []),
    ]),
    'cifar3-cnn': torchFigures(path.join(import.meta.dirname, 'torch_cifar3.py'), ['2', '10000']),
  };
  const presets = [
    { name: 'fmnist-cnn', classes: 10, train: ds.train, test: ds.test },
    { name: 'cifar3-cnn', classes: 3, train: cifar.train, test: cifar.test },
  ];
  for (const backend of ['tensorflow-gpu', 'tensorflow', 'onednn', 'wasm', 'cpu']) {
    try {
      await selectBackend({ requested: backend });
    } catch {
      continue;
    }
    backends[backend] = {};
    for (const p of presets) {
      // The stock CPU backend trains at about one image per second: a handful of batches is enough.
      const batches = backend === 'cpu' ? 2 : TRAIN_BATCHES;
      const test = backend === 'cpu' ? { ...p.test, count: 512 } : p.test;
      const f = await benchPreset(p.name, p.classes, p.train, test, batches);
      const t = torch[p.name];
      backends[backend][p.name] = {
        ...f,
        torchTrainImagesPerSec: t ? round(t.train) : null,
        torchPredictImagesPerSec: t ? round(t.predict) : null,
        trainRatio: ratio(f.trainImagesPerSec, t?.train),
        predictRatio: ratio(f.predictImagesPerSec, t?.predict),
      };
    }
    console.error(`${backend}: ${JSON.stringify(backends[backend])}`);
    if (backend === 'wasm') {
      // The same presets on wasm replicas in worker threads (one core each), beside one thread.
      const dp: Record<string, DataParallelFigures> = {};
      for (const p of presets) {
        const f = await benchDataParallel(p.name, p.classes, p.train, TRAIN_BATCHES);
        const t = torch[p.name];
        dp[p.name] = {
          ...f,
          torchTrainImagesPerSec: t ? round(t.train) : null,
          trainRatio: ratio(f.trainImagesPerSec, t?.train),
          speedupVsWasm: ratio(f.trainImagesPerSec, backends.wasm?.[p.name]?.trainImagesPerSec),
        };
      }
      backends['wasm-data-parallel'] = dp;
      console.error(`wasm-data-parallel: ${JSON.stringify(dp)}`);
    }
  }
  best = Object.keys(backends)[0];
}

const out: Record<string, unknown> = {};
if (only.has('train')) {
  await benchTraining();
  out.backend = best;
}
if (only.has('gradcam')) {
  // Batched Grad-CAM on the best backend, beside PyTorch (bench/gradcam.bench.ts).
  best ??= (await selectBackend()).backend;
  await selectBackend({ requested: best });
  out.gradcam = await benchGradcam();
  console.error(`gradcam: ${JSON.stringify(out.gradcam)}`);
}
if (only.has('train') && best) {
  out['fmnist-cnn'] = backends[best]?.['fmnist-cnn'];
  out['cifar3-cnn'] = backends[best]?.['cifar3-cnn'];
  out.data = {
    'fmnist-cnn': dataDir ?? 'committed subset',
    'cifar3-cnn': 'synthetic 32x32x3, 3 classes',
  };
}
if (only.has('studies')) {
  // monkey-eye, cats-dogs-small, xception-style, vnn, mc-dropout-cnn (synthetic images), each in
  // its own child process, onednn alternating with PyTorch for several rounds, wasm once
  // (bench/studies.bench.ts). Their figures sit beside fmnist-cnn's: top level (onednn, else
  // wasm) and under backends.onednn / backends.wasm; the method and per-round data in `studies`.
  const s = await benchStudies();
  for (const [backend, nets] of Object.entries(s.backends))
    backends[backend] = { ...backends[backend], ...nets };
  for (const [net, f] of Object.entries(s.backends.onednn ?? s.backends.wasm ?? {})) out[net] = f;
  console.error(`studies: ${JSON.stringify(s.backends)}`);
  // MC-dropout / variational passes/s beside PyTorch (bench/mc-passes.bench.ts), in this
  // process: it has no backend yet when only the studies ran. A failure there keeps the rest.
  const mcPasses = await benchMcPasses({
    backend: onednnAddonBuilt() ? 'onednn' : 'wasm',
  }).catch((err: unknown) => ({ error: String(err) }));
  out.studies = { ...s.studies, mcPasses };
  console.error(`studies.mcPasses: ${JSON.stringify(mcPasses)}`);
}
if (only.has('load')) {
  // The API as a child process under 50 concurrent loggers (bench/ingest.bench.ts); `ingest` is
  // the SQLite figure (the default database), `ingestByDatabase` adds PostgreSQL when reachable.
  const byDatabase: { sqlite: IngestFigures; postgresql: IngestFigures | null } =
    await benchIngest();
  const { pointsPerSec, p50Ms, p99Ms, loggers } = byDatabase.sqlite;
  out.ingest = { pointsPerSec, p50Ms, p99Ms, loggers };
  out.ingestByDatabase = byDatabase;
}
if (only.has('snapshots')) {
  // Training snapshots of a few fmnist-cnn epochs (bench/snapshots.bench.ts): seconds and bytes
  // per epoch, probes, and the share of an epoch's training time.
  const f = await benchSnapshots(Number(process.env.BENCH_SNAPSHOT_EPOCHS ?? 3));
  out.snapshots = {
    secondsPerEpoch: f.secondsPerEpoch,
    bytesPerEpoch: f.bytesPerEpoch,
    epochs: f.epochs,
    probes: f.probes,
    probeBytes: f.probeBytes,
    trainSecondsPerEpoch: f.trainSecondsPerEpoch,
    overhead: f.overhead,
    backend: f.backend,
  };
  console.error(`snapshots: ${JSON.stringify(out.snapshots)}`);
}
if (only.has('filterPatterns')) {
  // Filter patterns on fmnist-cnn (bench/filter-patterns.bench.ts): seconds per channel and per
  // layer, readable vs plain, and the filters stage of a default pack.
  best ??= (await selectBackend()).backend;
  await selectBackend({ requested: best });
  out.filterPatterns = await benchFilterPatterns();
  console.error(`filterPatterns: ${JSON.stringify(out.filterPatterns)}`);
}
if (only.has('projector')) {
  // The embedding projector on the fmnist test split (bench/projector.bench.ts): seconds per
  // stage on 10,000 points (t-SNE on its stratified subset) and the artifact's bytes.
  const f = await benchProjector(Number(process.env.BENCH_PROJECTOR_EPOCHS ?? 2));
  const { points, featureSeconds, pcaSeconds, umapSeconds, tsneSeconds, tsnePoints, bytes } = f;
  out.projector = {
    points,
    featureSeconds,
    pcaSeconds,
    umapSeconds,
    tsneSeconds,
    tsnePoints,
    bytes,
    totalSeconds: f.totalSeconds,
    backend: f.backend,
  };
  console.error(`projector: ${JSON.stringify(out.projector)}`);
}
if (only.has('explainOnDemand')) {
  // What the explain worker spends on one on-demand job (bench/explain-on-demand.bench.ts): each
  // method alone and the explanations page's default four together, medians of 3, warm.
  best ??= (await selectBackend()).backend;
  await selectBackend({ requested: best });
  out.explainOnDemand = await benchExplainOnDemand();
  console.error(`explainOnDemand: ${JSON.stringify(out.explainOnDemand)}`);
}
if (only.has('scale')) {
  // Lab scale (issue #11): runsQuery, seriesFetch1MMs, ingest, queue (bench/scale.bench.ts).
  Object.assign(out, await benchScale());
}
const os = await import('node:os');
out.machine = {
  cpus: os.cpus().length,
  node: process.version,
  loadavg: os.loadavg(),
  peers: peerAllocatorNote(),
};
if (Object.keys(backends).length) out.backends = backends;
console.log(JSON.stringify(out));
