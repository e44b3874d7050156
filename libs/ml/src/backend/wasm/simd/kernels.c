/*
 * WebAssembly SIMD training kernels that run on the TF.js WASM backend's own heap (the module
 * imports its memory: every pointer is a byte address of a tensor there, nothing is copied).
 * Built by build.sh into ../simd-kernels.wasm.ts; the module must use no stack and no data
 * segments (build.sh checks), since the memory it imports belongs to the backend.
 *
 * All loops are plain f32x4 multiply + add (WebAssembly SIMD has no fused multiply-add, so the
 * results round like the cpu backend's separate multiply and add).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
/* Output pixels per cache block of the filter gradient (256 measured best of 64/256/1024). */
#define PIX 256
#define INLINE static inline __attribute__((always_inline))

typedef struct {
  int n, hp, wp, ci;   /* padded input x: [n, hp, wp, ci] */
  int oh, ow, co;      /* dy: [n, oh, ow, co] */
  int kh, kw;          /* filter taps */
  int sh, sw, dh, dw;  /* strides, dilations */
} Geom;

/* Offset in floats, relative to an output pixel's top-left input element, of dW row k. */
INLINE int row_offset(const Geom *g, int k) {
  int c = k % g->ci;
  int t = k / g->ci;
  int kw = t % g->kw;
  int kh = t / g->kw;
  return (kh * g->dh * g->wp + kw * g->dw) * g->ci + c;
}

/*
 * dW[k0 .. k0+R, c0 .. c0+4*V] += sum over the output pixels of rows [oh0, oh1) of image b of
 * xpad[pixel + off_k] * dy[pixel, c]. R rows of the filter gradient times V f32x4 columns stay
 * in registers for the whole pixel range (R*V <= 12 accumulators).
 */
INLINE void tile(const Geom *g, const float *x, const float *dy, float *dw, int b, int oh0,
                 int oh1, int k0, int c0, int R, int V) {
  int off[6];
  v128_t acc[6][3];
  for (int r = 0; r < R; r++) {
    off[r] = row_offset(g, k0 + r);
    for (int v = 0; v < V; v++) acc[r][v] = wasm_v128_load(dw + (k0 + r) * g->co + c0 + 4 * v);
  }
  const int xstep = g->sw * g->ci;
  for (int oh = oh0; oh < oh1; oh++) {
    const float *xp = x + ((b * g->hp + oh * g->sh) * g->wp) * g->ci;
    const float *gp = dy + ((b * g->oh + oh) * g->ow) * g->co + c0;
    for (int ow = 0; ow < g->ow; ow++, xp += xstep, gp += g->co) {
      v128_t gv[3];
      for (int v = 0; v < V; v++) gv[v] = wasm_v128_load(gp + 4 * v);
      for (int r = 0; r < R; r++) {
        v128_t a = wasm_v128_load32_splat(xp + off[r]);
        for (int v = 0; v < V; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(a, gv[v]));
      }
    }
  }
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++) wasm_v128_store(dw + (k0 + r) * g->co + c0 + 4 * v, acc[r][v]);
}

/* Rows 6 at a time (then the remainder one at a time) for one column block of V vectors. */
INLINE void column_block(const Geom *g, const float *x, const float *dy, float *dw, int b,
                         int oh0, int oh1, int c0, int V, int K) {
  int k = 0;
  if (V == 2) {
    for (; k + 6 <= K; k += 6) tile(g, x, dy, dw, b, oh0, oh1, k, c0, 6, 2);
  } else if (V == 3) {
    for (; k + 4 <= K; k += 4) tile(g, x, dy, dw, b, oh0, oh1, k, c0, 4, 3);
  } else {
    for (; k + 6 <= K; k += 6) tile(g, x, dy, dw, b, oh0, oh1, k, c0, 6, 1);
  }
  for (; k < K; k++) {
    if (V == 3) tile(g, x, dy, dw, b, oh0, oh1, k, c0, 1, 3);
    else if (V == 2) tile(g, x, dy, dw, b, oh0, oh1, k, c0, 1, 2);
    else tile(g, x, dy, dw, b, oh0, oh1, k, c0, 1, 1);
  }
}

/*
 * The CI % 4 == 0 tile: R = 4 consecutive input channels of one tap (a single x pointer with
 * constant offsets, which keeps general registers free) times V f32x4 columns.
 */
