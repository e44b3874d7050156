/**
 * The studies' networks (monkey-eye 128x128x3, cats-dogs-small 150x150x3, xception-style
 * 128x128x3, vnn and mc-dropout-cnn at 32x32x3) on 'onednn' and 'wasm', each beside the same
 * architecture in PyTorch (bench/torch_studies.py, same thread count as oneDNN, same batch size
 * and optimizer). `npm run bench -- --only studies`.
 *
 * Method: every figure comes from a fresh child process (bench/studies-child.ts; one network x
 * one backend), so its peak RSS (VmHWM) is its own. For each round (BENCH_STUDIES_ROUNDS,
 * default 3) and each network, our onednn child runs, then the PyTorch peer: the two alternate
 * under the same machine load, and each network's ratio is the median of the per-round ratios,
 * with their min and max as the spread. wasm is several times slower, so it runs one round with
 * fewer batches after the onednn rounds, its ratios against the median PyTorch figure.
 * Synthetic images throughout (throughput does not depend on pixel values). Prints nothing to
 * stdout; progress goes to `log`. Not a test: nothing here asserts timings.
 */
import { spawnSync } from 'node:child_process';
import { peerAllocatorNote, peerEnv } from './peer-env';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onednnAddonBuilt } from '../libs/ml/src/backend/onednn/addon';
import { STUDY_NETWORKS, type ChildFigures, type StudyNetwork } from './studies-child';

/** Batch counts of one network's measurement. */
export interface StudyPlan {
  /** Untimed training steps first (kernel set-up, optimizer slots). */
  warmup: number;
  /** Timed training steps, each of the network's own batch size. */
  trainBatches: number;
  predictImages: number;
  predictBatch: number;
}

/**
 * Chosen so that the section stays near ten minutes on a 2-core machine: xception-style's
 * PyTorch training step takes several seconds (depthwise convolutions), the 32x32 nets are fast.
 */
export const STUDY_PLANS: Record<StudyNetwork, StudyPlan> = {
  'monkey-eye': { warmup: 2, trainBatches: 6, predictImages: 256, predictBatch: 32 },
  'cats-dogs-small': { warmup: 2, trainBatches: 6, predictImages: 200, predictBatch: 20 },
  'xception-style': { warmup: 1, trainBatches: 3, predictImages: 64, predictBatch: 32 },
  vnn: { warmup: 3, trainBatches: 20, predictImages: 2048, predictBatch: 256 },
  'mc-dropout-cnn': { warmup: 3, trainBatches: 20, predictImages: 2048, predictBatch: 256 },
};

/** One network on one backend, the same fields as fmnist-cnn's in `npm run bench`, and more. */
export interface StudyFigures {
  trainImagesPerSec: number;
  predictImagesPerSec: number;
  /** The largest VmHWM over the rounds, MiB. */
  peakRssMb: number;
  torchTrainImagesPerSec: number | null;
  torchPredictImagesPerSec: number | null;
  /** Median over rounds of (ours / PyTorch) in the same round. */
  trainRatio: number | null;
  predictRatio: number | null;
  /** Trainable parameters on each side: equal when the architectures are the same. */
  params: number | null;
  torchParams: number | null;
  torchPeakRssMb: number | null;
  batchSize: number | null;
}

/** Median and range of a set of per-round values. */
export interface Spread {
  median: number | null;
  min: number | null;
  max: number | null;
}

/** Per-round raw figures of one network. */
export interface StudyRounds {
  plan: StudyPlan;
  onednn: { train: number[]; predict: number[]; peakRssMb: number[] };
  torch: { train: number[]; predict: number[]; peakRssMb: number[] };
  trainRatios: number[];
  predictRatios: number[];
  trainRatio: Spread;
  predictRatio: Spread;
  /** The single wasm run (fewer batches: see `wasmPlan`). */
  wasm: ChildFigures | null;
  errors: string[];
}

/** What {@link benchStudies} returns: per-backend figures and the method's details. */
export interface StudiesResult {
  /** `backends.onednn['monkey-eye']` etc., beside fmnist-cnn/cifar3-cnn in the bench JSON. */
  backends: Partial<Record<'onednn' | 'wasm', Record<string, StudyFigures>>>;
  studies: {
    syntheticData: true;
    rounds: number;
    wasmRounds: 1;
    threads: number;
    networks: Record<string, StudyRounds>;
    loadavgBefore: number[];
    loadavgAfter: number[];
    seconds: number;
    notes: string[];
  };
}

/** Options of {@link benchStudies}. */
export interface BenchStudiesOptions {
  /** Rounds of (onednn, PyTorch) per network (default BENCH_STUDIES_ROUNDS, else 3). */
  rounds?: number;
  /** Networks to run (default all five). */
  networks?: readonly StudyNetwork[];
  /**
   * One warm-up and one timed batch everywhere: checks the wiring, figures meaningless
   * (default: BENCH_STUDIES_QUICK=1).
   */
  quick?: boolean;
  /** Also the one wasm round (default true; BENCH_STUDIES_WASM=0 skips it). */
  wasm?: boolean;
  /** Progress lines (default stderr). */
  log?: (line: string) => void;
}

