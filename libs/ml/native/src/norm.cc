// Batch normalisation, mean reductions (global average pooling, batch moments) and fused
// element-wise kernels on TF.js layouts (channels last, float32), zero-copy on caller buffers.
//
// Training batch norm (moments and normalisation fused, and its gradient with the moments
// differentiated too) runs as two memory-bound passes each way: channel sums over the rows
// (per-thread double accumulators), then one vectorised pass over the contiguous channel axis.
// oneDNN's batch_normalization primitives do the same work and stay selectable
// (setBatchNormOnednn), but measured slower here (see g_bn_onednn). Inference batch norm
// (given statistics) runs on oneDNN. Any rank is viewed as [rows, C, 1, 1] unless it is NHWC.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <dnnl.hpp>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "dispatch.h"
#include "dnnl-common.h"
#include "dnnl-compat.h"
#include "kernels.h"
#include "napi-util.h"

namespace convscope {
namespace {

using detail::cached;
using detail::engine;
using detail::Entry;
using detail::stream;
using detail::wrap;

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using flags = dnnl::normalization_flags;

// Same threshold as kernels.cc: below it, waking the OpenMP pool costs more than the work.
constexpr int64_t kParallelMin = 1 << 15;

/** Geometry of a batch-norm call: x is [n, h, w, c] (channels last). */
struct BnShape {
  int64_t n, h, w, c;
  int64_t rows() const { return n * h * w; }
  int64_t size() const { return n * h * w * c; }
};

std::string bn_key(const char *op, const BnShape &s, float eps, unsigned f) {
  std::ostringstream k;
  k << op << ':' << s.n << ',' << s.h << ',' << s.w << ',' << s.c << ':' << eps << ':' << f;
  return k.str();
}

struct BnDescs {
  memory::desc data, stat;
  explicit BnDescs(const BnShape &s)
      : data({s.n, s.c, s.h, s.w}, dt::f32, tag::nhwc), stat({s.c}, dt::f32, tag::x) {}
};

dnnl::batch_normalization_forward::primitive_desc bn_fwd_pd(const BnDescs &d, dnnl::prop_kind prop, float eps,
                                                            flags f) {
  return compat::batch_norm_forward_pd(prop, d.data, eps, f);
}

struct BnTrainFwd : Entry {
  BnDescs d;
  dnnl::batch_normalization_forward prim;
  BnTrainFwd(const BnShape &s, float eps) : d(s) {
    prim = dnnl::batch_normalization_forward(
        bn_fwd_pd(d, dnnl::prop_kind::forward_training, eps, flags::use_scale | flags::use_shift));
  }
};

struct BnTrainBwd : Entry {
  BnDescs d;
  dnnl::batch_normalization_backward prim;
  memory shift;  // oneDNN 2.x wants the shift among the backward's arguments; its value is unused
  BnTrainBwd(const BnShape &s, float eps) : d(s), shift(d.stat, engine()) {
    const auto f = flags::use_scale | flags::use_shift;
    auto hint = bn_fwd_pd(d, dnnl::prop_kind::forward_training, eps, f);
    prim = dnnl::batch_normalization_backward(compat::batch_norm_backward_pd(d.data, d.data, eps, f, hint));
  }
};

struct BnInfer : Entry {
  BnDescs d;
  dnnl::batch_normalization_forward prim;
  BnInfer(const BnShape &s, float eps, flags f) : d(s) {
    prim = dnnl::batch_normalization_forward(bn_fwd_pd(d, dnnl::prop_kind::forward_inference, eps, f));
  }
};

// Hot loops over row blocks of [rows, c] arrays, each its own function so CONVSCOPE_DISPATCH
// gives it an AVX2 clone (dispatch.h); the OpenMP regions below call them per thread chunk.
// Sums accumulate in double: batch statistics add up to N*H*W rows.

// a1 += sum of x rows, a2 += sum of x^2 rows.
CONVSCOPE_DISPATCH void sums_span(int64_t rows, int64_t c, const float *x, double *a1, double *a2) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    for (int64_t i = 0; i < c; i++) {
      const double v = xr[i];
      a1[i] += v;
      a2[i] += v * v;
    }
  }
}

