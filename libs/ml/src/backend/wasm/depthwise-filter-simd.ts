import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry } from './conv-geometry';

/*
 * Depthwise filter gradient (channel multiplier 1) as a per-channel correlation over NHWC:
 *   dW[kh, kw, c] = Σ_{n, oh, ow} x[n, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, c] · dy[n, oh, ow, c]
 * The hot loop is a tiny hand-assembled WebAssembly SIMD module that imports the TF.js WASM
 * backend's own memory, so it reads x and dy in place (no copies, no im2col). For one (n, oh,
 * kh, kw) it walks the valid ow range once, keeping 16 channels in four f32x4 registers per pass,
 * and adds each row's sums into a float64 accumulator (the filter is tiny; f64 keeps batch-sized
 * sums as accurate as the cpu backend's). XNNPACK's depthwise conv has no fast path for the
 * (OH x OW)-sized "filter" the im2col-free formulation needs, which is why this beats it.
 */

/** `row(xPtr, gPtr, accPtr, count, xStep, gStep, channelBytes)`: byte addresses and strides. */
type RowKernel = (
  xPtr: number,
  gPtr: number,
  accPtr: number,
  count: number,
  xStep: number,
  gStep: number,
  channelBytes: number,
) => void;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Name bytes (ASCII only; no Buffer, so this also runs in browsers). */
const ascii = (s: string): number[] => Array.from(s, (ch) => ch.charCodeAt(0));

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

// Opcodes (core and the 0xfd SIMD prefix).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_SHL = 0x74;
const I32_GT_S = 0x4a;
const I32_EQZ = 0x45;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const v128Load = (offset: number): number[] => [...simd(0x00), 0, ...uleb(offset)];
const v128Store = (offset: number): number[] => [...simd(0x0b), 0, ...uleb(offset)];
const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
// i8x16.shuffle moving the high two f32 lanes low, for the second promote.
const HIGH_TO_LOW = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const F64X2_ADD = simd(0xf0);
const F64X2_PROMOTE_LOW = simd(0x5f);

// Parameters and locals of the row kernel.
const P_X = 0;
const P_G = 1;
const P_ACC = 2;
const P_COUNT = 3;
const P_XSTEP = 4;
const P_GSTEP = 5;
const P_CB = 6;
const L_C = 7;
const L_O = 8;
const L_XP = 9;
const L_GP = 10;
const L_A = 11; // 11..14: v128 accumulators

const get = (i: number): number[] => [LOCAL_GET, i];
const set = (i: number): number[] => [LOCAL_SET, i];
const i32 = (v: number): number[] => [I32_CONST, ...sleb(v)];

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** One channel-block pass over `lanes` f32x4 vectors (16 bytes each), repeated while it fits. */
function blockLoop(lanes: number): number[] {
  const bytes = 16 * lanes;
  const body: number[] = [];
  // while (c + bytes <= channelBytes)
  body.push(BLOCK, VOID, LOOP, VOID);
  body.push(...get(L_C), ...i32(bytes), I32_ADD, ...get(P_CB), I32_GT_S, BR_IF, 1);
  for (let k = 0; k < lanes; k++) body.push(...V128_ZERO, ...set(L_A + k));
  body.push(...get(P_X), ...get(L_C), I32_ADD, ...set(L_XP));
  body.push(...get(P_G), ...get(L_C), I32_ADD, ...set(L_GP));
  body.push(...get(P_COUNT), ...set(L_O));
  // for (o = count; o != 0; o--) a_k += x[xp + 16k] * g[gp + 16k]
  body.push(BLOCK, VOID, LOOP, VOID);
  body.push(...get(L_O), I32_EQZ, BR_IF, 1);
  for (let k = 0; k < lanes; k++) {
    body.push(...get(L_A + k), ...get(L_XP), ...v128Load(16 * k));
    body.push(...get(L_GP), ...v128Load(16 * k), ...F32X4_MUL, ...F32X4_ADD, ...set(L_A + k));
  }
  body.push(...get(L_XP), ...get(P_XSTEP), I32_ADD, ...set(L_XP));
  body.push(...get(L_GP), ...get(P_GSTEP), I32_ADD, ...set(L_GP));
  body.push(...get(L_O), ...i32(1), I32_SUB, ...set(L_O));
  body.push(BR, 0, END, END);
  // acc (float64, at accPtr + 2c) += promote(a_k): low and high lane pairs.
  body.push(...get(P_ACC), ...get(L_C), ...i32(1), I32_SHL, I32_ADD, ...set(L_XP));
  for (let k = 0; k < lanes; k++) {
    const lo = 32 * k;
    body.push(...get(L_XP), ...get(L_XP), ...v128Load(lo), ...get(L_A + k), ...F64X2_PROMOTE_LOW);
    body.push(...F64X2_ADD, ...v128Store(lo));
    body.push(...get(L_XP), ...get(L_XP), ...v128Load(lo + 16), ...get(L_A + k), ...get(L_A + k));
    body.push(...HIGH_TO_LOW, ...F64X2_PROMOTE_LOW, ...F64X2_ADD, ...v128Store(lo + 16));
  }
  body.push(...get(L_C), ...i32(bytes), I32_ADD, ...set(L_C));
  body.push(BR, 0, END, END);
  return body;
}

