#!/usr/bin/env node
// `npm run explain -- <gradcam|activations|filters|layers> --model DIR ...`: explanations of a
// stored model (a folder with model.json + weights.bin, as writeModelDir writes it) for one
// image, written as JSON. Exit code 1 on failure, 2 on bad usage.
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { channelStatistics, layerActivations } from '../explain/activations';
import { classActivationMap, type CamMethod } from '../explain/cam';
import { filterPatterns } from '../explain/filter-patterns';
import { listLayers, resolveLayer } from '../explain/graph';
import { loadImageForModel, loadModelDir } from '../explain/model-dir';
import { explainStoredRun } from '../explain/pack/explanation-pack';
import {
  apiUrlFlag,
  numberFlag,
  parseCli,
  requiredFlag,
  usageFailure,
  UsageError,
  type CliArgs,
} from './cli-args';

const CAM_METHODS: CamMethod[] = ['gradcam', 'gradcampp', 'layercam', 'scorecam', 'eigencam'];

const USAGE = `Usage: npm run explain -- <command> --model DIR [options]

Commands:
  gradcam       class activation map of one image
                  --image FILE [--class K] [--layer NAME] [--method ${CAM_METHODS.join('|')}]
                  writes { layer, method, classIndex, score, map: [[..]], heatmap: [[..]] }
  activations   layer outputs for one image, with per-channel statistics
                  --image FILE [--layer NAME] (default: every layer)
                  writes { layers: [{ layer, shape, values, statistics }] }
  filters       input patterns that maximise channels of a layer (gradient ascent)
                  --layer NAME [--channels 0,1,2] [--steps N] [--seed S]
                  writes { layer, channels, imageShape, images: [[..bytes..]], losses }
  layers        the model's layers (paths as --layer takes them: base/conv2 inside nested models)
  pack          the explanation pack of a stored run, stored with the run (no --model)
                  --run ID [--api URL] [--api-key KEY] [--data DIR] [--samples N] [--steps N]
                  writes { files, totalBytes, seconds, timings, skipped }

Options:
  --model DIR     folder with model.json and weights.bin
  --out FILE      where the JSON goes (default: standard output)
  --backend NAME  force a backend: tensorflow-gpu, tensorflow, onednn, wasm, cpu
  --api-key KEY   (pack) API key (default $CONVSCOPE_API_KEY, else the local API's key file
                  data/local-api-key when the API is on this machine)
  -h, --help      this text`;

const OPTIONS = {
  model: { type: 'string' },
  image: { type: 'string' },
  class: { type: 'string' },
  layer: { type: 'string' },
  method: { type: 'string' },
  channels: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  run: { type: 'string' },
  api: { type: 'string' },
  'api-key': { type: 'string' },
  data: { type: 'string' },
  samples: { type: 'string' },
} as const;

type Args = CliArgs<typeof OPTIONS>['values'];

/** Nested rows `[h][w]` of one sample of a `[batch, h, w]` array. */
function rows(data: Float32Array, h: number, w: number, sample = 0): number[][] {
  return Array.from({ length: h }, (_, i) =>
    Array.from(data.subarray(sample * h * w + i * w, sample * h * w + (i + 1) * w)),
  );
}

/** An integer flag (`--class`, `--steps`, ...), undefined when absent. */
const integer = (name: string, value: string | undefined) => numberFlag(value, `--${name}`);

/** A flag the command needs. */
const need = (value: string | undefined, name: string) => requiredFlag(value, `--${name}`);

