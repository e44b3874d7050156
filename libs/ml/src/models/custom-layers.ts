/**
 * Custom layers of the Bayesian presets (`mc-dropout-cnn`, `vnn`). Both are registered with
 * `tf.serialization.registerClass`, so a model using them saves to model.json and loads back with
 * `tf.loadLayersModel` in any process that imports this module (the lib's index does).
 */
import * as tf from '@tensorflow/tfjs';
import { registerLayerClass, stockDropoutClass } from '../backend/tf-internals';
import { currentNoiseRun, normalNoise, randomStream, type RowKeys } from '../uncertainty/row-noise';
import { mcDropout } from '../uncertainty/mc-dropout-kernel';

/** Keyword arguments a layer's `call` receives (`training` during `fit`/`trainOnBatch`). */
type CallKwargs = { training?: boolean; [key: string]: unknown };

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  const [only, ...more] = inputs;
  if (only === undefined || more.length > 0)
    throw new Error(`expected one input tensor, got ${inputs.length}`);
  return only;
}

/**
 * The noise stream of one call of a random layer: `seed + callIndex` (a random one without a
 * seed). Inside an MC run (../uncertainty/row-noise) every forward of the run shares the stream
 * the layer took when it first saw the run, and rows are keyed by (pass, sample).
 */
class NoiseStreams {
  private calls = 0;
  private runId = -1;
  private runStream = 0;

  constructor(private readonly seed: number | undefined) {}

  next(): { stream: number; rows: RowKeys | null } {
    const run = currentNoiseRun();
    if (!run) return { stream: this.take(), rows: null };
    if (run.id !== this.runId) {
      this.runId = run.id;
      this.runStream = this.take();
    }
    return { stream: this.runStream, rows: run.rows };
  }

  private take(): number {
    return this.seed === undefined ? randomStream() : (this.seed + this.calls++) >>> 0;
  }
}

/** Options of {@link MCDropout}. */
export interface MCDropoutArgs {
  /** Fraction of units dropped, in [0, 1). */
  rate: number;
  /**
   * Seed of the first mask; each call uses `seed + callIndex`, so masks differ between calls yet a
   * run is reproducible (one mcPredict run counts as one call). (A fixed seed per call, as
   * tf.layers.dropout does, repeats one mask.) Without a seed the streams come from Math.random.
   */
  seed?: number;
  name?: string;
  inputShape?: number[];
}

/**
 * Dropout that stays active at prediction time (Monte Carlo dropout, Gal & Ghahramani 2016):
 * every `predict` draws a new mask, so repeated passes sample from the approximate posterior.
 * Kept units are scaled by 1 / (1 - rate) as in ordinary (inverted) dropout. Masks are
 * counter-based hashes (../uncertainty/row-noise), applied by one fused kernel: the same on every
 * backend, and per row, so stacked copies of a sample get independent masks.
 */
export class MCDropout extends tf.layers.Layer {
  static readonly className = 'MCDropout';
  readonly rate: number;
  private readonly seed?: number;
  private readonly streams: NoiseStreams;