/** The module's bytes: imports env.mem, exports `row` (see {@link RowKernel}). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const V128 = 0x7b;
  const type = section(1, [1, 0x60, 7, ...new Array<number>(7).fill(I32), 0]);
  const env = [...uleb(3), ...ascii('env')];
  const mem = [...uleb(3), ...ascii('mem')];
  const imports = section(2, [1, ...env, ...mem, 0x02, 0x00, 0x00]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...uleb(3), ...ascii('row'), 0x00, 0]);
  const locals = [2, 4, I32, 4, V128];
  // 16 channels per pass while they last, then 4 at a time (callers pass channelBytes % 16 == 0).
  const expr = [...blockLoop(4), ...blockLoop(1), END];
  const fn = [...locals, ...expr];
  const code = section(10, [1, ...uleb(fn.length), ...fn]);
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return new Uint8Array([...header, ...type, ...imports, ...funcs, ...exports, ...code]);
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, RowKernel>();

/** The backend's heap as a WebAssembly.Memory (emscripten exposes its exports as `asm`). */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const asm: unknown = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm;
  const memory =
    typeof asm === 'object' && asm !== null ? (asm as { memory?: unknown }).memory : undefined;
  // A shared (threaded-build) memory would need a `shared` import type: not handled, use JS.
  if (!(memory instanceof WebAssembly.Memory) || !(memory.buffer instanceof ArrayBuffer))
    return null;
  return memory;
}

/**
 * The SIMD row kernel bound to `backend`'s memory, or null where WebAssembly SIMD or the
 * backend's memory is not available (callers then use another path).
 */
function rowKernel(backend: BackendWasm): RowKernel | null {
  const memory = backendMemory(backend);
  if (memory === null) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  if (compiled === null) return null;
  const instance = new WebAssembly.Instance(compiled, { env: { mem: memory } });
  const row = instance.exports['row'] as RowKernel;
  instances.set(memory, row);
  return row;
}

/** Whether the SIMD kernel can run on `backend` (WebAssembly SIMD and an unshared heap). */
export function simdFilterGradAvailable(backend: BackendWasm): boolean {
  return rowKernel(backend) !== null;
}

/**
 * Whether {@link depthwiseFilterGradSimd} handles this geometry: channel multiplier 1 and a
 * channel count that is a multiple of 4 (whole f32x4 vectors). Any strides, dilations and
 * padding are fine.
 */
export function simdFilterGradApplies(g: ConvGeometry): boolean {
  return g.co === g.ci && g.ci % 4 === 0;
}

/**
 * Adds dW (multiplier 1, layout [KH, KW, C]) into the zeroed float64 accumulator at byte
 * address `accPtr` (8-byte aligned, KH·KW·C doubles) of `backend`'s heap, reading x and dy at
 * byte addresses `xPtr` and `gPtr`. Returns false (touching nothing) where the SIMD kernel is
 * unavailable.
 */
export function depthwiseFilterGradSimd(
  backend: BackendWasm,
  g: ConvGeometry,
  ptrs: { xPtr: number; gPtr: number; accPtr: number },
): boolean {
  const row = rowKernel(backend);
  if (row === null) return false;
  const { batchSize, inHeight, inWidth, ci, outHeight, outWidth, fh, fw } = g;
  const { sh, sw, dh, dw, pt, pl } = g;
  const cb = ci * 4;
  // Per kw, the ow range whose input column iw = ow·sw + kw·dw − pl lies inside the image.
  const owLo = new Int32Array(fw);
  const count = new Int32Array(fw);
  for (let kw = 0; kw < fw; kw++) {
    const shift = kw * dw - pl;
    owLo[kw] = Math.max(0, Math.ceil(-shift / sw));
    const owHi = Math.min(outWidth, Math.floor((inWidth - 1 - shift) / sw) + 1);
    count[kw] = Math.max(0, owHi - owLo[kw]!);
  }
  // Taps innermost: one dy row and its fh input rows stay in cache across all KH·KW passes
  // (taps outermost re-streamed the whole of x and dy from memory once per tap).
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const gRow = ptrs.gPtr + (b * outHeight + oh) * outWidth * cb;
      for (let kh = 0; kh < fh; kh++) {
        const ih = oh * sh + kh * dh - pt;
        if (ih < 0 || ih >= inHeight) continue;
        const xRow = ptrs.xPtr + (b * inHeight + ih) * inWidth * cb;
        for (let kw = 0; kw < fw; kw++) {
          const n = count[kw]!;
          if (n === 0) continue;
          const lo = owLo[kw]!;
          const x = xRow + (lo * sw + kw * dw - pl) * cb;
          const acc = ptrs.accPtr + (kh * fw + kw) * ci * 8;
          row(x, gRow + lo * cb, acc, n, sw * cb, cb, cb);
        }
      }
    }
  }
  return true;
}
