/**
 * MC-dropout and variational passes at the studies' pass counts: `mcPredict` of the
 * `mc-dropout-cnn` and `vnn` presets (at 32x32x3, untrained, synthetic images) beside the same
 * loop in PyTorch (bench/torch_mc_passes.py: the same architectures, the same stacked-pass
 * batching, torch.set_num_threads = the oneDNN thread count, torch.no_grad()).
 *
 * A pass is one stochastic forward of all N images; passes/s = T / wall seconds. `passesPerSec`
 * includes the per-sample statistics (mcPredict's summarizePasses; PyTorch's loop computes the
 * same: mean, std, entropies, mutual information, quartiles); `forwardPassesPerSec` leaves them
 * out (ours: mcPredict's wall time minus summarizePasses re-timed on the kept passes).
 * Rounds alternate ours, PyTorch, ours, PyTorch... (BENCH_MC_ROUNDS, default 3); each ratio is
 * ours / PyTorch of one round, reported as the median and the spread (max - min) / median.
 *
 * Sizes: BENCH_MC_N images (default 50) x BENCH_MC_T passes (default 100), rows per forward
 * BENCH_MC_ROWS (default: mcPredict's). One more round at T = BENCH_MC_LONG_T (default 1000;
 * 0 skips it) over N * T / LONG_T images, the same number of rows.
 *
 * Used by `npm run bench` (key "mc", section studies); standalone:
 *   npx tsx bench/mc-passes.bench.ts [backend]    (default onednn, else the best available)
 * prints one JSON object. Not a test: nothing here asserts timings.
 */
import { execFileSync } from 'node:child_process';
import { peerEnv } from './peer-env';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
// Relative imports (not @convscope/ml): a checkout of another commit benches its own code.
import { buildModel } from '../libs/ml/src/models/build-model';
import { getPreset } from '../libs/ml/src/models/presets';
import {
  MC_DEFAULT_MAX_ROWS,
  mcPredict,
  summarizePasses,
} from '../libs/ml/src/uncertainty/mc-predict';
import { selectBackend } from '../libs/ml/src/backend/select-backend';
import { loadOnednnAddon } from '../libs/ml/src/backend/onednn/addon';

const TORCH_SCRIPT = fileURLToPath(new URL('./torch_mc_passes.py', import.meta.url));
const MODELS = ['mc-dropout-cnn', 'vnn'] as const;
type McModel = (typeof MODELS)[number];

/** Options of {@link benchMcPasses}; every size also reads an environment variable. */
export interface McPassesOptions {
  /** Images N (BENCH_MC_N, default 50). */
  samples?: number;
  /** Passes T (BENCH_MC_T, default 100). */
  passes?: number;
  /** Rounds of ours and PyTorch each (BENCH_MC_ROUNDS, default 3). */
  rounds?: number;
  /** Rows per forward, ours and PyTorch's (BENCH_MC_ROWS, default mcPredict's). */
  maxRowsPerBatch?: number;
  /** Passes of the extra long round (BENCH_MC_LONG_T, default 1000; 0 skips it). */
  longPasses?: number;
  /** Backend to select first (default: the active one). */
  backend?: string;
}

/** One round of one model: passes/s with and without the statistics. */
interface RoundFigures {
  passesPerSec: number;
  forwardPassesPerSec: number;
  torchPassesPerSec: number | null;
  torchForwardPassesPerSec: number | null;
  ratio: number | null;
  forwardRatio: number | null;
}

const envNumber = (name: string): number | undefined =>
  process.env[name] === undefined ? undefined : Number(process.env[name]);
const r2 = (v: number): number => Math.round(v * 100) / 100;
const r3 = (v: number): number => Math.round(v * 1000) / 1000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** (max - min) / median of the defined values; null with fewer than two. */
function spread(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  const m = median(v);
  if (v.length < 2 || !m) return null;
  return r3((Math.max(...v) - Math.min(...v)) / m);
}