const CHILD = path.join(import.meta.dirname, 'studies-child.ts');
const TORCH = path.join(import.meta.dirname, 'torch_studies.py');
const PYTHON = '/usr/bin/python3';

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function spread(xs: number[]): Spread {
  const m = median(xs);
  return {
    median: m === null ? null : r3(m),
    min: xs.length ? r3(Math.min(...xs)) : null,
    max: xs.length ? r3(Math.max(...xs)) : null,
  };
}

/** The last JSON line of a child's stdout, or the reason there is none. */
function runJson(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { json: Record<string, unknown> } | { error: string } {
  const first = runJsonOnce(cmd, args, env);
  // Another process rebuilding the shared addon removes it for a while: wait and retry once.
  if ('error' in first && /not built|not available|failed to load/.test(first.error)) {
    spawnSync('sleep', ['20']);
    const second = runJsonOnce(cmd, args, env);
    return 'error' in second ? { error: `${first.error}; retried: ${second.error}` } : second;
  }
  return first;
}

function runJsonOnce(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { json: Record<string, unknown> } | { error: string } {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 600_000 });
  const last = (res.stdout ?? '').trim().split('\n').pop() ?? '';
  if (res.status === 0 && last.startsWith('{'))
    return { json: JSON.parse(last) as Record<string, unknown> };
  // A wasm abort prints the whole minified module: keep the short lines that say what failed,
  // without the stack frames.
  const why = (res.stderr ?? '')
    .split('\n')
    .filter(
      (l) => l.length < 400 && l.trim() !== '' && !/^\s+at /.test(l) && !/^Node\.js v/.test(l),
    )
    .slice(-4)
    .join(' | ');
  return { error: `exit ${res.status ?? res.signal}: ${why}`.slice(0, 600) };
}

function planArgs(p: StudyPlan): string[] {
  return [p.warmup, p.trainBatches, p.predictImages, p.predictBatch].map(String);
}

/**
 * Measures the studies' networks on onednn (rounds alternating with PyTorch) and wasm (one
 * round, fewer batches). Needs /usr/bin/python3 with torch for the peer figures (null without).
 */
