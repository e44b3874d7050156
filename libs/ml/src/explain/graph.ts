/**
 * Walking a LayersModel's graph layer by layer, into nested models, so that explanation code can
 * read or replace any layer's output in one forward pass.
 *
 * Why not `tf.model({ inputs: model.inputs, outputs: base.getLayer('conv2').output })`: when the
 * base of a transfer-learning model is itself a LayersModel used as a layer, its inner layers'
 * symbolic outputs hang off the base's own input, not the outer model's, and TF.js reports
 * "graph disconnected". Here the model is flattened instead: every layer is re-applied, in
 * topological order, to the values the walk computed for its inputs, recursing into nested
 * models. With symbolic inputs this builds a flat graph (weights shared, layers reused) from
 * which a multi-output `tf.model` can be made; with real tensors it is an eager forward pass
 * that can capture or replace any layer's output, also inside `tf.grad`.
 *
 * Layers are addressed by path: `conv1` at the top level, `base/conv2` inside the nested model
 * named `base`.
 */
import * as tf from '@tensorflow/tfjs';
import { first, itemAt } from '../util/checked';

/** One addressable layer of a model. */
export interface LayerInfo {
  /** Path: the layer name, prefixed by the names of the nested models that contain it (`base/conv2`). */
  path: string;
  /** Keras class name, e.g. `Conv2D`. */
  className: string;
  /** Output shape with the batch dimension first (`null` when unknown), e.g. `[null, 28, 28, 32]`. */
  outputShape: (number | null)[];
  /** True for a nested model (its own layers are listed after it, under `path/`). */
  nested: boolean;
}

type Value = tf.Tensor | tf.SymbolicTensor;

/** What a walk may do at each layer. */
interface WalkHooks<T extends Value> {
  /**
   * Called with a layer's outputs (nested models included, after their inner layers); may return
   * replacements that the rest of the graph then consumes.
   */
  after?: (path: string, layer: tf.layers.Layer, outputs: T[]) => T[] | void;
  /**
   * When true, the layer that produces the top-level output is evaluated without its final
   * softmax/sigmoid, so the walk returns logits (eager walks only).
   */
  logits?: boolean;
}

function firstShape(layer: tf.layers.Layer): (number | null)[] {
  let s: (number | null)[] | (number | null)[][];
  try {
    s = layer.outputShape;
  } catch {
    // A nested Sequential called on a new input has two inbound nodes, and TF.js's
    // outputShape getter then throws even when both shapes are equal: read the first node.
    s = first(
      first(layer.inboundNodes, `an inbound node of ${layer.name}`).outputTensors,
      'an output',
    ).shape;
  }
  return Array.isArray(s[0]) ? s[0] : (s as (number | null)[]);
}

/** Every layer of a model in topological order, recursing into nested models (input layers left out). */
export function listLayers(model: tf.LayersModel): LayerInfo[] {
  const out: LayerInfo[] = [];
  const visit = (m: tf.LayersModel, prefix: string): void => {
    for (const layer of m.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      const path = prefix + layer.name;
      const nested = layer instanceof tf.LayersModel;
      out.push({ path, className: layer.getClassName(), outputShape: firstShape(layer), nested });
      if (nested) visit(layer, `${path}/`);
    }
  };
  visit(model, '');
  return out;
}

/**
 * Resolves a layer name given by a user to its path: an exact path (`base/conv2`), or a bare
 * name found exactly once anywhere in the model (`conv2`).
 * @throws naming the unknown or ambiguous layer and listing the available paths
 */
export function resolveLayer(model: tf.LayersModel, name: string): LayerInfo {
  const layers = listLayers(model);
  const exact = layers.find((l) => l.path === name);
  if (exact) return exact;
  const byName = layers.filter((l) => l.path.split('/').pop() === name);
  const [only] = byName;
  if (byName.length === 1 && only !== undefined) return only;
  const available = layers.map((l) => l.path).join(', ');
  if (byName.length > 1)
    throw new Error(
      `layer name "${name}" is ambiguous (${byName.map((l) => l.path).join(', ')}); give its path`,
    );
  throw new Error(`unknown layer "${name}"; available layers: ${available}`);
}

/**
 * The default Grad-CAM layer: the last layer (in topological order, looking inside nested
 * models) whose output is 4-D `[batch, h, w, channels]`.
 * @throws when the model has no such layer
 */
export function defaultCamLayer(model: tf.LayersModel): LayerInfo {
  // A nested model's own output is its last inner layer's: prefer the inner layer's path.
  const candidates = listLayers(model).filter((l) => !l.nested && l.outputShape.length === 4);
  const last = candidates[candidates.length - 1];
  if (!last) throw new Error('the model has no layer with a 4-D output to explain');
  return last;
}

function toArray<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

// Dense without its activation, computed from the layer's own weight variables (shared, not
// copied): `getWeights()` returns the variables themselves.
function linearDense(layer: tf.layers.Layer, input: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  if (kernel === undefined) throw new Error(`dense layer ${layer.name} has no kernel`);
  const units = kernel.shape[1] as number;
  const flat =
    input.rank === 2 ? input : input.reshape([-1, input.shape[input.rank - 1] as number]);
  let y: tf.Tensor = tf.matMul(flat, kernel);
  if (bias) y = tf.add(y, bias);
  return input.rank === 2 ? y : y.reshape([...input.shape.slice(0, -1), units]);
}

function activationName(layer: tf.layers.Layer): string {
  const cfg = layer.getConfig() as { activation?: unknown };
  return typeof cfg.activation === 'string' ? cfg.activation : 'linear';
}

/**
 * The final activation of a model's output (`softmax`, `sigmoid`, `linear`...), looking inside
 * a nested model when that produces the output.
 */
