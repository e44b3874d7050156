/**
 * The penultimate layer's features: the input of the classifier (the last layer, the Dense that
 * produces the model's output), found inside nested models too (a transfer model's head may be
 * a nested Sequential), computed batch by batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../../data/dataset';
import { first } from '../../util/checked';
import { activationModel, forwardWalk } from '../graph';

/** The layer whose output the projector reads, and the classifier it feeds. */
export interface FeatureLayer {
  /** Path of the layer (as in listLayers: `base/dropout` inside a nested model). */
  path: string;
  /** Path of the classifier layer it feeds. */
  classifier: string;
}

// The layer (with its path) that produces a model's output, looking inside nested models.
function outputLayer(
  model: tf.LayersModel,
  prefix: string,
): { layer: tf.layers.Layer; path: string; owner: tf.LayersModel; prefix: string } {
  const outId = first(model.outputs, 'a model output').id;
  for (const layer of [...model.layers].reverse()) {
    const node = layer.inboundNodes.find((nd) => nd.outputTensors.some((t) => t.id === outId));
    if (!node) continue;
    if (layer instanceof tf.LayersModel) return outputLayer(layer, `${prefix}${layer.name}/`);
    return { layer, path: prefix + layer.name, owner: model, prefix };
  }
  throw new Error('cannot find the layer that produces the model output');
}

/**
 * The penultimate layer: the layer feeding the classifier (the layer producing the output).
 * @throws when the classifier reads the model's input directly (no hidden layer to project)
 */
export function penultimateLayer(model: tf.LayersModel): FeatureLayer {
  const out = outputLayer(model, '');
  const inputs = new Set(out.owner.inputs.map((t) => t.id));
  // The node of the classifier inside its own model (a layer reused elsewhere has more nodes).
  const node =
    out.layer.inboundNodes.find((nd) => nd.inputTensors.every((t) => !inputs.has(t.id))) ??
    first(out.layer.inboundNodes, `an inbound node of ${out.path}`);
  const source = first(node.inputTensors, `an input of ${out.path}`);
  if (inputs.has(source.id) || source.sourceLayer.getClassName() === 'InputLayer')
    throw new Error(
      `the classifier ${out.path} reads its model's input directly: no penultimate layer to project`,
    );
  return { path: out.prefix + source.sourceLayer.name, classifier: out.path };
}

/** What {@link extractFeatures} returns. */
export interface Features {
  /** Row-major `[count, dim]` features (a layer with a spatial output is flattened). */
  values: Float32Array;
  dim: number;
  layer: FeatureLayer;
}

/**
 * The penultimate features of every image of a split, `batchSize` images per forward pass (each
 * batch's tensors disposed before the next).
 * @param options.scale multiplier of the pixel bytes (default 1/255, as the model was trained)
 */
export function extractFeatures(options: {
  model: tf.LayersModel;
  split: ImageSplit;
  shape: [number, number, number];
  scale?: number;
  batchSize?: number;
}): Features {
  const { model, split, shape } = options;
  const layer = penultimateLayer(model);
  const batchSize = options.batchSize ?? 256;
  const pixels = shape[0] * shape[1] * shape[2];
  const scale = options.scale ?? 1 / 255;
  const flat = activationModel(model, [layer.path]);
  let dim = -1;
  let values = new Float32Array(0);
  for (let start = 0; start < split.count; start += batchSize) {
    const end = Math.min(split.count, start + batchSize);
    const out = tf.tidy(() => {
      const x = tf.tensor4d(
        Float32Array.from(split.images.subarray(start * pixels, end * pixels), (v) => v * scale),
        [end - start, ...shape],
      );
      const y = flat
        ? (flat.predict(x, { batchSize }) as tf.Tensor)
        : captured(model, x, layer.path);
      return y.reshape<tf.Tensor2D>([end - start, -1]);
    });
    try {
      if (dim < 0) {
        dim = out.shape[1];
        values = new Float32Array(split.count * dim);
      }
      values.set(out.dataSync(), start * dim);
    } finally {
      out.dispose();
    }
  }
  return { values, dim: Math.max(dim, 0), layer };
}

// A layer's output from an eager walk (when the flat multi-output model cannot be built).
function captured(model: tf.LayersModel, x: tf.Tensor, path: string): tf.Tensor {
  let found: tf.Tensor | undefined;
  forwardWalk({
    model,
    input: x,
    after: (p, _layer, outs) => {
      if (p === path) found = outs[0];
    },
  });
  if (!found) throw new Error(`layer ${path} produced no output`);
  return found;
}