INLINE void tile4(const Geom *g, const float *x, const float *dy, float *dw, int b, int oh0,
                  int oh1, int k0, int c0, int V) {
  v128_t acc[4][4];
  const int off = row_offset(g, k0);
  for (int r = 0; r < 4; r++)
    for (int v = 0; v < V; v++) acc[r][v] = wasm_v128_load(dw + (k0 + r) * g->co + c0 + 4 * v);
  const int xstep = g->sw * g->ci;
  for (int oh = oh0; oh < oh1; oh++) {
    const float *xp = x + ((b * g->hp + oh * g->sh) * g->wp) * g->ci + off;
    const float *gp = dy + ((b * g->oh + oh) * g->ow) * g->co + c0;
    for (int ow = 0; ow < g->ow; ow++, xp += xstep, gp += g->co) {
      v128_t gv[4];
      for (int v = 0; v < V; v++) gv[v] = wasm_v128_load(gp + 4 * v);
      for (int r = 0; r < 4; r++) {
        v128_t a = wasm_v128_load32_splat(xp + r);
        for (int v = 0; v < V; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(a, gv[v]));
      }
    }
  }
  for (int r = 0; r < 4; r++)
    for (int v = 0; v < V; v++) wasm_v128_store(dw + (k0 + r) * g->co + c0 + 4 * v, acc[r][v]);
}

/*
 * Conv2D filter gradient over an explicitly zero-padded NHWC input (so every tap of every
 * output pixel is in range): dW[kh, kw, ci, co] = sum_{b, oh, ow}
 * xpad[b, oh*sh + kh*dh, ow*sw + kw*dw, ci] * dy[b, oh, ow, co]. Requires co % 4 == 0.
 * Pixels are taken in blocks of a few output rows so the block's x and dy stay in cache
 * while every (row, column) tile of dW passes over them. CI % 4 == 0 takes 4-channel x
 * 12-column tiles (measured ~15% faster than the generic 6 x 8 ones at fmnist's conv2).
 */
EXPORT(conv_filter_grad)
void conv_filter_grad(const float *x, const float *dy, float *dw, int n, int hp, int wp, int ci,
                      int oh, int ow, int co, int kh, int kw, int sh, int sw, int dh, int dwl) {
  Geom g = {n, hp, wp, ci, oh, ow, co, kh, kw, sh, sw, dh, dwl};
  const int K = kh * kw * ci;
  for (int i = 0; i < K * co; i += 4) wasm_v128_store(dw + i, wasm_f32x4_splat(0.0f));
  int rows = PIX / (ow > 0 ? ow : 1);
  if (rows < 1) rows = 1;
  for (int b = 0; b < n; b++) {
    for (int oh0 = 0; oh0 < oh; oh0 += rows) {
      int oh1 = oh0 + rows < oh ? oh0 + rows : oh;
      int c0 = 0;
      if (ci % 4 == 0) {
        for (; c0 + 12 <= co; c0 += 12)
          for (int k = 0; k < K; k += 4) tile4(&g, x, dy, dw, b, oh0, oh1, k, c0, 3);
        for (; c0 + 8 <= co; c0 += 8)
          for (int k = 0; k < K; k += 4) tile4(&g, x, dy, dw, b, oh0, oh1, k, c0, 2);
        for (; c0 < co; c0 += 4)
          for (int k = 0; k < K; k += 4) tile4(&g, x, dy, dw, b, oh0, oh1, k, c0, 1);
        continue;
      }
      for (; c0 + 12 <= co && (co - c0) % 8 != 0; c0 += 12)
        column_block(&g, x, dy, dw, b, oh0, oh1, c0, 3, K);
      for (; c0 + 8 <= co; c0 += 8) column_block(&g, x, dy, dw, b, oh0, oh1, c0, 2, K);
      for (; c0 < co; c0 += 4) column_block(&g, x, dy, dw, b, oh0, oh1, c0, 1, K);
    }
  }
}

/*
 * Copies NHWC x [n, h, w, c] into the zeroed-border buffer xp [n, h+pt+pb, w+pl+pr, c].
 */
EXPORT(pad_nhwc)
void pad_nhwc(const float *x, float *xp, int n, int h, int w, int c, int pt, int pb, int pl,
              int pr) {
  const int hp = h + pt + pb, wp = w + pl + pr;
  const int rowIn = w * c, rowOut = wp * c;
  for (int b = 0; b < n; b++) {
    for (int i = 0; i < hp; i++) {
      float *o = xp + (b * hp + i) * rowOut;
      int ih = i - pt;
      if (ih < 0 || ih >= h) {
        for (int j = 0; j < rowOut; j++) o[j] = 0.0f;
        continue;
      }
      for (int j = 0; j < pl * c; j++) o[j] = 0.0f;
      const float *s = x + (b * h + ih) * rowIn;
      float *d = o + pl * c;
      int j = 0;
      for (; j + 4 <= rowIn; j += 4) wasm_v128_store(d + j, wasm_v128_load(s + j));
      for (; j < rowIn; j++) d[j] = s[j];
      for (int k = (pl + w) * c; k < rowOut; k++) o[k] = 0.0f;
    }
  }
}

