#!/usr/bin/env node
// `npm run train -- --preset fmnist-cnn --epochs 5 --project demo [--data DIR] [--api URL]`
// `npm run train -- --config examples/cifar3-cnn.yaml [flags overriding the config]`
// Trains a preset or a config and logs the run(s) to a running API. Exit code 0 on success,
// 1 on failure, 2 on bad usage (including an invalid config).
import path from 'node:path';
import { trainExperiment } from '../train/train-experiment';
import { runExperimentConfig } from '../train/run-config';
import { ConfigError, loadExperimentConfig, type ExperimentConfig } from '../models/config';
import { PRESETS } from '../models/presets';
import type { RetryInfo } from '../tracking/graphql-client';
import type { BatchInfo, EpochLogs } from '../train/fit';
import type { TrainExperimentOptions } from '../train/experiment-options';

type TrainStartInfo = Parameters<NonNullable<TrainExperimentOptions['onStart']>>[0];
import {
  apiUrlFlag,
  numberFlag,
  parseCli,
  usageFailure,
  UsageError,
  type CliArgs,
} from './cli-args';
import { createProgressBar, formatSeconds } from './progress-bar';

/** One progress line per epoch; validation figures only when there is a validation split. */
function epochLine(e: number, epochs: number, l: EpochLogs): string {
  const val =
    l.val_loss === undefined
      ? ''
      : `  val_loss ${l.val_loss.toFixed(4)}  val_acc ${l.val_accuracy?.toFixed(4)}`;
  return `epoch ${e + 1}/${epochs}  loss ${l.loss.toFixed(4)}  acc ${l.accuracy.toFixed(4)}${val}  ${formatSeconds(l.epoch_time_s)}  ${Math.round(l.train_images_per_s)} img/s`;
}

/** What the terminal shows while the API is down: the run goes on once it is back. */
function retryLine(r: RetryInfo): string {
  return `API unreachable (${r.what}: ${r.error}); retry ${r.attempt} in ${formatSeconds(r.delayMs / 1000)}, giving up after ${formatSeconds(r.budgetMs / 1000)}`;
}

type ProgressBar = ReturnType<typeof createProgressBar>;

/** The terminal's view of training: a start line, a bar per batch, a line per epoch, retries. */
function progress(bar: ProgressBar, model: string, apiUrl: string | undefined) {
  let epochs = 0;
  let epochStart = Date.now();
  return {
    onApiRetry: (r: RetryInfo) => bar.line(retryLine(r)),
    onStart: (info: TrainStartInfo) => {
      epochs = info.epochs;
      bar.line(
        `Training ${model} on ${info.trainCount} images, backend ${info.backend.backend} (${info.backend.reason})` +
          (info.runId ? `\nRun ${info.runId} logged to ${apiUrl}` : ''),
      );
    },
    onBatch: (b: BatchInfo) => {
      if (b.batch === 0) epochStart = Date.now();
      const elapsed = (Date.now() - epochStart) / 1000;
      const eta = ((b.batchesPerEpoch - b.batch - 1) * elapsed) / (b.batch + 1);
      bar.update(
        b.batch + 1,
        b.batchesPerEpoch,
        `epoch ${b.epoch + 1}/${epochs} loss ${b.loss.toFixed(4)} acc ${b.accuracy.toFixed(3)} eta ${formatSeconds(eta)}`,
      );
    },
    onEpoch: (e: number, l: EpochLogs) => {
      bar.line(epochLine(e, epochs, l));
    },
  };
}

const USAGE = `Usage: npm run train -- --preset NAME [options]
       npm run train -- --config FILE [options]

  --preset NAME          model preset (${Object.keys(PRESETS).join(', ')})
  --config FILE          JSON/YAML experiment config (model, training, data, transfer; see examples/);
                         the options below override its values
  --epochs N             epochs (default: the preset's)
  --batch-size N         batch size (default: the preset's)
  --lr X                 learning rate (default: the preset's)
  --seed N               seed of weights, split and shuffles (default 42)
  --patience N           early-stopping patience on val_loss (default 3)
  --validation-split X   fraction of training data for validation (default 0.1)
  --data DIR             directory with the Fashion-MNIST IDX files (default: committed subset);
                         with --config, replaces the config's data.dir or data.folder
  --limit N              use only the first N training images
  --project NAME         project to log the run to (default "default")
  --name NAME            run name
  --tag TAG              tag (repeatable)
  --api URL              API origin (default $API_URL or http://localhost:4000)
  --api-key KEY          API key (default $CONVSCOPE_API_KEY, else the local API's key file
                         data/local-api-key when the API is on this machine)
  --no-track             train without logging to the API
  --backend NAME         force a backend: tensorflow-gpu, tensorflow, onednn, wasm, cpu
  --out DIR              also write model.json + weights.bin to DIR
  --uncertainty-passes N stochastic passes of the uncertainty evaluation of an MC-dropout or
                         variational model (default 100; 0: none)
  -h, --help             this text`;

/** A non-negative number flag (integer unless `integer: false`), undefined when absent. */
function num(value: string | undefined, flag: string, integer = true): number | undefined {
  return numberFlag(value, flag, { integer, min: 0 });
}

