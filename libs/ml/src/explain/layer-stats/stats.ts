/**
 * One epoch's layer statistics of a model on a probe batch: every weighted layer's weights and
 * loss gradients summarised (histogram, percentile band, norms) and the dead units of its ReLU
 * layers. One forward and backward pass in inference mode (dropout off, batch norm on its moving
 * statistics), so the same weights and batch always give the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { summarizeValues, type SummarizeOptions } from './histogram';
import type { DeadUnits, LayerStats, LayerStatsSkip, TensorStats } from './types';

/** The probe batch: scaled images and encoded labels, as the model trains on them. */
export interface ProbeBatch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
}

/** A layer with weights, with the name its statistics are stored under. */
interface WeightedLayer {
  name: string;
  layer: tf.layers.Layer;
}

/** What {@link LayerStatsProbe.compute} returns. */
export interface LayerStatsResult {
  /** The probe batch's loss (data loss plus weight regularisation). */
  loss: number;
  layers: LayerStats[];
  dead: DeadUnits[];
  skipped: LayerStatsSkip[];
}

/** Options of {@link LayerStatsProbe.compute}. */
export interface ComputeOptions extends SummarizeOptions {
  /** Layers not summarised once this many seconds have passed are skipped and listed. */
  maxSeconds?: number;
  /** Clock in ms (default performance.now). */
  now?: () => number;
}

/** The model's loss per sample from its compiled loss name (or function). */
export function lossFunction(model: tf.LayersModel): (ys: tf.Tensor, pred: tf.Tensor) => tf.Tensor {
  const loss: unknown = Array.isArray(model.loss) ? model.loss[0] : model.loss;
  if (typeof loss === 'function') return loss as (ys: tf.Tensor, pred: tf.Tensor) => tf.Tensor;
  switch (loss) {
    case 'categoricalCrossentropy':
      return tf.metrics.categoricalCrossentropy;
    case 'binaryCrossentropy':
      return tf.metrics.binaryCrossentropy;
    case 'meanSquaredError':
      return tf.metrics.meanSquaredError;
    default:
      throw new Error(
        `layer statistics: unsupported loss ${String(loss)} (compile the model first)`,
      );
  }
}

/** Every layer with weights, nested models flattened (their layers named `model/layer`). */
export function weightedLayers(model: tf.LayersModel, prefix = ''): WeightedLayer[] {
  return model.layers.flatMap((layer): WeightedLayer[] => {
    if (layer instanceof tf.LayersModel) return weightedLayers(layer, `${prefix}${layer.name}/`);
    return layer.weights.length > 0 ? [{ name: prefix + layer.name, layer }] : [];
  });
}

/** True when a layer's output is ReLU'd: a ReLU layer, a relu Activation, or relu as its activation. */
export function isReluLayer(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() === 'ReLU') return true;
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  return activation === 'relu';
}

/**
 * The statistics of one model on one probe batch, epoch after epoch. Made once per run: it holds
 * a second view of the model (same layers and weights, never disposed) whose extra outputs are
 * the top-level ReLU layers' activations.
 */
export class LayerStatsProbe {
  private readonly view: tf.LayersModel;
  private readonly relu: tf.layers.Layer[];
  private readonly weighted: WeightedLayer[];
  private readonly loss: (ys: tf.Tensor, pred: tf.Tensor) => tf.Tensor;

  constructor(readonly model: tf.LayersModel) {
    this.loss = lossFunction(model);
    this.weighted = weightedLayers(model);
    // A layer called more than once has no single output; it is left out of the dead count.
    this.relu = model.layers.filter((l) => isReluLayer(l) && l.inboundNodes.length === 1);
    this.view = tf.model({
      inputs: model.inputs,
      outputs: [...model.outputs, ...this.relu.map((l) => l.output as tf.SymbolicTensor)],
    });
  }

  /** Names of the layers with weights, in model order. */
  get layerNames(): string[] {
    return this.weighted.map((w) => w.name);
  }