// a1 += sum of dy rows, a2 += sum of dy * (x - mean) rows.
CONVSCOPE_DISPATCH void grad_sums_span(int64_t rows, int64_t c, const float *x, const float *dy, const float *mean,
                                       double *a1, double *a2) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    const float *gr = dy + r * c;
    for (int64_t i = 0; i < c; i++) {
      const double g = gr[i];
      a1[i] += g;
      a2[i] += g * (static_cast<double>(xr[i]) - mean[i]);
    }
  }
}

// y = x * k + b per channel.
CONVSCOPE_DISPATCH void affine_span(int64_t rows, int64_t c, const float *x, const float *k, const float *b,
                                    float *y) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    float *yr = y + r * c;
    for (int64_t i = 0; i < c; i++) yr[i] = xr[i] * k[i] + b[i];
  }
}

// dx = dy * a + x * k + b per channel.
CONVSCOPE_DISPATCH void affine2_span(int64_t rows, int64_t c, const float *dy, const float *x, const float *a,
                                     const float *k, const float *b, float *dx) {
  for (int64_t r = 0; r < rows; r++) {
    const float *gr = dy + r * c;
    const float *xr = x + r * c;
    float *dr = dx + r * c;
    for (int64_t i = 0; i < c; i++) dr[i] = gr[i] * a[i] + xr[i] * k[i] + b[i];
  }
}

// acc += sum of x rows (one accumulator vector).
CONVSCOPE_DISPATCH void row_sum_span(int64_t rows, int64_t c, const float *x, double *acc) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    for (int64_t i = 0; i < c; i++) acc[i] += xr[i];
  }
}

// Row blocks [r0, r1) of thread t of nt.
inline int64_t block(int64_t rows, int t, int nt) { return rows * t / nt; }

int threads_for(int64_t n) { return n >= kParallelMin ? omp_get_max_threads() : 1; }

// Two per-channel sums over [rows, c], per-thread accumulators merged in thread order.
// span(r0, count, a1, a2) accumulates rows [r0, r0 + count).
template <typename Span>
void channel_sums(int64_t rows, int64_t c, double *s1, double *s2, Span span) {
  const int threads = threads_for(rows * c);
  std::vector<double> partial(static_cast<size_t>(threads) * 2 * c, 0.0);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    double *a1 = partial.data() + static_cast<size_t>(t) * 2 * c;
    const int64_t r0 = block(rows, t, nt), r1 = block(rows, t + 1, nt);
    span(r0, r1 - r0, a1, a1 + c);
  }
  for (int64_t i = 0; i < c; i++) {
    double v1 = 0, v2 = 0;
    for (int t = 0; t < threads; t++) {
      v1 += partial[static_cast<size_t>(t) * 2 * c + i];
      v2 += partial[static_cast<size_t>(t) * 2 * c + c + i];
    }
    s1[i] = v1;
    s2[i] = v2;
  }
}

// Loop versions of the training forward / backward: two passes each, two parallel regions.
void bn_train_forward_loops(const BnShape &s, float eps, const float *x, const float *scale, const float *shift,
                            float *y, float *mean, float *var) {
  const int64_t c = s.c, rows = s.rows();
  std::vector<double> sum(c), sq(c);
  channel_sums(rows, c, sum.data(), sq.data(), [&](int64_t r0, int64_t n, double *a1, double *a2) {
    sums_span(n, c, x + r0 * c, a1, a2);
  });
  std::vector<float> k(c), b(c);
  for (int64_t i = 0; i < c; i++) {
    const double m = sum[i] / rows;
    // E[x^2] - E[x]^2 in double: exact enough for float32 data (cancellation needs |mean| / std > 1e6).
    const double v = std::max(sq[i] / rows - m * m, 0.0);
    mean[i] = static_cast<float>(m);
    var[i] = static_cast<float>(v);
    const double ki = scale[i] / std::sqrt(v + eps);
    k[i] = static_cast<float>(ki);
    b[i] = static_cast<float>(shift[i] - m * ki);
  }
#pragma omp parallel num_threads(threads_for(rows * c))
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t r0 = block(rows, t, nt), r1 = block(rows, t + 1, nt);
    affine_span(r1 - r0, c, x + r0 * c, k.data(), b.data(), y + r0 * c);
  }
}