/* Sums V f32x4 columns starting at c0 over all rows, in float64 (two f64x2 per vector). */
INLINE void column_sum_block(const float *x, float *out, int rows, int cols, int c0, int V) {
  v128_t lo[4], hi[4];
  for (int v = 0; v < V; v++) lo[v] = hi[v] = wasm_f64x2_splat(0.0);
  const float *p = x + c0;
  for (int r = 0; r < rows; r++, p += cols) {
    for (int v = 0; v < V; v++) {
      v128_t f = wasm_v128_load(p + 4 * v);
      lo[v] = wasm_f64x2_add(lo[v], wasm_f64x2_promote_low_f32x4(f));
      hi[v] = wasm_f64x2_add(
          hi[v], wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(f, f, 2, 3, 0, 1)));
    }
  }
  for (int v = 0; v < V; v++) {
    v128_t a = wasm_f32x4_demote_f64x2_zero(lo[v]);
    v128_t b = wasm_f32x4_demote_f64x2_zero(hi[v]);
    wasm_v128_store(out + c0 + 4 * v, wasm_i32x4_shuffle(a, b, 0, 1, 4, 5));
  }
}

/*
 * out[c] = sum_r x[r, c] (float32 result) with float64 accumulation, for cols % 4 == 0:
 * column blocks of up to 16 floats (eight f64x2 accumulators) stream over all rows.
 */
EXPORT(column_sum)
void column_sum(const float *x, float *out, int rows, int cols) {
  int c0 = 0;
  for (; c0 + 16 <= cols; c0 += 16) column_sum_block(x, out, rows, cols, c0, 4);
  int rest = (cols - c0) / 4;
  if (rest == 3) column_sum_block(x, out, rows, cols, c0, 3);
  else if (rest == 2) column_sum_block(x, out, rows, cols, c0, 2);
  else if (rest == 1) column_sum_block(x, out, rows, cols, c0, 1);
}

/*
 * One Adam step over n floats, every operation rounded to float32 in the stock optimizer's
 * order (so the result is bitwise that of fused-adam.ts's JS loop):
 *   m' = m*b1 + g*c1;  v' = v*b2 + (g*g)*c2;  x' = ((m'/d1) / (sqrt(v'/d2) + eps)) * negLr + x
 */
EXPORT(adam_update)
void adam_update(const float *x, const float *m, const float *v, const float *g, float *nx,
                 float *nm, float *nv, int n, float b1, float b2, float c1, float c2, float d1,
                 float d2, float eps, float negLr) {
  const v128_t B1 = wasm_f32x4_splat(b1), B2 = wasm_f32x4_splat(b2);
  const v128_t C1 = wasm_f32x4_splat(c1), C2 = wasm_f32x4_splat(c2);
  const v128_t D1 = wasm_f32x4_splat(d1), D2 = wasm_f32x4_splat(d2);
  const v128_t E = wasm_f32x4_splat(eps), L = wasm_f32x4_splat(negLr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), B1), wasm_f32x4_mul(gi, C1));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), B2),
                               wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), C2));
    wasm_v128_store(nm + i, mi);
    wasm_v128_store(nv + i, vi);
    v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, D2)), E);
    v128_t step = wasm_f32x4_mul(wasm_f32x4_div(wasm_f32x4_div(mi, D1), den), L);
    wasm_v128_store(nx + i, wasm_f32x4_add(step, wasm_v128_load(x + i)));
  }
  for (; i < n; i++) {
    float gi = g[i];
    float mi = m[i] * b1 + gi * c1;
    float vi = v[i] * b2 + (gi * gi) * c2;
    nm[i] = mi;
    nv[i] = vi;
    float den = __builtin_sqrtf(vi / d2) + eps;
    nx[i] = ((mi / d1) / den) * negLr + x[i];
  }
}

/*
 * MaxPoolGrad for 2x2 windows, stride 2, no padding, c % 4 == 0: each window's gradient goes
 * to its first maximum in row-major order (strict >, as the cpu backend; NaN never wins), and
 * the other three pixels get 0. Input rows/columns outside every window (odd sizes) get 0.
 */