const OPTIONS = {
  preset: { type: 'string' },
  config: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  patience: { type: 'string' },
  'validation-split': { type: 'string' },
  data: { type: 'string' },
  limit: { type: 'string' },
  project: { type: 'string' },
  name: { type: 'string' },
  tag: { type: 'string', multiple: true },
  api: { type: 'string' },
  'api-key': { type: 'string' },
  'no-track': { type: 'boolean' },
  backend: { type: 'string' },
  out: { type: 'string' },
  'uncertainty-passes': { type: 'string' },
} as const;

type Args = CliArgs<typeof OPTIONS>['values'];

async function main(): Promise<number> {
  const parsed = parseCli({ usage: USAGE, options: OPTIONS });
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args.values;
  const bar = createProgressBar();
  try {
    if (args.config) {
      if (args.preset) throw new UsageError('give --preset or --config, not both');
      return await runConfig(args.config, args, bar);
    }
    if (!args.preset) throw new UsageError('--preset or --config is required');
    if (!PRESETS[args.preset])
      throw new UsageError(
        `unknown preset "${args.preset}"; available: ${Object.keys(PRESETS).join(', ')}`,
      );
    const apiUrl = args['no-track'] ? undefined : apiUrlFlag(args.api);
    const result = await trainExperiment({
      preset: args.preset,
      epochs: num(args.epochs, '--epochs'),
      batchSize: num(args['batch-size'], '--batch-size'),
      learningRate: num(args.lr, '--lr', false),
      seed: num(args.seed, '--seed'),
      patience: num(args.patience, '--patience'),
      validationSplit: num(args['validation-split'], '--validation-split', false),
      dataDir: args.data,
      trainLimit: num(args.limit, '--limit'),
      project: args.project,
      runName: args.name,
      tags: args.tag,
      apiUrl,
      apiKey: args['api-key'],
      backend: args.backend,
      outDir: args.out,
      uncertaintyPasses: num(args['uncertainty-passes'], '--uncertainty-passes'),
      ...progress(bar, args.preset, apiUrl),
    });
    bar.stop();
    console.log(
      JSON.stringify({
        runId: result.runId ?? null,
        backend: result.backend.backend,
        epochs: result.history.length,
        bestEpoch: result.bestEpoch + 1,
        testAccuracy: Number(result.testAccuracy.toFixed(4)),
        testLoss: Number(result.testLoss.toFixed(4)),
        trainImagesPerSec: Math.round(result.trainImagesPerSec),
        wallSeconds: Math.round(result.wallSeconds),
      }),
    );
    return 0;
  } catch (err) {
    bar.stop();
    if (err instanceof UsageError) return usageFailure(USAGE, err.message);
    if (err instanceof ConfigError) {
      console.error(`error: ${err.message}`);
      return 2;
    }
    console.error(`training failed: ${(err as Error).message}`);
    return 1;
  }
}

/** The command-line flags given with `--config` override the config's values. */
function overrideConfig(config: ExperimentConfig, args: Args): void {
  const t = config.training;
  t.epochs = num(args.epochs, '--epochs') ?? t.epochs;
  t.batchSize = num(args['batch-size'], '--batch-size') ?? t.batchSize;
  t.learningRate = num(args.lr, '--lr', false) ?? t.learningRate;
  t.patience = num(args.patience, '--patience') ?? t.patience;
  t.validationSplit =
    num(args['validation-split'], '--validation-split', false) ?? t.validationSplit;
  t.trainLimit = num(args.limit, '--limit') ?? t.trainLimit;
  t.uncertaintyPasses =
    num(args['uncertainty-passes'], '--uncertainty-passes') ?? t.uncertaintyPasses;
  const seed = num(args.seed, '--seed');
  if (seed !== undefined) {
    t.seed = seed;
    delete t.seeds;
  }
  if (args.data) {
    // A path typed on the command line is relative to the working directory.
    if (config.data.source === 'fashion-mnist') config.data.dir = args.data;
    else config.data.folder = path.resolve(args.data);
  }
  config.project = args.project ?? config.project;
  config.name = args.name ?? config.name;
  if (args.tag) config.tags = [...(config.tags ?? []), ...args.tag];
}

/** `--config FILE`: flags override the config; every run of the config is trained (and tracked). */
async function runConfig(configFile: string, args: Args, bar: ProgressBar): Promise<number> {
  const config = await loadExperimentConfig(configFile);
  overrideConfig(config, args);
  const apiUrl = args['no-track'] ? undefined : apiUrlFlag(args.api);
  const result = await runExperimentConfig(config, {
    apiUrl,
    apiKey: args['api-key'],
    backend: args.backend,
    outDir: args.out,
    onRunStart: (description) => bar.line(`== ${description}`),
    ...progress(bar, config.preset.name, apiUrl),
  });
  bar.stop();
  const round = (x: number | undefined) => (x === undefined ? null : Number(x.toFixed(4)));
  console.log(
    JSON.stringify({
      config: config.source,
      runs: result.runs.map((r) => ({
        role: r.role,
        seed: r.seed,
        runId: r.result.runId ?? null,
        backend: r.result.backend.backend,
        epochs: r.result.history.length,
        phases: r.result.phases.length > 1 ? r.result.phases : undefined,
        testAccuracy: round(r.result.testAccuracy),
        testLoss: round(r.result.testLoss),
        wallSeconds: Math.round(r.result.wallSeconds),
      })),
      comparison: result.comparison && {
        seeds: result.comparison.seeds,
        transferTestAccuracy: round(result.comparison.transfer),
        scratchTestAccuracy: round(result.comparison.scratch),
        difference: round(result.comparison.difference),
      },
    }),
  );
  return 0;
}

process.exitCode = await main();