void bn_train_backward_loops(const BnShape &s, float eps, const float *x, const float *dy, const float *scale,
                             const float *mean, const float *var, const float *dmean, const float *dvar, float *dx,
                             float *dscale, float *dshift) {
  const int64_t c = s.c, rows = s.rows();
  std::vector<double> sdy(c), sdyx(c);
  channel_sums(rows, c, sdy.data(), sdyx.data(), [&](int64_t r0, int64_t n, double *a1, double *a2) {
    grad_sums_span(n, c, x + r0 * c, dy + r0 * c, mean, a1, a2);
  });
  // dx = a * dy + k * x + b, with a = scale * rstd and
  // k = -a * rstd^2 * sum(dy (x - mean)) / N + 2 dvar / N, b = -a * sum(dy) / N + dmean / N - k * mean.
  std::vector<float> a(c), k(c), b(c);
  for (int64_t i = 0; i < c; i++) {
    const double rstd = 1.0 / std::sqrt(static_cast<double>(var[i]) + eps);
    const double ai = scale[i] * rstd;
    const double ki = -ai * rstd * rstd * sdyx[i] / rows + (dvar ? 2.0 * dvar[i] / rows : 0.0);
    const double bi = -ai * sdy[i] / rows + (dmean ? dmean[i] / static_cast<double>(rows) : 0.0) - ki * mean[i];
    dshift[i] = static_cast<float>(sdy[i]);
    dscale[i] = static_cast<float>(sdyx[i] * rstd);
    a[i] = static_cast<float>(ai);
    k[i] = static_cast<float>(ki);
    b[i] = static_cast<float>(bi);
  }
#pragma omp parallel num_threads(threads_for(rows * c))
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t r0 = block(rows, t, nt), r1 = block(rows, t + 1, nt);
    affine2_span(r1 - r0, c, dy + r0 * c, x + r0 * c, a.data(), k.data(), b.data(), dx + r0 * c);
  }
}

// Training batch norm on oneDNN's primitives instead of the loops above. Off by default: on
// the 2-core CI machine oneDNN 2.6's nhwc bnorm (bnorm_tbb_jit:avx2) took 3-4x the loops' time
// for [32, 64, 64, 64] (forward 49-62 ms vs 12-16 ms, backward 35-44 ms vs 17-24 ms, 2 threads,
// load ~10); kept switchable so the comparison can be rerun and both stay tested.
bool g_bn_onednn = false;

bool use_loops() { return !g_bn_onednn; }

/**
 * Training-mode batch norm: mean / biased variance over every axis but the channels, then
 * y = (x - mean) / sqrt(var + eps) * scale + shift.
 */
void batch_norm_train_forward(const BnShape &s, float eps, const float *x, const float *scale, const float *shift,
                              float *y, float *mean, float *var) {
  if (use_loops()) return bn_train_forward_loops(s, eps, x, scale, shift, y, mean, var);
  auto &e = cached<BnTrainFwd>(bn_key("bntf", s, eps, 0), [&] { return new BnTrainFwd(s, eps); });
  e.prim.execute(stream(), {{DNNL_ARG_SRC, wrap(e.d.data, x)},
                            {DNNL_ARG_DST, wrap(e.d.data, y)},
                            {DNNL_ARG_SCALE, wrap(e.d.stat, scale)},
                            {DNNL_ARG_SHIFT, wrap(e.d.stat, shift)},
                            {DNNL_ARG_MEAN, wrap(e.d.stat, mean)},
                            {DNNL_ARG_VARIANCE, wrap(e.d.stat, var)}});
  stream().wait();
}

/**
 * Gradient of batch_norm_train_forward (moments included): dx, dscale, dshift from dy. When
 * the mean / variance outputs have gradients of their own (dmean, dvar, may be null), their
 * contributions dmean/N + dvar * 2 (x - mean) / N are added to dx.
 */
