import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  adamInternals,
  asKernelFunc,
  kernelAttrs,
  kernelInputs,
  registeredVariable,
  type AdamInternals,
  type KernelArgs,
  type OptimizerSlot,
} from './tf-internals';

/** A named gradient, as optimizers receive them (not re-exported by @tensorflow/tfjs). */
type NamedTensor = { name: string; tensor: tf.Tensor };
type AdamGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/*
 * Adam in one pass per variable. tf.train.adam issues about a dozen element-wise kernels per
 * variable and step (mul, add, square, div, sqrt, ...), each a full pass over the weights plus
 * an allocation; on the wasm/onednn backends that was about a fifth of a fmnist-cnn training
 * step. This kernel reads the variable, both moments and the gradient once and writes the
 * three new tensors, rounding every intermediate to float32 in the same order as the stock
 * optimizer, so the weights it produces are bitwise identical (tested).
 */

/** Name of the fused update kernel (registered for the wasm-heap backends only). */
export const FUSED_ADAM_KERNEL = 'ConvscopeAdamUpdate';

/** Backends whose tensors live on the wasm heap ('onednn' reuses the wasm backend object). */
const HEAP_BACKENDS = ['wasm', 'onednn'] as const;

/** Attributes of the fused Adam kernel (JS and native). */
export type AdamAttrs = {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t as the stock optimizer holds it (a float32 scalar). */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
};

const f = Math.fround;

function adamKernel(args: KernelArgs<BackendWasm>): tf.TensorInfo[] {
  const { x, m, v, g } = kernelInputs(FUSED_ADAM_KERNEL, args.inputs, ['x', 'm', 'v', 'g']);
  const a = kernelAttrs<AdamAttrs>(args.attrs);
  const { backend } = args;
  const outX = backend.makeOutput([...x.shape], 'float32');
  const outM = backend.makeOutput([...x.shape], 'float32');
  const outV = backend.makeOutput([...x.shape], 'float32');
  // Views after the last allocation: growing the heap would detach earlier ones.
  const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const xs = heap(x);
  const ms = heap(m);
  const vs = heap(v);
  const gs = heap(g);
  const nx = heap(outX);
  const nm = heap(outM);
  const nv = heap(outV);
  const b1 = f(a.beta1);
  const b2 = f(a.beta2);
  const c1 = f(1 - a.beta1);
  const c2 = f(1 - a.beta2);
  const d1 = f(a.oneMinusAccBeta1);
  const d2 = f(a.oneMinusAccBeta2);
  const eps = f(a.epsilon);
  const negLr = f(-a.learningRate);
  // Every array has x's length (same shape, checked by the engine); i < xs.length bounds all.
  for (let i = 0; i < xs.length; i++) {
    const gi = gs[i]!;
    const mi = f(f(ms[i]! * b1) + f(gi * c1));
    const vi = f(f(vs[i]! * b2) + f(f(gi * gi) * c2));
    nm[i] = mi;
    nv[i] = vi;
    const step = f(f(f(mi / d1) / f(f(Math.sqrt(f(vi / d2))) + eps)) * negLr);
    nx[i] = f(step + xs[i]!);
  }
  return [outX, outM, outV];
}

/**
 * Registers the JS fused Adam kernel for the wasm backend, and for onednn unless its native
 * twin is already there (idempotent).
 */
export function registerFusedAdamKernel(): void {
  for (const backendName of HEAP_BACKENDS) {
    if (tf.getKernel(FUSED_ADAM_KERNEL, backendName) !== undefined) continue;
    tf.registerKernel({
      kernelName: FUSED_ADAM_KERNEL,
      backendName,
      kernelFunc: asKernelFunc(adamKernel),
    });
  }
}

/** The first value of a scalar variable (float32, as the stock optimizer holds it). */
function readScalar(v: tf.Variable): number {
  const value = v.dataSync()[0];
  if (value === undefined) throw new Error(`optimizer variable ${v.name} is empty`);
  return value;
}

/** Each variable's name and gradient, in the optimizer's slot order. */
function namedGradients(
  gradients: AdamGradients,
): { name: string; gradient: tf.Tensor | null | undefined }[] {
  if (Array.isArray(gradients)) return gradients.map((g) => ({ name: g.name, gradient: g.tensor }));
  return Object.entries(gradients).map(([name, gradient]) => ({ name, gradient }));
}

/** The optimizer slot `i` (a moment of `value`), created at zero on first use as the stock one. */
function slot(
  slots: AdamInternals['accumulatedFirstMoment'],
  i: number,
  originalName: string,
  value: tf.Variable,
): tf.Variable {
  let s: OptimizerSlot | null | undefined = slots[i];
  if (s == null) {
    s = { originalName, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    slots[i] = s;
  }
  return s.variable;
}

/**
 * tf.train.adam with a fused update on the wasm/onednn backends; on any other backend it is
 * the stock optimizer. Same class name ('Adam'), config, weights and numerics as the stock one.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** JS mirror of accBeta1/accBeta2 (float32), so no step reads a tensor back. */
  private accBetas: [number, number] | null = null;

  override applyGradients(variableGradients: AdamGradients): void {
    if (tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend()) === undefined) {
      this.accBetas = null; // the stock path updates the tensors; resync on the next fused step
      super.applyGradients(variableGradients);
      return;
    }
    const self = adamInternals(this);
    this.accBetas ??= [readScalar(self.accBeta1), readScalar(self.accBeta2)];
    const [acc1, acc2] = this.accBetas;
    const attrs: AdamAttrs = {
      learningRate: self.learningRate,
      beta1: self.beta1,
      beta2: self.beta2,
      epsilon: self.epsilon,
      oneMinusAccBeta1: Math.fround(1 - acc1),
      oneMinusAccBeta2: Math.fround(1 - acc2),
    };
    tf.tidy(() => {
      namedGradients(variableGradients).forEach(({ name, gradient }, i) => {
        const value = registeredVariable(name);
        const m = slot(self.accumulatedFirstMoment, i, `${name}/m`, value);
        const v = slot(self.accumulatedSecondMoment, i, `${name}/v`, value);
        if (gradient == null) return;
        const outs = tf
          .engine()
          .runKernel(FUSED_ADAM_KERNEL, { x: value, m, v, g: gradient }, attrs);
        const [nx, nm, nv] = outs as [tf.Tensor, tf.Tensor, tf.Tensor];
        m.assign(nm);
        v.assign(nv);
        value.assign(nx);
      });
      const next: [number, number] = [
        Math.fround(acc1 * Math.fround(self.beta1)),
        Math.fround(acc2 * Math.fround(self.beta2)),
      ];
      // Keep the tensors in step for getWeights/setWeights and the stock path.
      self.accBeta1.assign(tf.scalar(next[0]));
      self.accBeta2.assign(tf.scalar(next[1]));
      this.accBetas = next;
    });
    self.incrementIterations();
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(weightValues);
    this.accBetas = null;
  }
}

/** Options of {@link fusedAdam} (tf.train.adam's defaults). */
export interface FusedAdamOptions {
  /** Step size (default 0.001). */
  learningRate?: number;
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to the denominator; default the backend's epsilon, as tf.train.adam. */
  epsilon?: number;
}

/** Creates a {@link FusedAdamOptimizer}. */
export function fusedAdam(options: FusedAdamOptions = {}): FusedAdamOptimizer {
  registerFusedAdamKernel();
  const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon } = options;
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
