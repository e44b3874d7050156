import * as tf from '@tensorflow/tfjs';
// A cycle (fused-conv-train imports helpers from here), used only inside functions.
import { fusedTrainingConv2d } from './fused-conv-train';

/*
 * The one place where libs/ml reaches into TF.js beyond its public typings: kernel registry
 * arguments, private optimizer state, the inner model of a Sequential, the unexported Dropout
 * class. Each cast below says why it holds at run time; everything else in libs/ml stays
 * cast-free and imports these helpers instead. When a TF.js upgrade changes an internal, this
 * file (and its callers' tests) is where it shows.
 */

/** Kernel arguments as the engine passes them, with the backend narrowed to `B`. */
export interface KernelArgs<B> {
  inputs: tf.NamedTensorInfoMap;
  backend: B;
  attrs?: tf.NamedAttrMap;
}

/** A kernel implementation for one backend type. */
export type TypedKernelFunc<B> = (args: KernelArgs<B>) => tf.TensorInfo | tf.TensorInfo[];

/**
 * A backend-typed kernel as the registry's `KernelFunc`. The registry types `backend` as `{}`;
 * the engine always passes the backend the kernel was registered for, so `B` holds.
 */
export function asKernelFunc<B>(fn: TypedKernelFunc<B>): tf.KernelFunc {
  return fn as tf.KernelFunc;
}

/**
 * Calls a registered kernel's function with backend-typed arguments (the inverse of
 * {@link asKernelFunc}: a `B` backend is a `{}`).
 */
export function callKernel<B extends object>(
  cfg: tf.KernelConfig,
  args: KernelArgs<B>,
): tf.TensorInfo | tf.TensorInfo[] {
  return cfg.kernelFunc(args);
}

/**
 * A kernel's attributes as the op's attrs interface (e.g. `tf.Conv2DAttrs`). The engine passes
 * the attrs object the op built; TF.js types it only as a generic map, and its attrs interfaces
 * have no index signature, so no checked conversion exists.
 */
export function kernelAttrs<T extends object>(attrs: tf.NamedAttrMap | undefined): T {
  return (attrs ?? {}) as unknown as T;
}

/**
 * An attrs object (any interface of plain attribute values) as the engine's `NamedAttrMap`,
 * for `tf.engine().runKernel`. Interfaces have no index signature, hence the cast.
 */
export function asAttrMap<T extends object>(attrs: T): tf.NamedAttrMap {
  return attrs as unknown as tf.NamedAttrMap;
}

/**
 * The named inputs of a kernel call, each checked present (the map's values are optional in
 * TF.js's typings). Throws naming the kernel and the missing input.
 */
export function kernelInputs<K extends string>(
  kernel: string,
  inputs: tf.NamedTensorInfoMap,
  names: readonly K[],
): Record<K, tf.TensorInfo> {
  const out = {} as Record<K, tf.TensorInfo>;
  for (const name of names) {
    const t = inputs[name];
    if (t === undefined) throw new Error(`${kernel}: missing input "${name}"`);
    out[name] = t;
  }
  return out;
}

/** A registered variable by name (`tf.engine().registeredVariables`), or a thrown error. */
export function registeredVariable(name: string): tf.Variable {
  const v = tf.engine().registeredVariables[name];
  if (v === undefined) throw new Error(`no registered variable "${name}"`);
  return v;
}

/** One optimizer slot of tf.AdamOptimizer (a moment of one variable). */
export interface OptimizerSlot {
  originalName: string;
  variable: tf.Variable;
}

/** The state of tf.AdamOptimizer that a fused update reads and writes. */
export interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: (OptimizerSlot | null | undefined)[];
  accumulatedSecondMoment: (OptimizerSlot | null | undefined)[];
  incrementIterations(): void;
}

/**
 * The private/protected state of an Adam optimizer: plain public fields in the JS build,
 * `private` only in its typings.
 */