void batch_norm_train_backward(const BnShape &s, float eps, const float *x, const float *dy, const float *scale,
                               const float *mean, const float *var, const float *dmean, const float *dvar, float *dx,
                               float *dscale, float *dshift) {
  if (use_loops()) return bn_train_backward_loops(s, eps, x, dy, scale, mean, var, dmean, dvar, dx, dscale, dshift);
  auto &e = cached<BnTrainBwd>(bn_key("bntb", s, eps, 0), [&] { return new BnTrainBwd(s, eps); });
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e.d.data, x)},
                                       {DNNL_ARG_DIFF_DST, wrap(e.d.data, dy)},
                                       {DNNL_ARG_SCALE, wrap(e.d.stat, scale)},
                                       {DNNL_ARG_MEAN, wrap(e.d.stat, mean)},
                                       {DNNL_ARG_VARIANCE, wrap(e.d.stat, var)},
                                       {DNNL_ARG_DIFF_SRC, wrap(e.d.data, dx)},
                                       {DNNL_ARG_DIFF_SCALE, wrap(e.d.stat, dscale)},
                                       {DNNL_ARG_DIFF_SHIFT, wrap(e.d.stat, dshift)}};
  if (compat::kBatchNormBackwardTakesShift) args.emplace(DNNL_ARG_SHIFT, e.shift);
  e.prim.execute(stream(), args);
  stream().wait();
  const int64_t c = s.c, rows = s.rows();
  bool extra = false;
  for (int64_t i = 0; i < c && !extra; i++) extra = (dmean && dmean[i] != 0.f) || (dvar && dvar[i] != 0.f);
  if (!extra) return;  // the usual case: only y reaches the loss
  std::vector<float> a(c), b(c);
  for (int64_t i = 0; i < c; i++) {
    a[i] = dvar ? 2.f * dvar[i] / rows : 0.f;
    b[i] = (dmean ? dmean[i] / rows : 0.f) - a[i] * mean[i];
  }
#pragma omp parallel for schedule(static) if (s.size() >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    float *dr = dx + r * c;
    for (int64_t i = 0; i < c; i++) dr[i] += xr[i] * a[i] + b[i];
  }
}

/** Inference batch norm with given statistics; scale / shift may be null (1 / 0). */
void batch_norm_inference(const BnShape &s, float eps, const float *x, const float *mean, const float *var,
                          const float *scale, const float *shift, float *y) {
  unsigned f = static_cast<unsigned>(flags::use_global_stats);
  if (scale) f |= static_cast<unsigned>(flags::use_scale);
  if (shift) f |= static_cast<unsigned>(flags::use_shift);
  auto &e = cached<BnInfer>(bn_key("bni", s, eps, f), [&] { return new BnInfer(s, eps, static_cast<flags>(f)); });
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e.d.data, x)},
                                       {DNNL_ARG_DST, wrap(e.d.data, y)},
                                       {DNNL_ARG_MEAN, wrap(e.d.stat, mean)},
                                       {DNNL_ARG_VARIANCE, wrap(e.d.stat, var)}};
  if (scale) args.emplace(DNNL_ARG_SCALE, wrap(e.d.stat, scale));
  if (shift) args.emplace(DNNL_ARG_SHIFT, wrap(e.d.stat, shift));
  e.prim.execute(stream(), args);
  stream().wait();
}

/**
 * y[o, i] = mean over r of x[o, r, i]: TF.js's Mean over one contiguous block of axes (global
 * average pooling: [n, h*w, c]; batch moments: [1, n*h*w, c]). Accumulates in double.
 */
