import * as tf from '@tensorflow/tfjs';
import { makeOptimizer } from './build-model';

/** Options of {@link buildXceptionStyle}; every field has a default. */
export interface XceptionStyleOptions {
  /** Input image shape `[height, width, channels]` (default `[128, 128, 3]`). */
  inputShape?: [number, number, number];
  /** Units of the softmax classifier (default 10). */
  numClasses?: number;
  /** Seed of the weight initialisers; layer `i` uses `seed + i` (default 42). */
  seed?: number;
  /**
   * Filters of the entry-flow blocks, each halving the image (default `[128, 256, 512]`; Keras
   * Xception uses 728 for the third, cut to 512 to keep CPU benchmarks short).
   */
  entryFilters?: number[];
  /** Middle-flow blocks (3 x relu-sepconv-BN + identity add) at the last entry width (default 2). */
  middleBlocks?: number;
  /** Adam learning rate (default 1e-4: the study fine-tunes at this rate). */
  learningRate?: number;
}

/** Layer factory state: hands out seeds in build order so the same seed gives the same weights. */
interface Ctx {
  seed: number;
  next: number;
}

function nextInit(ctx: Ctx): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: ctx.seed + ctx.next++ });
}

// Keras' BatchNormalization defaults (momentum 0.99, epsilon 1e-3), spelled out so the
// PyTorch peer (bench/torch_studies.py) can match them.
function bn(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers
    .batchNormalization({ momentum: 0.99, epsilon: 1e-3, name })
    .apply(x) as tf.SymbolicTensor;
}

function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;
}

function sepconv(ctx: Ctx, x: tf.SymbolicTensor, filters: number, name: string): tf.SymbolicTensor {
  return tf.layers
    .separableConv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: false, // the batch norm after it has the shift
      depthwiseInitializer: nextInit(ctx),
      pointwiseInitializer: nextInit(ctx),
      name,
    })
    .apply(x) as tf.SymbolicTensor;
}

function conv(
  ctx: Ctx,
  x: tf.SymbolicTensor,
  spec: { filters: number; kernelSize: number; strides: number; name: string },
): tf.SymbolicTensor {
  return tf.layers
    .conv2d({
      ...spec,
      padding: 'same',
      useBias: false,
      kernelInitializer: nextInit(ctx),
    })
    .apply(x) as tf.SymbolicTensor;
}

/**
 * Entry-flow block: main path [relu] sepconv-BN-relu-sepconv-BN-maxpool(3, /2), residual
 * conv1x1/2-BN, summed. The first block follows the stem's relu, so it has no leading relu
 * (as in Keras).
 */
function entryBlock(
  ctx: Ctx,
  x: tf.SymbolicTensor,
  filters: number,
  index: number,
): tf.SymbolicTensor {
  const p = `block${index}`;
  const residual = bn(
    conv(ctx, x, { filters, kernelSize: 1, strides: 2, name: `${p}_res_conv` }),
    `${p}_res_bn`,
  );
  let y = index === 1 ? x : relu(x, `${p}_sepconv1_act`);
  y = bn(sepconv(ctx, y, filters, `${p}_sepconv1`), `${p}_sepconv1_bn`);
  y = relu(y, `${p}_sepconv2_act`);
  y = bn(sepconv(ctx, y, filters, `${p}_sepconv2`), `${p}_sepconv2_bn`);
  y = tf.layers
    .maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: `${p}_pool` })
    .apply(y) as tf.SymbolicTensor;
  return tf.layers.add({ name: `${p}_add` }).apply([y, residual]) as tf.SymbolicTensor;
}

/** Middle-flow block: three relu-sepconv-BN units and an identity shortcut. */
function middleBlock(
  ctx: Ctx,
  x: tf.SymbolicTensor,
  filters: number,
  index: number,
): tf.SymbolicTensor {
  const p = `middle${index}`;
  let y = x;
  for (let k = 1; k <= 3; k++) {
    y = relu(y, `${p}_sepconv${k}_act`);
    y = bn(sepconv(ctx, y, filters, `${p}_sepconv${k}`), `${p}_sepconv${k}_bn`);
  }
  return tf.layers.add({ name: `${p}_add` }).apply([y, x]) as tf.SymbolicTensor;
}

/**
 * Builds and compiles an Xception-style functional model: Keras Xception's entry flow scaled
 * down (stem conv 3x3/2 32 + BN + relu, conv 3x3 64 + BN + relu, residual entry blocks of
 * separable convolutions), a few middle-flow blocks, a final relu, global average pooling and a
 * softmax dense. Convolutions have no bias (batch norm follows each); padding is `same`
 * throughout, so a 128x128 input reaches the middle flow at 8x8. Compiled with Adam
 * (`learningRate`, default 1e-4) on categorical cross-entropy, with accuracy.
 * @param options see {@link XceptionStyleOptions}
 */
export function buildXceptionStyle(options: XceptionStyleOptions = {}): tf.LayersModel {
  const inputShape = options.inputShape ?? [128, 128, 3];
  const numClasses = options.numClasses ?? 10;
  const entryFilters = options.entryFilters ?? [128, 256, 512];
  const middleBlocks = options.middleBlocks ?? 2;
  if (entryFilters.length === 0) throw new RangeError('entryFilters must not be empty');
  const ctx: Ctx = { seed: options.seed ?? 42, next: 0 };

  const input = tf.input({ shape: inputShape, name: 'input' });
  let x = conv(ctx, input, { filters: 32, kernelSize: 3, strides: 2, name: 'stem_conv1' });
  x = relu(bn(x, 'stem_conv1_bn'), 'stem_conv1_act');
  x = conv(ctx, x, { filters: 64, kernelSize: 3, strides: 1, name: 'stem_conv2' });
  x = relu(bn(x, 'stem_conv2_bn'), 'stem_conv2_act');
  entryFilters.forEach((f, i) => {
    x = entryBlock(ctx, x, f, i + 1);
  });
  const width = entryFilters[entryFilters.length - 1] as number;
  for (let m = 1; m <= middleBlocks; m++) x = middleBlock(ctx, x, width, m);
  x = relu(x, 'exit_act');
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: nextInit(ctx),
      name: 'predictions',
    })
    .apply(x) as tf.SymbolicTensor;

  const model = tf.model({ inputs: input, outputs: output, name: 'xception_style' });
  model.compile({
    optimizer: makeOptimizer('adam', options.learningRate ?? 1e-4),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
