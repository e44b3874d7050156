import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  asKernelFunc,
  kernelAttrs,
  kernelInputs,
  registeredVariable,
  type KernelArgs,
  type OptimizerSlot,
} from './tf-internals';

/*
 * RMSprop in one pass per variable, like fused-adam.ts for Adam. tf.train.rmsprop issues nine
 * element-wise kernels per variable and step (square, three mul, two add, sqrt, div, sub);
 * profiled on cats-dogs-small (RMSprop, a 3.2M-weight dense layer) on 'onednn' they were
 * about an eighth of a training step. The kernel rounds every intermediate to float32 in the
 * stock optimizer's order, so the weights are bitwise the same (tested). Centered RMSprop
 * keeps the stock code.
 */

/** Name of the fused update kernel (registered for the wasm-heap backends only). */
export const FUSED_RMSPROP_KERNEL = 'ConvscopeRmspropUpdate';

const HEAP_BACKENDS = ['wasm', 'onednn'] as const;

/** Attributes of the fused RMSprop kernel (JS and native). */
export type RmspropAttrs = {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
};

const f = Math.fround;

function rmspropKernel(args: KernelArgs<BackendWasm>): tf.TensorInfo[] {
  const { x, ms, mom, g } = kernelInputs(FUSED_RMSPROP_KERNEL, args.inputs, [
    'x',
    'ms',
    'mom',
    'g',
  ]);
  const a = kernelAttrs<RmspropAttrs>(args.attrs);
  const { backend } = args;
  const outs = [0, 1, 2].map(() => backend.makeOutput([...x.shape], 'float32'));
  // Views after the last allocation: growing the heap would detach earlier ones.
  const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [xs, mss, moms, gs] = [x, ms, mom, g].map<Float32Array>(heap);
  const [nx, nms, nmom] = outs.map<Float32Array>(heap);
  const p = rmspropParams(a);
  const [lr, decay, oneMinusDecay, momentum, eps] = [p[0]!, p[1]!, p[2]!, p[3]!, p[4]!];
  for (let i = 0; i < xs!.length; i++) {
    const gi = gs![i]!;
    const s = f(f(mss![i]! * decay) + f(f(gi * gi) * oneMinusDecay));
    const m = f(f(moms![i]! * momentum) + f(f(gi * lr) / f(Math.sqrt(f(s + eps)))));
    nms![i] = s;
    nmom![i] = m;
    nx![i] = f(xs![i]! - m);
  }
  return outs;
}

/**
 * The kernel's scalars as float32, as the stock optimizer's scalar tensors hold them:
 * [learningRate, decay, 1 - decay (computed in double, then rounded), momentum, epsilon].
 */
export function rmspropParams(a: RmspropAttrs): Float32Array {
  return new Float32Array([a.learningRate, a.decay, 1 - a.decay, a.momentum, a.epsilon]);
}

/**
 * Registers the JS fused RMSprop kernel for the wasm backend, and for onednn unless its native
 * twin is already there (idempotent).
 */
export function registerFusedRmspropKernel(): void {
  for (const backendName of HEAP_BACKENDS) {
    if (tf.getKernel(FUSED_RMSPROP_KERNEL, backendName) !== undefined) continue;
    tf.registerKernel({
      kernelName: FUSED_RMSPROP_KERNEL,
      backendName,
      kernelFunc: asKernelFunc(rmspropKernel),
    });
  }
}

/**
 * The private fields of tf.RMSPropOptimizer its update reads (tfjs-core 4.22; plain fields at
 * run time, `protected` / private in the typings).
 */
interface RmspropInternals {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: (OptimizerSlot | null | undefined)[];
  accumulatedMoments: (OptimizerSlot | null | undefined)[];
  incrementIterations(): void;
}

type RmspropGradients = Parameters<tf.RMSPropOptimizer['applyGradients']>[0];

/** The optimizer slot `i` of `value`, created at zero on first use as the stock one. */
function slot(
  slots: RmspropInternals['accumulatedMeanSquares'],
  i: number,
  originalName: string,
  value: tf.Variable,
): tf.Variable {
  let s = slots[i];
  if (s == null) {
    s = { originalName, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    slots[i] = s;
  }
  return s.variable;
}

/**
 * tf.train.rmsprop with a fused update on the wasm/onednn backends (uncentered); on any other
 * backend, or centered, it is the stock optimizer. Same class name ('RMSProp'), config,
 * weights and numerics as the stock one.
 */
export class FusedRmspropOptimizer extends tf.RMSPropOptimizer {
  override applyGradients(variableGradients: RmspropGradients): void {
    // The stock fields, typed (see RmspropInternals).
    const self = this as unknown as RmspropInternals;
    if (self.centered || tf.getKernel(FUSED_RMSPROP_KERNEL, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const attrs: RmspropAttrs = {
      learningRate: self.learningRate,
      decay: self.decay,
      momentum: self.momentum,
      epsilon: self.epsilon,
    };
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((g) => ({ name: g.name, gradient: g.tensor }))
      : Object.entries(variableGradients).map(([name, gradient]) => ({ name, gradient }));
    tf.tidy(() => {
      named.forEach(({ name, gradient }, i) => {
        const value = registeredVariable(name);
        const ms = slot(self.accumulatedMeanSquares, i, `${name}/rms`, value);
        const mom = slot(self.accumulatedMoments, i, `${name}/momentum`, value);
        if (gradient == null) return;
        const outs = tf
          .engine()
          .runKernel(FUSED_RMSPROP_KERNEL, { x: value, ms, mom, g: gradient }, attrs);
        const [nx, nms, nmom] = outs as [tf.Tensor, tf.Tensor, tf.Tensor];
        ms.assign(nms);
        mom.assign(nmom);
        value.assign(nx);
      });
    });
    self.incrementIterations();
  }
}

/** Options of {@link fusedRmsprop} (tf.train.rmsprop's defaults). */
export interface FusedRmspropOptions {
  learningRate: number;
  /** Discounting factor of the mean square (default 0.9). */
  decay?: number;
  /** Momentum (default 0). */
  momentum?: number;
  /** Added to the denominator; default the backend's epsilon, as tf.train.rmsprop. */
  epsilon?: number;
  /** Centered RMSprop (runs the stock update; default false). */
  centered?: boolean;
}

/** Creates a {@link FusedRmspropOptimizer}. */
export function fusedRmsprop(options: FusedRmspropOptions): FusedRmspropOptimizer {
  registerFusedRmspropKernel();
  const { learningRate, decay = 0.9, momentum = 0, epsilon, centered = false } = options;
  return new FusedRmspropOptimizer(learningRate, decay, momentum, epsilon, centered);
}