EXPORT(max_pool_grad_2x2)
void max_pool_grad_2x2(const float *x, const float *g, float *dx, int n, int ih, int iw, int c,
                       int oh, int ow) {
  if (ih != 2 * oh || iw != 2 * ow) {
    for (int i = 0; i < n * ih * iw * c; i += 4) wasm_v128_store(dx + i, wasm_f32x4_splat(0.0f));
  }
  const int row = iw * c;
  for (int b = 0; b < n; b++) {
    for (int r = 0; r < oh; r++) {
      const int base = (b * ih + 2 * r) * row;
      const float *gp = g + ((b * oh + r) * ow) * c;
      for (int q = 0; q < ow; q++, gp += c) {
        const int p0 = base + 2 * q * c, p1 = p0 + c, p2 = p0 + row, p3 = p2 + c;
        for (int ch = 0; ch < c; ch += 4) {
          v128_t v0 = wasm_v128_load(x + p0 + ch), v1 = wasm_v128_load(x + p1 + ch);
          v128_t v2 = wasm_v128_load(x + p2 + ch), v3 = wasm_v128_load(x + p3 + ch);
          v128_t gv = wasm_v128_load(gp + ch);
          v128_t k1 = wasm_f32x4_gt(v1, v0);
          v128_t m = wasm_v128_bitselect(v1, v0, k1);
          v128_t k2 = wasm_f32x4_gt(v2, m);
          m = wasm_v128_bitselect(v2, m, k2);
          v128_t k3 = wasm_f32x4_gt(v3, m);
          v128_t later = wasm_v128_or(k2, k3);
          wasm_v128_store(dx + p3 + ch, wasm_v128_and(gv, k3));
          wasm_v128_store(dx + p2 + ch, wasm_v128_andnot(wasm_v128_and(gv, k2), k3));
          wasm_v128_store(dx + p1 + ch, wasm_v128_andnot(wasm_v128_and(gv, k1), later));
          wasm_v128_store(dx + p0 + ch, wasm_v128_andnot(gv, wasm_v128_or(k1, later)));
        }
      }
    }
  }
}

/* C[m0 .. m0+R, c0 .. c0+4V] (+)= sum_{k in [k0, k1)} A(m, k) B(k, c), A(m, k) = a[m*sam + k*sak]. */
INLINE void gemm_tile(const float *a, const float *b, float *c, int k0, int k1, int sam, int sak,
                      int ldb, int ldc, int m0, int c0, int R, int V) {
  v128_t acc[4][3];
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++)
      acc[r][v] = k0 == 0 ? wasm_f32x4_splat(0.0f)
                          : wasm_v128_load(c + (m0 + r) * ldc + c0 + 4 * v);
  const float *ap = a + m0 * sam + k0 * sak;
  const float *bp = b + k0 * ldb + c0;
  for (int k = k0; k < k1; k++, ap += sak, bp += ldb) {
    v128_t bv[3];
    for (int v = 0; v < V; v++) bv[v] = wasm_v128_load(bp + 4 * v);
    for (int r = 0; r < R; r++) {
      v128_t s = wasm_v128_load32_splat(ap + r * sam);
      for (int v = 0; v < V; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(s, bv[v]));
    }
  }
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++) wasm_v128_store(c + (m0 + r) * ldc + c0 + 4 * v, acc[r][v]);
}

/* All column blocks of rows [m0, m0+R): the A tile stays in L1 across them. */
INLINE void gemm_rows(const float *a, const float *b, float *c, int N, int k0, int k1, int sam,
                      int sak, int ldb, int ldc, int m0, int R) {
  int c0 = 0;
  for (; c0 + 12 <= N; c0 += 12) gemm_tile(a, b, c, k0, k1, sam, sak, ldb, ldc, m0, c0, R, 3);
  for (; c0 + 8 <= N; c0 += 8) gemm_tile(a, b, c, k0, k1, sam, sak, ldb, ldc, m0, c0, R, 2);
  for (; c0 < N; c0 += 4) gemm_tile(a, b, c, k0, k1, sam, sak, ldb, ldc, m0, c0, R, 1);
}

/* Rows of B per cache block of the GEMM. */
#define KC 256

/*
 * C[M, N] = A · B with A(m, k) at a[m*sam + k*sak] (so A may be a transposed view: sam = 1),
 * B row-major [K, ldb], C row-major [M, ldc]; N % 4 == 0. 4 rows x 12 columns of C stay in
 * registers over a block of KC rows of B (which stays in cache across the row tiles); each
 * 4-row tile of A stays in L1 across all column blocks. No
 * packing (XNNPACK re-packs B on every call, since training's weights are new tensors).
 */
EXPORT(gemm)
void gemm(const float *a, const float *b, float *c, int M, int N, int K, int sam, int sak,
          int ldb, int ldc) {
  if (K == 0) {
    for (int m = 0; m < M; m++)
      for (int j = 0; j < N; j += 4) wasm_v128_store(c + m * ldc + j, wasm_f32x4_splat(0.0f));
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int k1 = k0 + KC < K ? k0 + KC : K;
    int m = 0;
    for (; m + 4 <= M; m += 4) gemm_rows(a, b, c, N, k0, k1, sam, sak, ldb, ldc, m, 4);
    for (; m < M; m++) gemm_rows(a, b, c, N, k0, k1, sam, sak, ldb, ldc, m, 1);
  }
}