  constructor(args: MCDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1))
      throw new RangeError(`MCDropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
    this.streams = new NoiseStreams(args.seed);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = single(inputs);
    if (this.rate === 0) return tf.clone(x);
    const { stream, rows } = this.streams.next();
    return mcDropout(x, { stream, rows, rate: this.rate });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
tf.serialization.registerClass(MCDropout);

/** Options of {@link GaussianSampling}. */
export interface GaussianSamplingArgs {
  /**
   * Weight of the KL term added to the training loss (beta of the variational information
   * bottleneck, Alemi et al. 2017). Default 1e-3. 0 trains without the KL term.
   */
  klWeight?: number;
  /** Sample the latent at prediction too (default true: repeated passes give an MC posterior); false returns the mean. */
  sampleAtInference?: boolean;
  /** Seed of the first noise draw; each call uses `seed + callIndex` (see {@link MCDropoutArgs.seed}). */
  seed?: number;
  name?: string;
  inputShape?: number[];
}

/**
 * The latent of a variational network: input `[batch, 2 * d]` holds the mean (first d columns)
 * and the log-variance (last d) of a diagonal Gaussian, typically from a linear dense layer of
 * 2 * d units; output `[batch, d]` is a sample z = mean + exp(logVar / 2) * eps with eps ~ N(0, 1)
 * (the reparameterisation trick, so gradients flow to mean and log-variance).
 *
 * During training the layer adds `klWeight * mean over the batch of KL(N(mean, var) || N(0, 1))`
 * to the model's loss through `addLoss`, with KL = -1/2 * sum_j (1 + logVar_j - mean_j^2 - exp(logVar_j)).
 * TF.js evaluates layer losses inside the training step after the forward pass, so the loss
 * function returns the KL computed by this step's `call`.
 */
export class GaussianSampling extends tf.layers.Layer {
  static readonly className = 'GaussianSampling';
  readonly klWeight: number;
  readonly sampleAtInference: boolean;
  private readonly seed?: number;
  private readonly streams: NoiseStreams;
  /** KL of the latest training-mode call; owned by the training step's scope, disposed with it. */
  private lastKl: tf.Scalar | null = null;

  constructor(args: GaussianSamplingArgs = {}) {
    super(args);
    this.klWeight = args.klWeight ?? 1e-3;
    if (!(this.klWeight >= 0)) throw new RangeError(`klWeight must be >= 0, got ${args.klWeight}`);
    this.sampleAtInference = args.sampleAtInference ?? true;
    this.seed = args.seed;
    this.streams = new NoiseStreams(args.seed);
    this.addLoss(() =>
      this.lastKl && !this.lastKl.isDisposed ? this.lastKl : tf.scalar(0, 'float32'),
    );
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [batch, last] = shape;
    if (shape.length !== 2 || batch === undefined || last == null || last % 2 !== 0)
      throw new Error(
        `GaussianSampling expects input [batch, 2 * latentSize] (mean and log-variance), got [${shape.join(', ')}]`,
      );
    return [batch, last / 2];
  }

  /** Splits `[batch, 2d]` into mean and log-variance, each `[batch, d]`. */
  static split(params: tf.Tensor): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
    const [mean, logVar] = tf.split(params, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mean, logVar };
  }

  /** KL(N(mean, exp(logVar)) || N(0, 1)) of each row, `[batch]`. */
  static klPerSample(mean: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() =>
      tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), 1)),
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    const params = single(inputs);
    const training = kwargs.training === true;
    if (training && this.klWeight > 0) {
      // Not in a tidy: this tensor must live until the training step reads it as a loss.
      this.lastKl = tf.tidy(() => {
        const { mean, logVar } = GaussianSampling.split(params);
        return tf
          .mul(this.klWeight, tf.mean(GaussianSampling.klPerSample(mean, logVar)))
          .asScalar();
      });
    }
    return tf.tidy(() => {
      const { mean, logVar } = GaussianSampling.split(params);
      if (!training && !this.sampleAtInference) return mean;
      const { stream, rows } = this.streams.next();
      const [batch, d] = mean.shape;
      const eps = tf.tensor(normalNoise(stream, rows, batch, d), mean.shape, 'float32');
      return tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      klWeight: this.klWeight,
      sampleAtInference: this.sampleAtInference,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
tf.serialization.registerClass(GaussianSampling);

/** True when a model (or a model nested in it) has a layer that is random at prediction time. */
export function isStochasticModel(model: tf.LayersModel): boolean {
  return model.layers.some(
    (l) =>
      l instanceof MCDropout ||
      (l instanceof GaussianSampling && l.sampleAtInference) ||
      (l instanceof tf.LayersModel && isStochasticModel(l)),
  );
}

/** Options of {@link SeededDropout} (those of tf.layers.dropout). */
export interface SeededDropoutArgs {
  rate: number;
  /** Seed of the first training call's mask; call k uses `seed + k`. */
  seed?: number;
  noiseShape?: number[];
  name?: string;
  inputShape?: number[];
}

/** tf.layers.dropout's class, which TF.js does not export by name. */
const StockDropout = stockDropoutClass<SeededDropoutArgs>();

/**
 * tf.layers.dropout whose seed advances with every training call. A seeded stock Dropout
 * draws the SAME mask on every batch (TF.js re-seeds its generator per call), so it drops the
 * same units for the whole run; unseeded, runs are not reproducible. Serialised as a plain
 * 'Dropout', so other tools load the model unchanged.
 */
export class SeededDropout extends StockDropout {
  static readonly className = 'Dropout';
  private readonly baseSeed?: number;
  private trainingCalls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args);
    this.baseSeed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    if (this.baseSeed !== undefined && kwargs['training'] === true)
      this.seed = this.baseSeed + this.trainingCalls++;
    return super.call(inputs, kwargs) as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    if (this.baseSeed !== undefined) config.seed = this.baseSeed;
    return config;
  }
}
// fromConfig is inherited at run time from the stock class (see registerLayerClass).
registerLayerClass(SeededDropout);