export async function benchStudies(options: BenchStudiesOptions = {}): Promise<StudiesResult> {
  const rounds = options.rounds ?? (Number(process.env.BENCH_STUDIES_ROUNDS) || 3);
  const networks = options.networks ?? STUDY_NETWORKS;
  const log = options.log ?? ((l: string) => console.error(l));
  const threads = Number(process.env.CONVSCOPE_ONEDNN_THREADS) || 2;
  // The same OpenMP wait policy for both sides: the addon defaults to PASSIVE (idle workers
  // sleep), which PyTorch's libgomp then gets too.
  const env = peerEnv({
    CONVSCOPE_ONEDNN_THREADS: String(threads),
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
  });
  const withTorch = existsSync(PYTHON) && existsSync(TORCH);
  const withOnednn = onednnAddonBuilt();
  const notes = [
    'synthetic uniform images; training on two alternating batches of each network’s batch size',
    `PyTorch (bench/torch_studies.py, NCHW) with torch.set_num_threads(${threads}) = oneDNN threads, OMP_WAIT_POLICY=${env.OMP_WAIT_POLICY} on both`,
    `${peerAllocatorNote()}; our child processes get the same settings`,
    'onednn and PyTorch alternate per round; ratios are medians of per-round ratios',
  ];
  const withWasm = options.wasm ?? process.env.BENCH_STUDIES_WASM !== '0';
  notes.push(
    withWasm
      ? 'wasm: one round, a third of the training batches, its ratios against the median PyTorch figure'
      : 'wasm skipped (BENCH_STUDIES_WASM=0)',
  );
  if (!withOnednn) notes.push('the oneDNN addon is not built: no onednn figures');
  if (!withTorch) notes.push('no /usr/bin/python3 (with torch): no PyTorch figures');
  const loadavgBefore = os.loadavg().map(r3);
  const t0 = performance.now();

  const plan = (n: StudyNetwork): StudyPlan =>
    (options.quick ?? process.env.BENCH_STUDIES_QUICK === '1')
      ? {
          warmup: 1,
          trainBatches: 1,
          predictImages: STUDY_PLANS[n].predictBatch,
          predictBatch: STUDY_PLANS[n].predictBatch,
        }
      : STUDY_PLANS[n];
  const raw: Record<string, StudyRounds> = {};
  const meta: Record<string, { params?: number; torchParams?: number; batchSize?: number }> = {};
  for (const n of networks) {
    raw[n] = {
      plan: plan(n),
      onednn: { train: [], predict: [], peakRssMb: [] },
      torch: { train: [], predict: [], peakRssMb: [] },
      trainRatios: [],
      predictRatios: [],
      trainRatio: spread([]),
      predictRatio: spread([]),
      wasm: null,
      errors: [],
    };
    meta[n] = {};
  }

  for (let round = 1; round <= rounds; round++) {
    for (const n of networks) {
      const s = raw[n] as StudyRounds;
      const m = meta[n] as (typeof meta)[string];
      let ours: ChildFigures | null = null;
      const torchBefore = s.torch.train.length;
      if (withOnednn) {
        const res = runJson(
          process.execPath,
          ['--import', 'tsx', CHILD, n, 'onednn', ...planArgs(s.plan)],
          env,
        );
        if ('error' in res) s.errors.push(`onednn round ${round}: ${res.error}`);
        else {
          ours = res.json as unknown as ChildFigures;
          s.onednn.train.push(ours.trainImagesPerSec);
          s.onednn.predict.push(ours.predictImagesPerSec);
          s.onednn.peakRssMb.push(ours.peakRssMb);
          m.params = ours.params;
          m.batchSize = ours.batchSize;
        }
      }
      if (withTorch) {
        const res = runJson(PYTHON, [TORCH, n, String(threads), ...planArgs(s.plan)], env);
        if ('error' in res) s.errors.push(`torch round ${round}: ${res.error}`);
        else {
          const j = res.json as {
            train_img_per_s: number;
            predict_img_per_s: number;
            peak_rss_mb: number;
            params: number;
          };
          s.torch.train.push(r1(j.train_img_per_s));
          s.torch.predict.push(r1(j.predict_img_per_s));
          s.torch.peakRssMb.push(j.peak_rss_mb);
          m.torchParams = j.params;
          if (ours) {
            s.trainRatios.push(r3(ours.trainImagesPerSec / j.train_img_per_s));
            s.predictRatios.push(r3(ours.predictImagesPerSec / j.predict_img_per_s));
          }
        }
      }
      // This round's figures only ('-' where a side failed this round).
      const theirs = s.torch.train.length > torchBefore;
      log(
        `studies round ${round}/${rounds} ${n}: onednn ${ours ? `${ours.trainImagesPerSec} / ${ours.predictImagesPerSec}` : '-'} img/s, torch ${theirs ? `${s.torch.train.at(-1)} / ${s.torch.predict.at(-1)}` : '-'} img/s (train / predict)`,
      );
    }
  }

  // wasm: one round, a third of the batches (it trains several times slower than onednn).
  for (const n of withWasm ? networks : []) {
    const s = raw[n] as StudyRounds;
    const p = s.plan;
    const wasmPlan: StudyPlan = {
      ...p,
      warmup: 1,
      trainBatches: Math.max(1, Math.round(p.trainBatches / 3)),
      predictImages: Math.max(
        p.predictBatch,
        Math.round(p.predictImages / 4 / p.predictBatch) * p.predictBatch,
      ),
    };
    const res = runJson(
      process.execPath,
      ['--import', 'tsx', CHILD, n, 'wasm', ...planArgs(wasmPlan)],
      env,
    );
    if ('error' in res) s.errors.push(`wasm: ${res.error}`);
    else s.wasm = res.json as unknown as ChildFigures;
    log(
      `studies wasm ${n}: ${s.wasm ? `${s.wasm.trainImagesPerSec} / ${s.wasm.predictImagesPerSec} img/s` : 'failed'}`,
    );
  }

  const backends: StudiesResult['backends'] = {};
  for (const n of networks) {
    const s = raw[n] as StudyRounds;
    const m = meta[n] as (typeof meta)[string];
    s.trainRatio = spread(s.trainRatios);
    s.predictRatio = spread(s.predictRatios);
    const torchTrain = median(s.torch.train);
    const torchPredict = median(s.torch.predict);
    const common = {
      torchTrainImagesPerSec: torchTrain === null ? null : r1(torchTrain),
      torchPredictImagesPerSec: torchPredict === null ? null : r1(torchPredict),
      params: m.params ?? s.wasm?.params ?? null,
      torchParams: m.torchParams ?? null,
      torchPeakRssMb: s.torch.peakRssMb.length ? Math.max(...s.torch.peakRssMb) : null,
      batchSize: m.batchSize ?? s.wasm?.batchSize ?? null,
    };
    if (s.onednn.train.length) {
      (backends.onednn ??= {})[n] = {
        trainImagesPerSec: r1(median(s.onednn.train) as number),
        predictImagesPerSec: r1(median(s.onednn.predict) as number),
        peakRssMb: Math.max(...s.onednn.peakRssMb),
        trainRatio: s.trainRatio.median,
        predictRatio: s.predictRatio.median,
        ...common,
      };
    }
    if (s.wasm) {
      const w = s.wasm;
      (backends.wasm ??= {})[n] = {
        trainImagesPerSec: w.trainImagesPerSec,
        predictImagesPerSec: w.predictImagesPerSec,
        peakRssMb: w.peakRssMb,
        trainRatio: torchTrain ? r3(w.trainImagesPerSec / torchTrain) : null,
        predictRatio: torchPredict ? r3(w.predictImagesPerSec / torchPredict) : null,
        ...common,
      };
    }
  }
  return {
    backends,
    studies: {
      syntheticData: true,
      rounds,
      wasmRounds: 1,
      threads,
      networks: raw,
      loadavgBefore,
      loadavgAfter: os.loadavg().map(r3),
      seconds: Math.round((performance.now() - t0) / 1000),
      notes,
    },
  };
}
