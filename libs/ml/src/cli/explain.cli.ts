#!/usr/bin/env node
// `npm run explain -- <gradcam|activations|filters|layers> --model DIR ...`: explanations of a
// stored model (a folder with model.json + weights.bin, as writeModelDir writes it) for one
// image, written as JSON. Exit code 1 on failure, 2 on bad usage.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { channelStatistics, layerActivations } from '../explain/activations';
import { classActivationMap, type CamMethod } from '../explain/cam';
import { filterPatterns } from '../explain/filter-patterns';
import { listLayers, resolveLayer } from '../explain/graph';
import { loadImageForModel, loadModelDir } from '../explain/model-dir';
import { explainStoredRun } from '../explain/pack/explanation-pack';

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

type Args = Record<string, string | boolean | undefined>;

/** Nested rows `[h][w]` of one sample of a `[batch, h, w]` array. */
function rows(data: Float32Array, h: number, w: number, sample = 0): number[][] {
  return Array.from({ length: h }, (_, i) =>
    Array.from(data.subarray(sample * h * w + i * w, sample * h * w + (i + 1) * w)),
  );
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  return n;
}

class UsageError extends Error {}

function need(args: Args, name: string): string {
  const v = args[name];
  if (typeof v !== 'string') throw new UsageError(`--${name} is required`);
  return v;
}

async function gradcam(model: tf.LayersModel, args: Args): Promise<object> {
  const method = (args.method as string | undefined) ?? 'gradcam';
  if (!CAM_METHODS.includes(method as CamMethod))
    throw new UsageError(`--method must be one of ${CAM_METHODS.join(', ')}, got "${method}"`);
  const layer = args.layer as string | undefined;
  if (layer !== undefined) resolveLayer(model, layer); // unknown names fail before decoding
  const image = await loadImageForModel(model, need(args, 'image'));
  try {
    const r = classActivationMap({
      model,
      images: image,
      layer,
      method: method as CamMethod,
      classIndex: integer('class', args.class as string | undefined),
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
  const layer = args.layer as string | undefined;
  if (layer !== undefined) resolveLayer(model, layer);
  const image = await loadImageForModel(model, need(args, 'image'));
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
  const layer = need(args, 'layer');
  resolveLayer(model, layer);
  const channels =
    typeof args.channels === 'string'
      ? args.channels.split(',').map((c) => integer('channels', c.trim())!)
      : undefined;
  const r = await filterPatterns(model, {
    layer,
    channels,
    steps: integer('steps', args.steps as string | undefined),
    seed: integer('seed', args.seed as string | undefined),
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
  let args: Args;
  let command: string | undefined;
  try {
    const parsed = parseArgs({
      allowPositionals: true,
      options: {
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    args = parsed.values;
    command = parsed.positionals[0];
    if (parsed.positionals.length > 1)
      throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const commands: Record<string, (m: tf.LayersModel, a: Args) => Promise<object>> = {
    gradcam,
    activations,
    filters,
    layers: async (m) => ({ layers: listLayers(m) }),
  };
  if (command === 'pack') return pack(args);
  if (!command || !commands[command]) {
    console.error(
      `error: ${command ? `unknown command "${command}"` : 'a command is required'}\n\n${USAGE}`,
    );
    return 2;
  }
  try {
    const modelDir = need(args, 'model');
    await selectBackend({ requested: args.backend as string | undefined });
    const model = await loadModelDir(modelDir);
    const result = await commands[command](model, args);
    model.dispose();
    const json = JSON.stringify(result);
    if (typeof args.out === 'string') {
      await writeFile(args.out, json);
      console.error(`wrote ${args.out}`);
    } else {
      console.log(json);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`explain ${command} failed: ${(err as Error).message}`);
    return 1;
  }
}

// The pack works on a run stored in the API, not on a model folder.
async function pack(args: Args): Promise<number> {
  try {
    const result = await explainStoredRun({
      apiUrl: (args.api as string | undefined) ?? process.env.API_URL ?? 'http://localhost:4000',
      apiKey: args['api-key'] as string | undefined,
      runId: need(args, 'run'),
      dataDir: args.data as string | undefined,
      backend: args.backend as string | undefined,
      options: {
        samples: integer('samples', args.samples as string | undefined),
        filterSteps: integer('steps', args.steps as string | undefined),
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
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`explain pack failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