void mean_reduce(int64_t outer, int64_t reduce, int64_t inner, const float *x, float *y) {
  const int threads = threads_for(outer * reduce * inner);
  const double inv = 1.0 / static_cast<double>(reduce);
  if (outer >= 2 * threads) {
    // Enough independent outputs (global average pooling): whole slices per thread, no merging.
#pragma omp parallel num_threads(threads)
    {
      std::vector<double> acc(inner);
#pragma omp for schedule(static)
      for (int64_t o = 0; o < outer; o++) {
        std::fill(acc.begin(), acc.end(), 0.0);
        row_sum_span(reduce, inner, x + o * reduce * inner, acc.data());
        for (int64_t i = 0; i < inner; i++) y[o * inner + i] = static_cast<float>(acc[i] * inv);
      }
    }
    return;
  }
  // Few outputs (batch moments): every thread sums a block of the reduced axis, merged in order.
  std::vector<double> partial(static_cast<size_t>(threads) * inner);
  for (int64_t o = 0; o < outer; o++) {
    std::fill(partial.begin(), partial.end(), 0.0);
    const float *xo = x + o * reduce * inner;
#pragma omp parallel num_threads(threads)
    {
      const int t = omp_get_thread_num(), nt = omp_get_num_threads();
      const int64_t r0 = block(reduce, t, nt), r1 = block(reduce, t + 1, nt);
      row_sum_span(r1 - r0, inner, xo + r0 * inner, partial.data() + static_cast<size_t>(t) * inner);
    }
    for (int64_t i = 0; i < inner; i++) {
      double v = 0;
      for (int t = 0; t < threads; t++) v += partial[static_cast<size_t>(t) * inner + i];
      y[o * inner + i] = static_cast<float>(v * inv);
    }
  }
}

// Max-pooling gradient for 2x2 windows at stride 2 without padding (every conv block of the
// presets), one row of windows: each dx element is written exactly once (dy at the window's
// first maximum, as TF.js's CPU kernel picks ties, else 0), so no zero-fill and no
// read-modify-write pass as in the general kernel (kernels.cc's maxpool_backward).
CONVSCOPE_DISPATCH void maxpool_grad_2x2_row(int64_t ow, int64_t c, const float *x0, const float *x1, const float *dy,
                                             float *d0, float *d1) {
  for (int64_t o = 0; o < ow; o++) {
    const float *a = x0 + 2 * o * c, *b = a + c, *e = x1 + 2 * o * c, *f = e + c;
    const float *g = dy + o * c;
    float *da = d0 + 2 * o * c, *db = da + c, *de = d1 + 2 * o * c, *df = de + c;
    // ivdep: nine pointers are too many for the vectoriser's run-time alias checks; inputs
    // and outputs are distinct tensors.
#pragma GCC ivdep
    for (int64_t i = 0; i < c; i++) {
      // Strict comparisons in window order: ties (and NaNs) keep the earlier element; float
      // selects only, so the loop vectorises.
      const float av = a[i], bv = b[i], ev = e[i], fv = f[i], gi = g[i];
      const float m1 = bv > av ? bv : av;
      const float m2 = ev > m1 ? ev : m1;
      const float ga = bv > av ? 0.f : gi;  // a's share unless e or f wins
      const float gb = bv > av ? gi : 0.f;
      const float ra = ev > m1 ? 0.f : ga, rb = ev > m1 ? 0.f : gb, re = ev > m1 ? gi : 0.f;
      da[i] = fv > m2 ? 0.f : ra;
      db[i] = fv > m2 ? 0.f : rb;
      de[i] = fv > m2 ? 0.f : re;
      df[i] = fv > m2 ? gi : 0.f;
    }
  }
}

/** dx of a 2x2 / stride-2 / unpadded max pool; rows and columns past the last window get 0. */
void maxpool_backward_2x2(int64_t n, int64_t ih, int64_t iw, int64_t c, const float *x, const float *dy, float *dx) {
  const int64_t oh = ih / 2, ow = iw / 2;
  const int64_t row = iw * c;
  const int64_t tail = (iw - 2 * ow) * c;  // a leftover column ('valid' with odd width)
#pragma omp parallel for schedule(static) num_threads(threads_for(n * ih * iw * c))
  for (int64_t bo = 0; bo < n * oh; bo++) {
    const int64_t b = bo / oh, h = bo % oh;
    const float *x0 = x + (b * ih + 2 * h) * row;
    float *d0 = dx + (b * ih + 2 * h) * row;
    maxpool_grad_2x2_row(ow, c, x0, x0 + row, dy + (b * oh + h) * ow * c, d0, d0 + row);
    if (tail > 0) {
      std::fill(d0 + 2 * ow * c, d0 + row, 0.f);
      std::fill(d0 + row + 2 * ow * c, d0 + 2 * row, 0.f);
    }
    // A leftover row ('valid' with odd height) belongs to the image's last window row.
    if (h == oh - 1 && ih > 2 * oh) std::fill(dx + (b * ih + 2 * oh) * row, dx + (b + 1) * ih * row, 0.f);
  }
}