export function outputActivation(model: tf.LayersModel): string {
  const outId = first(model.outputs, 'a model output').id;
  for (const layer of [...model.layers].reverse()) {
    const node = layer.inboundNodes.find((n) => n.outputTensors.some((t) => t.id === outId));
    if (!node) continue;
    if (layer instanceof tf.LayersModel) return outputActivation(layer);
    return activationName(layer);
  }
  return 'linear';
}

function walkModel<T extends Value>(
  model: tf.LayersModel,
  inputs: T[],
  prefix: string,
  hooks: WalkHooks<T>,
  logits: boolean,
): T[] {
  // Values of this model's own symbolic tensors, by id. Nodes that other models (or earlier
  // flattenings) added to a shared layer have inputs outside this map and are skipped.
  const values = new Map<number, T>();
  model.inputs.forEach((t, i) => values.set(t.id, itemAt(inputs, i, 'model input')));
  const outId = first(model.outputs, 'a model output').id;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const path = prefix + layer.name;
    const nodes = layer.inboundNodes.filter(
      (n) =>
        n.inputTensors.length > 0 &&
        n.inputTensors.every((t) => values.has(t.id)) &&
        !n.outputTensors.some((t) => values.has(t.id)),
    );
    if (nodes.length === 0)
      throw new Error(`cannot trace layer "${path}": its inputs are not reachable from the input`);
    for (const node of nodes) {
      const ins = node.inputTensors.map((t) => values.get(t.id)!);
      const isOutput = logits && node.outputTensors.some((t) => t.id === outId);
      let outs: T[];
      if (layer instanceof tf.LayersModel) {
        outs = walkModel(layer, ins, `${path}/`, hooks, isOutput);
      } else if (
        isOutput &&
        layer.getClassName() === 'Dense' &&
        activationName(layer) !== 'linear'
      ) {
        outs = [linearDense(layer, first(ins, 'an input of the dense layer') as tf.Tensor) as T];
      } else if (
        isOutput &&
        layer.getClassName() === 'Activation' &&
        ['softmax', 'sigmoid'].includes(activationName(layer))
      ) {
        outs = [first(ins, 'an input of the activation')];
      } else {
        const arg = ins.length === 1 ? first(ins, 'an input') : ins;
        outs = toArray(layer.apply(arg as tf.Tensor | tf.Tensor[], { training: false }) as T | T[]);
      }
      outs = hooks.after?.(path, layer, outs) ?? outs;
      node.outputTensors.forEach((t, i) => values.set(t.id, itemAt(outs, i, `output of ${path}`)));
    }
  }
  return model.outputs.map((t) => {
    const v = values.get(t.id);
    if (!v) throw new Error('the model output is not reachable from its input');
    return v;
  });
}

/**
 * Eager forward pass through every layer (training = false).
 * @param options.model the model, possibly with nested models inside
 * @param options.input images `[batch, h, w, c]`
 * @param options.logits return the final layer's pre-activation (logits) instead of its softmax/sigmoid output
 * @param options.after called with each layer's path and outputs; may return replacement outputs
 * @returns the model's first output, `[batch, classes]`; the caller owns it (run inside `tf.tidy`)
 */
export function forwardWalk(options: {
  model: tf.LayersModel;
  input: tf.Tensor;
  logits?: boolean;
  after?: (path: string, layer: tf.layers.Layer, outputs: tf.Tensor[]) => tf.Tensor[] | void;
}): tf.Tensor {
  const outputs = walkModel<tf.Tensor>(
    options.model,
    [options.input],
    '',
    { after: options.after },
    options.logits ?? false,
  );
  return first(outputs, 'a model output');
}

interface Flattened {
  input: tf.SymbolicTensor;
  byPath: Map<string, tf.SymbolicTensor>;
  output: tf.SymbolicTensor;
}

// One symbolic flattening per model: re-applying layers adds nodes to them, so do it once.
const flattenings = new WeakMap<tf.LayersModel, Flattened>();
const activationModels = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel | null>>();

function flatten(model: tf.LayersModel): Flattened {
  let f = flattenings.get(model);
  if (f) return f;
  if (model.inputs.length !== 1) throw new Error('only single-input models can be explained');
  const input = tf.input({
    shape: first(model.inputs, 'a model input').shape.slice(1),
  });
  const byPath = new Map<string, tf.SymbolicTensor>();
  const outputs = walkModel<tf.SymbolicTensor>(
    model,
    [input],
    '',
    {
      after: (path, _layer, outs) => {
        if (!byPath.has(path)) byPath.set(path, first(outs, `an output of ${path}`));
      },
    },
    false,
  );
  f = { input, byPath, output: first(outputs, 'a model output') };
  flattenings.set(model, f);
  return f;
}

/**
 * A flat multi-output model from the input to the given layers' outputs (paths as in
 * {@link listLayers}), so all of them come out of one forward pass. Cached per model and layer
 * list. Returns null when TF.js refuses the flat graph (two layers with the same name, one in a
 * nested model and one outside); callers then use {@link forwardWalk}.
 */
export function activationModel(model: tf.LayersModel, paths: string[]): tf.LayersModel | null {
  const key = paths.join('\n');
  let cache = activationModels.get(model);
  if (!cache) activationModels.set(model, (cache = new Map()));
  if (cache.has(key)) return cache.get(key)!;
  const f = flatten(model);
  const outputs = paths.map((p) => {
    const t = f.byPath.get(p);
    if (!t) throw new Error(`unknown layer "${p}"`);
    return t;
  });
  let built: tf.LayersModel | null;
  try {
    built = tf.model({ inputs: f.input, outputs });
  } catch {
    built = null;
  }
  cache.set(key, built);
  return built;
}