/** Ours: wall seconds of mcPredict (statistics included) and of its summarizePasses. */
function oursSeconds(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  passes: number,
  maxRowsPerBatch: number | undefined,
): { totalS: number; summaryS: number } {
  const t0 = performance.now();
  const r = mcPredict(model, images, { passes, maxRowsPerBatch });
  const totalS = (performance.now() - t0) / 1000;
  // The same statistics again, on the kept passes: what mcPredict spent summarising.
  const t1 = performance.now();
  summarizePasses(r.passProbabilities ?? [], r.numSamples, passes, r.numClasses);
  return { totalS, summaryS: (performance.now() - t1) / 1000 };
}

type TorchRun = Partial<
  Record<McModel, { passes_per_s: number; passes_per_s_with_summary: number }>
> & { error?: string };

function torchRun(
  samples: number,
  passes: number,
  threads: number,
  maxRows: number,
): TorchRun | null {
  if (!existsSync('/usr/bin/python3')) return null;
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [TORCH_SCRIPT, String(samples), String(passes), String(threads), String(maxRows)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: peerEnv() },
    );
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as TorchRun;
  } catch (err) {
    // python3 without torch, or the script failed: say so instead of a figure.
    return { error: String(err instanceof Error ? err.message : err).slice(0, 300) };
  }
}

/** The oneDNN thread count on 'onednn' (PyTorch gets as many); 1 elsewhere (wasm is single-threaded). */
function backendThreads(backend: string): number {
  if (backend !== 'onednn') return 1;
  try {
    return loadOnednnAddon().getNumThreads();
  } catch {
    return 1;
  }
}