async function gradcam(model: tf.LayersModel, args: Args): Promise<object> {
  const method = CAM_METHODS.find((m) => m === (args.method ?? 'gradcam'));
  if (method === undefined)
    throw new UsageError(`--method must be one of ${CAM_METHODS.join(', ')}, got "${args.method}"`);
  const layer = args.layer;
  if (layer !== undefined) resolveLayer(model, layer); // unknown names fail before decoding
  const image = await loadImageForModel(model, need(args.image, 'image'));
  try {
    const r = classActivationMap({
      model,
      images: image,
      layer,
      method,
      classIndex: integer('class', args.class),
    });
    const [, h, w] = r.mapShape;
    const [, H, W] = r.heatmapShape;
    return {
      layer: r.layer,
      method,
      classIndex: r.classIndex[0],
      score: r.score[0],
      map: rows(r.map, h, w),
      heatmap: rows(r.heatmap, H, W),
    };
  } finally {
    image.dispose();
  }
}

async function activations(model: tf.LayersModel, args: Args): Promise<object> {
  const layer = args.layer;
  if (layer !== undefined) resolveLayer(model, layer);
  const image = await loadImageForModel(model, need(args.image, 'image'));
  try {
    const acts = layerActivations({ model, images: image, layers: layer ? [layer] : undefined });
    return {
      layers: acts.map((a) => {
        const s = channelStatistics(a);
        return {
          layer: a.layer,
          shape: a.shape,
          values: Array.from(a.data),
          statistics: {
            mean: Array.from(s.mean),
            std: Array.from(s.std),
            max: Array.from(s.max),
            zeroFraction: Array.from(s.zeroFraction),
          },
        };
      }),
    };
  } finally {
    image.dispose();
  }
}

async function filters(model: tf.LayersModel, args: Args): Promise<object> {
  const layer = need(args.layer, 'layer');
  resolveLayer(model, layer);
  const channels = args.channels?.split(',').map((c) => {
    const k = integer('channels', c.trim());
    if (k === undefined) throw new UsageError('--channels expects integers, e.g. 0,1,2');
    return k;
  });
  const r = await filterPatterns(model, {
    layer,
    channels,
    steps: integer('steps', args.steps),
    seed: integer('seed', args.seed),
  });
  return {
    layer: r.layer,
    channels: r.channels,
    imageShape: r.imageShape,
    images: r.images.map((im) => Array.from(im)),
    losses: r.losses,
  };
}

async function main(): Promise<number> {
  const parsed = parseCli({ usage: USAGE, options: OPTIONS, maxPositionals: 1 });
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args.values;
  const command = parsed.args.positionals[0];
  const commands: Record<string, (m: tf.LayersModel, a: Args) => Promise<object>> = {
    gradcam,
    activations,
    filters,
    layers: async (m) => ({ layers: listLayers(m) }),
  };
  if (command === 'pack') return pack(args);
  const run = command === undefined ? undefined : commands[command];
  if (run === undefined)
    return usageFailure(USAGE, command ? `unknown command "${command}"` : 'a command is required');
  try {
    const modelDir = need(args.model, 'model');
    await selectBackend({ requested: args.backend });
    const model = await loadModelDir(modelDir);
    const result = await run(model, args);
    model.dispose();
    const json = JSON.stringify(result);
    if (args.out !== undefined) {
      await writeFile(args.out, json);
      console.error(`wrote ${args.out}`);
    } else {
      console.log(json);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(USAGE, err.message);
    console.error(`explain ${command} failed: ${(err as Error).message}`);
    return 1;
  }
}

// The pack works on a run stored in the API, not on a model folder.
async function pack(args: Args): Promise<number> {
  try {
    const result = await explainStoredRun({
      apiUrl: apiUrlFlag(args.api),
      apiKey: args['api-key'],
      runId: need(args.run, 'run'),
      dataDir: args.data,
      backend: args.backend,
      options: {
        samples: integer('samples', args.samples),
        filterSteps: integer('steps', args.steps),
      },
    });
    const summary = result && {
      files: result.uploaded,
      totalBytes: result.index.totalBytes,
      seconds: Number(result.seconds.toFixed(2)),
      timings: result.index.timings,
      skipped: result.index.skipped,
    };
    console.log(JSON.stringify(summary ?? { files: 0, note: '--samples 0: nothing computed' }));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(USAGE, err.message);
    console.error(`explain pack failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
