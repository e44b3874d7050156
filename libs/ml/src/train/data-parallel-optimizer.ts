/*
 * The optimizer step of the data-parallel trainer's shared update, on one slice of the flat
 * parameter vector. Each replica owns 1/W of the parameters: it averages the gradient slots for
 * its slice, runs the step below on it and publishes the new values, so the update costs every
 * replica 1/W of what repeating it per replica did (reduce-scatter + all-gather, as ZeRO-1).
 *
 * Every intermediate is rounded to float32 in the order tf.train's kernels use (a binary op with
 * a JS number first makes that number a float32 scalar), so a slice updated here is bitwise what
 * the stock optimizer (and the project's fused Adam twin) computes on the wasm backend (tested).
 */
import { simdKernelsWithMemory } from '../backend/wasm/simd-kernels';

/** An optimizer's hyperparameters as `tf.Optimizer.getConfig()` reports them, with its class. */
export interface OptimizerSpec {
  /** `getClassName()` of the optimizer: 'Adam', 'RMSProp' or 'SGD'. */
  className: string;
  config: Record<string, unknown>;
}

/** The update of one slice `[lo, hi)` of the flat parameter vector. */
export interface SliceOptimizer {
  /**
   * One step: `weights[lo + i]` becomes the updated value, given its gradient `grad[i]`.
   * @param weights the whole flat parameter vector (read and written in `[lo, hi)` only)
   * @param grad the averaged gradient of the slice, `hi - lo` floats
   */
  step(weights: Float32Array, grad: Float32Array): void;
}

const f = Math.fround;

function num(config: Record<string, unknown>, key: string): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`optimizer config has no numeric ${key}`);
  return v;
}

/**
 * The Adam step of {@link adam} in the WASM SIMD module (backend/wasm/simd/kernels.c
 * adam_update: the same float32 operations in the same order, so the same bits) on a private
 * memory holding the slice's weights, moments and gradient; about 10x the JS loop. Null where
 * WebAssembly SIMD is unavailable.
 */
function adamSimd(
  consts: { b1: number; b2: number; c1: number; c2: number; eps: number; negLr: number },
  lo: number,
  hi: number,
): SliceOptimizer | null {
  const n = hi - lo;
  const simd = simdKernelsWithMemory(16 * n);
  if (simd === null) return null;
  const { kernels, memory } = simd;
  const { b1, b2, c1, c2, eps, negLr } = consts;
  // Layout: x, m, v, g, n floats each (the moments start at zero in a fresh memory).
  const [px, pm, pv, pg] = [0, 4 * n, 8 * n, 12 * n];
  let acc1 = b1;
  let acc2 = b2;
  return {
    step(weights, grad) {
      const heap = new Float32Array(memory.buffer);
      heap.set(weights.subarray(lo, hi), px / 4);
      heap.set(grad.subarray(0, n), pg / 4);
      const d1 = f(1 - acc1);
      const d2 = f(1 - acc2);
      kernels.adam_update(px, pm, pv, pg, px, pm, pv, n, b1, b2, c1, c2, d1, d2, eps, negLr);
      weights.set(heap.subarray(px / 4, px / 4 + n), lo);
      acc1 = f(acc1 * b1);
      acc2 = f(acc2 * b2);
    },
  };
}

/** tf.train.adam (and FusedAdamOptimizer): the moments of the slice, the bias terms as float32. */
function adam(config: Record<string, unknown>, lo: number, hi: number): SliceOptimizer {
  const lr = num(config, 'learningRate');
  const beta1 = num(config, 'beta1');
  const beta2 = num(config, 'beta2');
  const eps = f(num(config, 'epsilon'));
  const b1 = f(beta1);
  const b2 = f(beta2);
  const c1 = f(1 - beta1);
  const c2 = f(1 - beta2);
  const negLr = f(-lr);
  const viaSimd = adamSimd({ b1, b2, c1, c2, eps, negLr }, lo, hi);
  if (viaSimd !== null) return viaSimd;
  const m = new Float32Array(hi - lo);
  const v = new Float32Array(hi - lo);
  // accBeta1/2 start at beta1/2 and are multiplied by it after every step (float32 scalars).
  let acc1 = b1;
  let acc2 = b2;
  return {
    step(weights, grad) {
      const d1 = f(1 - acc1);
      const d2 = f(1 - acc2);
      // Hot loop: m, v and grad hold hi - lo floats; weights holds at least hi.
      for (let i = 0; i < m.length; i++) {
        const gi = grad[i]!;
        const mi = f(f(m[i]! * b1) + f(gi * c1));
        const vi = f(f(v[i]! * b2) + f(f(gi * gi) * c2));
        m[i] = mi;
        v[i] = vi;
        const step = f(f(f(mi / d1) / f(f(Math.sqrt(f(vi / d2))) + eps)) * negLr);
        weights[lo + i] = f(step + weights[lo + i]!);
      }
      acc1 = f(acc1 * b1);
      acc2 = f(acc2 * b2);
    },
  };
}

/** tf.train.rmsprop, not centered (the only form the presets build). */
function rmsprop(config: Record<string, unknown>, lo: number, hi: number): SliceOptimizer {
  if (config.centered) throw new Error('centered RMSProp is not supported by the shared update');
  const decay = num(config, 'decay');
  const lr = f(num(config, 'learningRate'));
  const mom = f(num(config, 'momentum'));
  const eps = f(num(config, 'epsilon'));
  const d = f(decay);
  const cd = f(1 - decay);
  const ms = new Float32Array(hi - lo);
  const moments = new Float32Array(hi - lo);
  return {
    step(weights, grad) {
      // Hot loop: ms, moments and grad hold hi - lo floats; weights holds at least hi.
      for (let i = 0; i < ms.length; i++) {
        const gi = grad[i]!;
        const s = f(f(ms[i]! * d) + f(f(gi * gi) * cd));
        const u = f(f(moments[i]! * mom) + f(f(gi * lr) / f(Math.sqrt(f(s + eps)))));
        ms[i] = s;
        moments[i] = u;
        weights[lo + i] = f(weights[lo + i]! - u);
      }
    },
  };
}

/** tf.train.sgd: x + (-lr) * g. */
function sgd(config: Record<string, unknown>, lo: number): SliceOptimizer {
  const c = f(-num(config, 'learningRate'));
  return {
    step(weights, grad) {
      for (let i = 0; i < grad.length; i++) weights[lo + i] = f(f(c * grad[i]!) + weights[lo + i]!);
    },
  };
}

/**
 * The step of `spec`'s optimizer on the slice `[lo, hi)`, with fresh state (as a new optimizer).
 * Throws for an optimizer it does not implement (callers then repeat the update per replica).
 */
export function sliceOptimizer(spec: OptimizerSpec, lo: number, hi: number): SliceOptimizer {
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && 0 <= lo && lo <= hi))
    throw new RangeError(`bad slice [${lo}, ${hi})`);
  switch (spec.className) {
    case 'Adam':
      return adam(spec.config, lo, hi);
    case 'RMSProp':
      return rmsprop(spec.config, lo, hi);
    case 'SGD':
      return sgd(spec.config, lo);
    default:
      throw new Error(`the shared update does not implement the ${spec.className} optimizer`);
  }
}

/** The slice of `total` parameters that rank `rank` of `workers` updates: near-equal, contiguous. */
export function sliceOf(rank: number, workers: number, total: number): [number, number] {
  return [Math.floor((rank * total) / workers), Math.floor(((rank + 1) * total) / workers)];
}