// y = a + b element-wise (same shapes: residual connections, gradient accumulation).
CONVSCOPE_DISPATCH void add_span(int64_t n, const float *a, const float *b, float *y) {
  for (int64_t i = 0; i < n; i++) y[i] = a[i] + b[i];
}

void add_same(int64_t n, const float *a, const float *b, float *y) {
#pragma omp parallel num_threads(threads_for(n))
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t i0 = block(n, t, nt), i1 = block(n, t + 1, nt);
    add_span(i1 - i0, a + i0, b + i0, y + i0);
  }
}

// One plain (uncentered) RMSprop step over a span, every intermediate rounded to float32 in
// the order of tf.train.rmsprop (no FMA: -ffp-contract=off), so results are bitwise the same.
// p = [learningRate, decay, 1 - decay, momentum, epsilon].
CONVSCOPE_DISPATCH void rmsprop_span(int64_t n, const float *x, const float *ms, const float *mom, const float *g,
                                     float *nx, float *nms, float *nmom, const float *p) {
  const float lr = p[0], decay = p[1], one_minus_decay = p[2], momentum = p[3], eps = p[4];
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float s = ms[i] * decay + (gi * gi) * one_minus_decay;
    const float m = mom[i] * momentum + (gi * lr) / std::sqrt(s + eps);
    nms[i] = s;
    nmom[i] = m;
    nx[i] = x[i] - m;
  }
}

void rmsprop_update(int64_t n, const float *x, const float *ms, const float *mom, const float *g, float *nx,
                    float *nms, float *nmom, const float *p) {
#pragma omp parallel num_threads(threads_for(n))
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t i0 = block(n, t, nt), i1 = block(n, t + 1, nt);
    rmsprop_span(i1 - i0, x + i0, ms + i0, mom + i0, g + i0, nx + i0, nms + i0, nmom + i0, p);
  }
}

using namespace convscope::napi;

BnShape bn_shape(napi_env env, napi_value v) {
  auto d = ints(env, v, 4, "batch norm shape");
  if (d[3] < 1) throw JsError("batch norm: channels must be >= 1");
  return BnShape{d[0], d[1], d[2], d[3]};
}

float f32_value(napi_env env, napi_value v, const char *name) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw JsError(std::string(name) + " must be a number");
  return static_cast<float>(d);
}

// batchNormTrainForward(x, scale, shift, y, mean, variance, [n, h, w, c], epsilon)
napi_value BatchNormTrainForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 8);
    BnShape s = bn_shape(env, a[6]);
    const size_t n = s.size(), c = s.c;
    batch_norm_train_forward(s, f32_value(env, a[7], "epsilon"), f32(env, a[0], n, "x"), f32(env, a[1], c, "scale"),
                             f32(env, a[2], c, "shift"), f32(env, a[3], n, "y"), f32(env, a[4], c, "mean"),
                             f32(env, a[5], c, "variance"));
    return undefined(env);
  });
}

// batchNormTrainBackward(x, dy, scale, mean, variance, dmean | null, dvariance | null, dx, dscale, dshift,
//                        [n, h, w, c], epsilon)
napi_value BatchNormTrainBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 12);
    BnShape s = bn_shape(env, a[10]);
    const size_t n = s.size(), c = s.c;
    batch_norm_train_backward(s, f32_value(env, a[11], "epsilon"), f32(env, a[0], n, "x"), f32(env, a[1], n, "dy"),
                              f32(env, a[2], c, "scale"), f32(env, a[3], c, "mean"), f32(env, a[4], c, "variance"),
                              f32(env, a[5], c, "dmean", true), f32(env, a[6], c, "dvariance", true),
                              f32(env, a[7], n, "dx"), f32(env, a[8], c, "dscale"), f32(env, a[9], c, "dshift"));
    return undefined(env);
  });
}