export function adamInternals(optimizer: tf.AdamOptimizer): AdamInternals {
  return optimizer as unknown as AdamInternals;
}

/**
 * The optimizer a model was compiled with, or undefined before `compile` (the public getter is
 * typed non-optional but returns the unset field).
 */
export function compiledOptimizer(model: tf.LayersModel): tf.Optimizer | undefined {
  const optimizer: tf.Optimizer | undefined = model.optimizer;
  return optimizer;
}

/**
 * The LayersModel a Sequential delegates training to (private `model` field): it holds the
 * compiled loss functions.
 */
export function sequentialInner(model: tf.Sequential): tf.LayersModel {
  const inner = (model as unknown as { model?: tf.LayersModel }).model;
  if (inner === undefined) throw new Error('the Sequential model has no layers yet');
  return inner;
}

/**
 * Renames a model (the name by which a containing model's `getLayer` finds it). `name` is a
 * plain field at run time; container typings declare it read-only.
 */
export function renameModel(model: tf.LayersModel, name: string): void {
  (model as { name: string }).name = name;
}

/** Constructor of tf.layers.dropout's class, which TF.js does not export by name. */
export type DropoutClass<A> = new (args: A) => tf.layers.Layer & { seed?: number };

/** tf.layers.dropout's class (read from an instance: the class is not exported). */
export function stockDropoutClass<A>(): DropoutClass<A> {
  return tf.layers.dropout({ rate: 0.5 }).constructor as DropoutClass<A>;
}

/** The public-at-run-time fields of tfjs-layers' L1L2 regularizer (typed private). */
export interface L1L2Fields {
  l1: number;
  l2: number;
  hasL1: boolean;
  hasL2: boolean;
  apply(x: tf.Tensor): tf.Scalar;
  getConfig(): tf.serialization.ConfigDict;
  getClassName(): string;
}

/** A regularizer as tf.regularizers makes them (the class is not re-exported by @tensorflow/tfjs). */
export type Regularizer = ReturnType<typeof tf.regularizers.l2>;

/** Constructor of tf.regularizers' L1L2 class (not exported by name). */
export type L1L2Class = new (args: { l1?: number; l2?: number }) => L1L2Fields;

/**
 * tf.regularizers' L1L2 class (read from an instance: the class is not exported). Its
 * instances carry `l1`, `l2`, `hasL1` and `hasL2` as plain fields (tfjs-layers 4.22).
 */
export function stockL1L2Class(): L1L2Class {
  return tf.regularizers.l2({ l2: 0.01 }).constructor as L1L2Class;
}

/**
 * Registers a regularizer class for deserialisation under its (inherited) class name: a
 * subclass of {@link stockL1L2Class} keeps the static `className` and `fromConfig` of L1L2 at
 * run time, though not in its type.
 */
export function registerRegularizerClass(cls: L1L2Class): void {
  tf.serialization.registerClass(
    cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
}

/**
 * Registers a layer class for (de)serialisation. A subclass of a class obtained at run time
 * (see {@link stockDropoutClass}) loses the static `fromConfig` in its type, though it
 * inherits it at run time.
 */
export function registerLayerClass(cls: abstract new (...args: never[]) => tf.layers.Layer): void {
  tf.serialization.registerClass(
    cls as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>,
  );
}

/**
 * A layer factory of the `tf.layers` namespace by name (`conv2d`, `dense`, ...), if any.
 * `conv2d` is the stock layer with bias and relu fused into its kernel in training as well
 * (fused-conv-train.ts): same class name, config and weights.
 */
export function layerFactory(type: string): ((config: object) => tf.layers.Layer) | undefined {
  if (type === 'conv2d') return fusedTrainingConv2d;
  const factory: unknown = (tf.layers as Record<string, unknown>)[type];
  if (typeof factory !== 'function') return undefined;
  // Every function of tf.layers is a factory taking one config object.
  return factory as (config: object) => tf.layers.Layer;
}