/** Rounds of ours then PyTorch at one size; figures per model. */
async function roundsAt(
  models: Record<McModel, tf.LayersModel>,
  samples: number,
  passes: number,
  rounds: number,
  maxRows: number | undefined,
  threads: number,
): Promise<Record<McModel, RoundFigures[]>> {
  const images = tf.randomUniform<tf.Rank.R4>([samples, 32, 32, 3], 0, 1, 'float32', 7);
  const out = { 'mc-dropout-cnn': [], vnn: [] } as Record<McModel, RoundFigures[]>;
  try {
    for (let round = 0; round < rounds; round++) {
      const ours = {} as Record<McModel, { totalS: number; summaryS: number }>;
      for (const name of MODELS) ours[name] = oursSeconds(models[name], images, passes, maxRows);
      const torch = torchRun(samples, passes, threads, maxRows ?? MC_DEFAULT_MAX_ROWS);
      for (const name of MODELS) {
        const { totalS, summaryS } = ours[name];
        const passesPerSec = passes / totalS;
        const forwardPassesPerSec = passes / Math.max(1e-9, totalS - summaryS);
        const t = torch?.[name];
        out[name].push({
          passesPerSec,
          forwardPassesPerSec,
          torchPassesPerSec: t ? t.passes_per_s_with_summary : null,
          torchForwardPassesPerSec: t ? t.passes_per_s : null,
          ratio: t ? passesPerSec / t.passes_per_s_with_summary : null,
          forwardRatio: t ? forwardPassesPerSec / t.passes_per_s : null,
        });
      }
      if (torch?.error) console.error(`torch_mc_passes.py: ${torch.error}`);
      // Let the event loop breathe between rounds (logging, timers of the caller).
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    images.dispose();
  }
  return out;
}

/** Medians of a model's rounds, the ratio's spread and every round (rounded). */
function summarize(rounds: RoundFigures[], samples: number, passes: number) {
  const med = (f: (r: RoundFigures) => number | null): number | null => {
    const m = median(rounds.map(f).filter((v): v is number => v !== null));
    return m === null ? null : r2(m);
  };
  const medRatio = median(rounds.map((r) => r.ratio).filter((v): v is number => v !== null));
  const medForward = median(
    rounds.map((r) => r.forwardRatio).filter((v): v is number => v !== null),
  );
  return {
    samples,
    passes,
    passesPerSec: med((r) => r.passesPerSec),
    forwardPassesPerSec: med((r) => r.forwardPassesPerSec),
    imagesPerSec: med((r) => r.passesPerSec * samples),
    torchPassesPerSec: med((r) => r.torchPassesPerSec),
    torchForwardPassesPerSec: med((r) => r.torchForwardPassesPerSec),
    ratio: medRatio === null ? null : r3(medRatio),
    forwardRatio: medForward === null ? null : r3(medForward),
    ratioSpread: spread(rounds.map((r) => r.ratio)),
    rounds: rounds.map((r) => ({
      passesPerSec: r2(r.passesPerSec),
      forwardPassesPerSec: r2(r.forwardPassesPerSec),
      torchPassesPerSec: r.torchPassesPerSec === null ? null : r2(r.torchPassesPerSec),
      ratio: r.ratio === null ? null : r3(r.ratio),
    })),
  };
}

/**
 * Passes/s of mcPredict on `mc-dropout-cnn` and `vnn` (32x32x3) against PyTorch, alternating
 * rounds; see the file's comment for the sizes and the environment variables.
 */
export async function benchMcPasses(
  options: McPassesOptions = {},
): Promise<Record<string, unknown>> {
  if (options.backend) await selectBackend({ requested: options.backend });
  const backend = tf.getBackend();
  const samples = options.samples ?? envNumber('BENCH_MC_N') ?? 50;
  const passes = options.passes ?? envNumber('BENCH_MC_T') ?? 100;
  const rounds = options.rounds ?? envNumber('BENCH_MC_ROUNDS') ?? 3;
  const maxRows = options.maxRowsPerBatch ?? envNumber('BENCH_MC_ROWS');
  const longPasses = options.longPasses ?? envNumber('BENCH_MC_LONG_T') ?? 1000;
  const threads = backendThreads(backend);
  const models = {} as Record<McModel, tf.LayersModel>;
  for (const name of MODELS) {
    models[name] = buildModel({ ...getPreset(name), inputShape: [32, 32, 3] }, { seed: 1 });
    // Warm-up: kernel set-up and oneDNN's primitive cache at this size.
    const x = tf.randomUniform<tf.Rank.R4>([samples, 32, 32, 3]);
    mcPredict(models[name], x, { passes: 2, maxRowsPerBatch: maxRows, keepPasses: false });
    x.dispose();
  }
  const loadBefore = os.loadavg();
  const t0 = performance.now();
  try {
    const main = await roundsAt(models, samples, passes, rounds, maxRows, threads);
    const out: Record<string, unknown> = {};
    for (const name of MODELS) out[name] = summarize(main[name], samples, passes);
    if (longPasses > 0) {
      const longSamples = Math.max(1, Math.round((samples * passes) / longPasses));
      const long = await roundsAt(models, longSamples, longPasses, 1, maxRows, threads);
      out.long = Object.fromEntries(
        MODELS.map((name) => [name, summarize(long[name], longSamples, longPasses)]),
      );
    }
    return {
      ...out,
      backend,
      threads,
      torchThreads: threads,
      torchBatching: 'stacked passes, as mcPredict (bench/torch_mc_passes.py)',
      maxRowsPerBatch: maxRows ?? MC_DEFAULT_MAX_ROWS,
      syntheticData: true,
      seconds: r2((performance.now() - t0) / 1000),
      loadavgBefore: loadBefore.map(r2),
      loadavgAfter: os.loadavg().map(r2),
      cpus: os.cpus().length,
    };
  } finally {
    for (const m of Object.values(models)) m.dispose();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const requested = process.argv[2];
  if (requested) await selectBackend({ requested });
  else
    await selectBackend({ requested: 'onednn' }).catch(async () => {
      await selectBackend();
    });
  console.log(JSON.stringify(await benchMcPasses(), null, 2));
}