// batchNormInference(x, mean, variance, scale | null, shift | null, y, [n, h, w, c], epsilon)
napi_value BatchNormInference(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 8);
    BnShape s = bn_shape(env, a[6]);
    const size_t n = s.size(), c = s.c;
    batch_norm_inference(s, f32_value(env, a[7], "epsilon"), f32(env, a[0], n, "x"), f32(env, a[1], c, "mean"),
                         f32(env, a[2], c, "variance"), f32(env, a[3], c, "scale", true),
                         f32(env, a[4], c, "shift", true), f32(env, a[5], n, "y"));
    return undefined(env);
  });
}

// maxPoolBackward2x2(x, dy, dx, [n, ih, iw, c])
napi_value MaxPoolBackward2x2(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    auto d = ints(env, a[3], 4, "maxPoolBackward2x2 shape");
    const int64_t n = d[0], ih = d[1], iw = d[2], c = d[3];
    if (ih < 2 || iw < 2) throw JsError("maxPoolBackward2x2: the input must be at least 2x2");
    const size_t in = n * ih * iw * c;
    maxpool_backward_2x2(n, ih, iw, c, f32(env, a[0], in, "x"), f32(env, a[1], n * (ih / 2) * (iw / 2) * c, "dy"),
                         f32(env, a[2], in, "dx"));
    return undefined(env);
  });
}

// addSame(a, b, y): y = a + b, all of one length.
napi_value AddSame(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 3);
    size_t n = 0;
    check(napi_get_typedarray_info(env, a[0], nullptr, &n, nullptr, nullptr, nullptr), "typedarray_info");
    add_same(static_cast<int64_t>(n), f32(env, a[0], n, "a"), f32(env, a[1], n, "b"), f32(env, a[2], n, "y"));
    return undefined(env);
  });
}

// rmspropUpdate(x, ms, mom, g, newX, newMs, newMom, params[5])
napi_value RmspropUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 8);
    size_t n = 0;
    check(napi_get_typedarray_info(env, a[0], nullptr, &n, nullptr, nullptr, nullptr), "typedarray_info");
    rmsprop_update(static_cast<int64_t>(n), f32(env, a[0], n, "x"), f32(env, a[1], n, "ms"), f32(env, a[2], n, "mom"),
                   f32(env, a[3], n, "g"), f32(env, a[4], n, "newX"), f32(env, a[5], n, "newMs"),
                   f32(env, a[6], n, "newMom"), f32(env, a[7], 5, "params"));
    return undefined(env);
  });
}

// setBatchNormOnednn(on): training batch norm on oneDNN's primitives (true) or the loops (false).
napi_value SetBatchNormOnednn(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 1);
    g_bn_onednn = boolean(env, a[0]);
    return undefined(env);
  });
}

// meanReduce(x, y, [outer, reduce, inner])
napi_value MeanReduce(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 3);
    auto d = ints(env, a[2], 3, "mean shape");
    if (d[1] < 1) throw JsError("mean: the reduced size must be >= 1");
    mean_reduce(d[0], d[1], d[2], f32(env, a[0], d[0] * d[1] * d[2], "x"), f32(env, a[1], d[0] * d[2], "y"));
    return undefined(env);
  });
}

}  // namespace

void register_norm(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"batchNormTrainForward", nullptr, BatchNormTrainForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTrainBackward", nullptr, BatchNormTrainBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormInference", nullptr, BatchNormInference, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"meanReduce", nullptr, MeanReduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolBackward2x2", nullptr, MaxPoolBackward2x2, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addSame", nullptr, AddSame, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmspropUpdate", nullptr, RmspropUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setBatchNormOnednn", nullptr, SetBatchNormOnednn, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
}

}  // namespace convscope
