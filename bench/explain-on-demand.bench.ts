/**
 * What one on-demand explanation costs the explain worker (explainSample / POST
 * /runs/:id/explain) on the demo's model, fmnist-cnn: seconds of computeExplanation for a job of
 * each single method (its heatmap, deletion/insertion faithfulness over 20 steps, plus the
 * top-k, result.cam and the activations every job has), and for the default 4-method job the
 * explanations page asks. Warm (one untimed job first), median of `repeats`. Standalone:
 *   npx tsx bench/explain-on-demand.bench.ts [backend] [repeats]
 * prints one JSON object. Not a test: nothing here asserts timings.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  buildModel,
  computeExplanation,
  getPreset,
  selectBackend,
  type ExplainJobParams,
} from '@convscope/ml';

const METHODS = [
  'gradcam',
  'gradcampp',
  'layercam',
  'eigencam',
  'scorecam',
  'saliency',
  'smoothgrad',
  'integrated-gradients',
] as const;

/** What {@link benchExplainOnDemand} reports (seconds per job, medians). */
export interface ExplainOnDemandFigures {
  backend: string;
  repeats: number;
  /** A job of one method, by method. */
  singleMethodJobS: Record<string, number>;
  /** A job of gradcam, saliency, smoothgrad and integrated-gradients together. */
  fourMethodJobS: number;
  /** Bytes of that job's result as JSON (what the API stores). */
  fourMethodResultBytes: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** Seconds of one computeExplanation call (median of `repeats` after a warm-up), and its result. */
async function timeJob(
  model: tf.LayersModel,
  image: tf.Tensor4D,
  params: ExplainJobParams,
  repeats: number,
): Promise<{ seconds: number; bytes: number }> {
  let bytes = JSON.stringify(await computeExplanation(model, image, params)).length;
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    bytes = JSON.stringify(await computeExplanation(model, image, params)).length;
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: Math.round(median(times) * 1000) / 1000, bytes };
}

/** Times the jobs on a seeded fmnist-cnn and one random 28x28 image. */
export async function benchExplainOnDemand(
  options: { repeats?: number } = {},
): Promise<ExplainOnDemandFigures> {
  const repeats = options.repeats ?? 3;
  const model = buildModel(getPreset('fmnist-cnn'), { seed: 1 });
  const image = tf.randomUniform<tf.Rank.R4>([1, 28, 28, 1], 0, 1, 'float32', 3);
  const base = { classIndex: null, layer: null, topK: 5, activationsLayer: null };
  const singleMethodJobS: Record<string, number> = {};
  for (const m of METHODS) {
    const cam = ['gradcam', 'gradcampp', 'layercam', 'eigencam', 'scorecam'].includes(m);
    const params = { ...base, method: cam ? m : 'gradcam', methods: [m] } as ExplainJobParams;
    singleMethodJobS[m] = (await timeJob(model, image, params, repeats)).seconds;
  }
  const four = await timeJob(
    model,
    image,
    {
      ...base,
      method: 'gradcam',
      methods: ['gradcam', 'saliency', 'smoothgrad', 'integrated-gradients'],
    },
    repeats,
  );
  image.dispose();
  model.dispose();
  return {
    backend: tf.getBackend(),
    repeats,
    singleMethodJobS,
    fourMethodJobS: four.seconds,
    fourMethodResultBytes: four.bytes,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await selectBackend({ requested: process.argv[2] });
  const figures = await benchExplainOnDemand({
    repeats: process.argv[3] ? Number(process.argv[3]) : undefined,
  });
  console.log(JSON.stringify(figures));
}