  /**
   * Computes the statistics on `probe` (the caller keeps and disposes it). Leaves no tensor.
   * @throws when the model's output does not match the labels or a value is not finite
   */
  async compute(probe: ProbeBatch, options: ComputeOptions = {}): Promise<LayerStatsResult> {
    const now = options.now ?? (() => performance.now());
    const started = now();
    const { loss, grads, maxima } = this.pass(probe);
    let gradData: Map<string, Float32Array>;
    let maxData: Float32Array[];
    try {
      gradData = new Map(
        await Promise.all(
          Object.entries(grads).map(
            async ([k, g]) => [k, (await g.data()) as Float32Array] as const,
          ),
        ),
      );
      maxData = await Promise.all(maxima.map(async (m) => (await m.data()) as Float32Array));
    } finally {
      tf.dispose([grads, maxima]);
    }
    const dead = this.relu.map((layer, i) => deadUnits(layer.name, maxData[i]!));
    const layers: LayerStats[] = [];
    const skipped: LayerStatsSkip[] = [];
    for (const w of this.weighted) {
      if (options.maxSeconds !== undefined && (now() - started) / 1000 > options.maxSeconds) {
        skipped.push({ what: w.name, reason: `time budget of ${options.maxSeconds} s spent` });
        continue;
      }
      layers.push(await summarizeLayer(w, gradData, options));
    }
    return { loss, layers, dead, skipped };
  }

  /** The forward and backward pass: loss, gradients by variable name, per-unit maxima of the ReLU outputs. */
  private pass(probe: ProbeBatch): {
    loss: number;
    grads: tf.NamedTensorMap;
    maxima: tf.Tensor[];
  } {
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const maxima: tf.Tensor[] = [];
    const f = (): tf.Scalar => {
      const out = this.view.apply(probe.xs, { training: false }) as tf.Tensor | tf.Tensor[];
      // A single output (no top-level ReLU layer) comes as a tensor, not a list.
      const outs = Array.isArray(out) ? out : [out];
      const [pred, ...acts] = outs;
      // Max over every axis but the last (units, or a conv's channels): 0 means never active.
      for (const a of acts) maxima.push(tf.keep(tf.max(a, range(a.rank - 1))));
      let total = tf.mean<tf.Scalar>(this.loss(probe.ys, pred!));
      for (const w of this.weighted)
        for (const r of w.layer.calculateLosses()) total = tf.add(total, r);
      return total;
    };
    try {
      if (variables.length === 0) {
        const value = tf.tidy(f);
        const loss = value.dataSync()[0]!;
        value.dispose();
        return { loss, grads: {}, maxima };
      }
      const { value, grads } = tf.variableGrads(f, variables);
      const loss = value.dataSync()[0]!;
      value.dispose();
      return { loss, grads, maxima };
    } catch (err) {
      tf.dispose(maxima);
      throw err;
    }
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Dead units from the per-unit maxima of a ReLU output. */
export function deadUnits(name: string, maxima: ArrayLike<number>): DeadUnits {
  let dead = 0;
  for (let i = 0; i < maxima.length; i++) if (!(maxima[i]! > 0)) dead++;
  const units = maxima.length;
  return { name, units, dead, fraction: units === 0 ? 0 : dead / units };
}

async function summarizeLayer(
  w: WeightedLayer,
  grads: Map<string, Float32Array>,
  options: SummarizeOptions,
): Promise<LayerStats> {
  const tensors: TensorStats[] = [];
  let weightSquares = 0;
  let gradSquares = 0;
  let hasGrad = false;
  for (const lv of w.layer.weights) {
    const variable = lv.read() as tf.Variable;
    const weight = lv.originalName.split('/').pop() ?? lv.originalName;
    const shape = lv.shape.map((d) => d ?? 0);
    const values = (await variable.data()) as Float32Array;
    if (values.length === 0) continue;
    const v = summarizeValues(values, options);
    weightSquares += v.l2 * v.l2;
    tensors.push({ weight, role: 'value', shape, ...v });
    const g = grads.get(variable.name);
    if (g && g.length > 0) {
      const s = summarizeValues(g, options);
      gradSquares += s.l2 * s.l2;
      hasGrad = true;
      tensors.push({ weight, role: 'gradient', shape, ...s });
    }
  }
  return {
    name: w.name,
    className: w.layer.getClassName(),
    weightNorm: Math.sqrt(weightSquares),
    ...(hasGrad ? { gradNorm: Math.sqrt(gradSquares) } : {}),
    tensors,
  };
}
