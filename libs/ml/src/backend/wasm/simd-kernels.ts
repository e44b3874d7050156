import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backendMemory } from './depthwise-filter-simd';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-kernels.wasm';

/*
 * The WebAssembly SIMD kernels of simd/kernels.c (rebuilt by simd/build.sh), instantiated on the
 * TF.js WASM backend's own memory: every argument named *Ptr is a tensor's byte address on that
 * heap (backend.getMemoryOffset), so nothing is copied in or out.
 */

/** The module's exports (see simd/kernels.c for each one's contract). */
export interface SimdKernels {
  /** dW = Σ xpad ⊗ dy over an already zero-padded NHWC input; requires co % 4 == 0. */
  conv_filter_grad(
    xPtr: number,
    dyPtr: number,
    dwPtr: number,
    n: number,
    hp: number,
    wp: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
  ): void;
  /** Copies NHWC x into a buffer with zero borders (pt, pb rows; pl, pr columns). */
  pad_nhwc(
    xPtr: number,
    outPtr: number,
    n: number,
    h: number,
    w: number,
    c: number,
    pt: number,
    pb: number,
    pl: number,
    pr: number,
  ): void;
  /** out[c] = Σ_r x[r, c] with float64 accumulation; requires cols % 4 == 0. */
  column_sum(xPtr: number, outPtr: number, rows: number, cols: number): void;
  /** MaxPoolGrad, 2x2 windows, stride 2, unpadded, c % 4 == 0 (first maximum wins). */
  max_pool_grad_2x2(
    xPtr: number,
    gPtr: number,
    dxPtr: number,
    n: number,
    ih: number,
    iw: number,
    c: number,
    oh: number,
    ow: number,
  ): void;
  /** C[M, N] = A · B, A(m, k) at a[m·sam + k·sak], B row-major [K, ldb]; N % 4 == 0. */
  gemm(
    aPtr: number,
    bPtr: number,
    cPtr: number,
    m: number,
    n: number,
    k: number,
    sam: number,
    sak: number,
    ldb: number,
    ldc: number,
  ): void;
  /** One Adam step, bitwise as fused-adam.ts's float32 JS loop. */
  adam_update(
    xPtr: number,
    mPtr: number,
    vPtr: number,
    gPtr: number,
    nxPtr: number,
    nmPtr: number,
    nvPtr: number,
    n: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    d1: number,
    d2: number,
    eps: number,
    negLr: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();
let disabled = false;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = decodeBase64(SIMD_KERNELS_WASM_BASE64);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/**
 * The SIMD kernels on a private memory of at least `bytes` bytes (for plain typed arrays, e.g.
 * the data-parallel trainer's optimizer slice), or null where WebAssembly SIMD is unavailable
 * or disabled. Pointers are byte offsets into `memory`.
 */
export function simdKernelsWithMemory(
  bytes: number,
): { kernels: SimdKernels; memory: WebAssembly.Memory } | null {
  const mod = disabled ? null : compiledModule();
  if (mod === null) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(2, Math.ceil(bytes / 65536)) });
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  return { kernels: instance.exports as unknown as SimdKernels, memory };
}

/**
 * The SIMD kernels bound to `backend`'s memory, or null where WebAssembly SIMD or an unshared
 * backend heap is not available (callers then keep their JS / XNNPACK path).
 */
export function simdKernels(backend: BackendWasm): SimdKernels | null {
  if (disabled) return null;
  const memory = backendMemory(backend);
  if (memory === null) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  const mod = compiledModule();
  if (mod === null) return null;
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const kernels = instance.exports as unknown as SimdKernels;
  instances.set(memory, kernels);
  return kernels;
}

/** Turns the SIMD kernels off (or back on) so tests and benches can compare both paths. */
export function setSimdKernelsEnabled(enabled: boolean): void {
  disabled = !enabled;
}
