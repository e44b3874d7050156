// oneDNN implementations of the kernels declared in kernels.h.
//
// Layout strategy: activations stay in the caller's NHWC buffers (oneDNN's `nhwc` tag, no
// reorder), except in the backward weights (blocked, see ConvBwdWeights); filters are handed to
// oneDNN in whatever layout the primitive prefers (`format_tag::any`), with one small cached
// reorder from / to HWIO per call. Primitive descriptors, primitives, reorders and scratch
// buffers are cached by shape, so a training step after the first creates nothing.
#include <cmath>
#include "kernels.h"
#include "dnnl-common.h"
#include "dnnl-compat.h"
#include "dispatch.h"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <dnnl.hpp>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace convscope {
namespace {

using detail::cache;
using detail::cached;
using detail::engine;
using detail::Entry;
using detail::stream;
using detail::wrap;

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

std::string conv_key(const char *op, const ConvShape &s, int flags) {
  std::ostringstream k;
  k << op << ':' << s.n << ',' << s.ih << ',' << s.iw << ',' << s.ic << ',' << s.oh << ',' << s.ow << ','
    << s.oc << ',' << s.kh << ',' << s.kw << ',' << s.sh << ',' << s.sw << ',' << s.dh << ',' << s.dw << ','
    << s.pt << ',' << s.pl << ',' << s.pb << ',' << s.pr << ':' << flags;
  return k.str();
}

std::string pool_key(const char *op, const PoolShape &s) {
  std::ostringstream k;
  k << op << ':' << s.n << ',' << s.ih << ',' << s.iw << ',' << s.c << ',' << s.oh << ',' << s.ow << ','
    << s.kh << ',' << s.kw << ',' << s.sh << ',' << s.sw << ',' << s.pt << ',' << s.pl << ',' << s.pb << ','
    << s.pr;
  return k.str();
}

// Logical oneDNN descriptors (dims always N,C,H,W / O,I,H,W) over TF.js physical layouts.
struct ConvDescs {
  memory::desc src, dst, weights_user, weights_any, bias;
  memory::dims strides, dilates, pad_l, pad_r;
  explicit ConvDescs(const ConvShape &s)
      : src({s.n, s.ic, s.ih, s.iw}, dt::f32, tag::nhwc),
        dst({s.n, s.oc, s.oh, s.ow}, dt::f32, tag::nhwc),
        weights_user({s.oc, s.ic, s.kh, s.kw}, dt::f32, tag::hwio),
        weights_any({s.oc, s.ic, s.kh, s.kw}, dt::f32, tag::any),
        bias({s.oc}, dt::f32, tag::x),
        strides{s.sh, s.sw},
        dilates{s.dh - 1, s.dw - 1},  // oneDNN counts dilation from 0
        pad_l{s.pt, s.pl},
        pad_r{s.pb, s.pr} {}
};

// Forward descriptor shared by the forward kernel and as the hint of the backward ones.
dnnl::convolution_forward::primitive_desc conv_fwd_pd(const ConvDescs &d, bool bias, bool relu,
                                                       dnnl::prop_kind prop) {
  return compat::conv_forward_pd(prop, d.src, d.weights_any, d.bias, bias, d.dst, d.strides, d.dilates, d.pad_l,
                                 d.pad_r, compat::relu_attr(relu));
}

// A primitive's preferred layout of an input (filter, or activation in the backward weights) plus
// the reorder from the user's HWIO / NHWC buffer into an owned copy.
struct ReorderIn {
  bool needs_reorder = false;
  memory internal;
  dnnl::reorder reorder;
  void init(const memory::desc &user, const memory::desc &wanted) {
    needs_reorder = wanted != user;
    if (!needs_reorder) return;
    internal = memory(wanted, engine());  // owned scratch, reused every call
    reorder = dnnl::reorder(wrap(user, nullptr), internal);
  }
  // The memory the primitive should read: the user buffer itself or its reordered copy.
  memory get(const memory::desc &user, const float *w) {
    memory u = wrap(user, w);
    if (!needs_reorder) return u;
    reorder.execute(stream(), u, internal);
    return internal;
  }
};

struct ConvFwd : Entry {
  ConvDescs d;
  dnnl::convolution_forward prim;
  ReorderIn w;
  ConvFwd(const ConvShape &s, bool bias, bool relu) : d(s) {
    auto pd = conv_fwd_pd(d, bias, relu, dnnl::prop_kind::forward_inference);
    prim = dnnl::convolution_forward(pd);
    w.init(d.weights_user, pd.weights_desc());
  }
};

struct ConvBwdData : Entry {
  ConvDescs d;
  dnnl::convolution_backward_data prim;
  ReorderIn w;
  explicit ConvBwdData(const ConvShape &s) : d(s) {
    auto hint = conv_fwd_pd(d, false, false, dnnl::prop_kind::forward_training);
    auto pd = compat::conv_backward_data_pd(d.src, d.weights_any, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r,
                                            hint);
    prim = dnnl::convolution_backward_data(pd);
    w.init(d.weights_user, pd.weights_desc());
  }
};

// Backward weights. With `blocked` (the default from 3 input channels, bwdw_blocked), x and dy
// are handed over in the layout the primitive prefers (`any`: nChw8c on AVX2), reordered from
// NHWC per call: oneDNN 2.6's jit:avx2 backward-weights kernel on NHWC took 1.1 to 1.7 times the
// CPU time of the blocked kernel plus both reorders (32x64x64x32: 62.9 vs 44.8 ms; 20x74x74x32
// ->64: 132 vs 77 ms; 32x128x128x3->32: 48 vs 36 ms; 2 threads, measured beside each other).
struct ConvBwdWeights : Entry {
  ConvDescs d;
  dnnl::convolution_backward_weights prim;
  ReorderIn src, diff_dst;
  bool needs_reorder = false;
  memory internal;  // diff_weights in the primitive's layout when that is not HWIO
  dnnl::reorder to_user;
  ConvBwdWeights(const ConvShape &s, bool bias, bool blocked) : d(s) {
    const memory::desc src_md = blocked ? memory::desc({s.n, s.ic, s.ih, s.iw}, dt::f32, tag::any) : d.src;
    const memory::desc dst_md = blocked ? memory::desc({s.n, s.oc, s.oh, s.ow}, dt::f32, tag::any) : d.dst;
    auto hint = compat::conv_forward_pd(dnnl::prop_kind::forward_training, src_md, d.weights_any, d.bias, bias,
                                        dst_md, d.strides, d.dilates, d.pad_l, d.pad_r, compat::relu_attr(false));
    auto pd = compat::conv_backward_weights_pd(src_md, d.weights_any, d.bias, bias, dst_md, d.strides, d.dilates,
                                               d.pad_l, d.pad_r, hint);
    prim = dnnl::convolution_backward_weights(pd);
    src.init(d.src, pd.src_desc());
    diff_dst.init(d.dst, pd.diff_dst_desc());
    needs_reorder = pd.diff_weights_desc() != d.weights_user;
    if (needs_reorder) {
      internal = memory(pd.diff_weights_desc(), engine());
      to_user = dnnl::reorder(internal, wrap(d.weights_user, nullptr));
    }
  }
};

struct PoolDescs {
  memory::desc src, dst;
  memory::dims strides, kernel, pad_l, pad_r;
  explicit PoolDescs(const PoolShape &s)
      : src({s.n, s.c, s.ih, s.iw}, dt::f32, tag::nhwc),
        dst({s.n, s.c, s.oh, s.ow}, dt::f32, tag::nhwc),
        strides{s.sh, s.sw},
        kernel{s.kh, s.kw},
        pad_l{s.pt, s.pl},
        pad_r{s.pb, s.pr} {}
  dnnl::pooling_forward::primitive_desc fwd_pd(dnnl::prop_kind prop) const {
    return compat::pooling_forward_pd(prop, dnnl::algorithm::pooling_max, src, dst, strides, kernel, pad_l, pad_r);
  }
};

struct PoolFwd : Entry {
  PoolDescs d;
  dnnl::pooling_forward prim;
  explicit PoolFwd(const PoolShape &s) : d(s) {
    prim = dnnl::pooling_forward(d.fwd_pd(dnnl::prop_kind::forward_inference));
  }
};

struct MatMul : Entry {
  memory::desc a, b, c;
  dnnl::matmul prim;
  memory::desc bias;
  MatMul(int64_t ba, int64_t bb, int64_t m, int64_t n, int64_t k, bool ta, bool tb, bool has_bias, bool relu) {
    const int64_t batch = ba > bb ? ba : bb;
    // Transposes are expressed as strides over the same row-major storage: no copies.
    a = memory::desc({ba, m, k}, dt::f32, ta ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1});
    b = memory::desc({bb, k, n}, dt::f32, tb ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1});
    c = memory::desc({batch, m, n}, dt::f32, memory::dims{m * n, n, 1});
    // Bias [n] broadcast over batch and rows; relu as a post-op (TF.js _FusedMatMul).
    bias = memory::desc({1, 1, n}, dt::f32, memory::dims{n, n, 1});
    prim = dnnl::matmul(compat::matmul_pd(a, b, bias, has_bias, c, compat::relu_attr(relu)));
  }
};

}  // namespace

void set_num_threads(int threads) { omp_set_num_threads(threads); }
int get_num_threads() { return omp_get_max_threads(); }
int64_t cache_size() { return static_cast<int64_t>(cache().size()); }
void clear_cache() { cache().clear(); }

void conv2d_forward(const ConvShape &s, const float *x, const float *w, const float *bias, float *y, bool relu) {
  const bool has_bias = bias != nullptr;
  auto &e = cached<ConvFwd>(conv_key("cf", s, has_bias | (relu << 1)), [&] { return new ConvFwd(s, has_bias, relu); });
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e.d.src, x)},
                                       {DNNL_ARG_WEIGHTS, e.w.get(e.d.weights_user, w)},
                                       {DNNL_ARG_DST, wrap(e.d.dst, y)}};
  if (has_bias) args.emplace(DNNL_ARG_BIAS, wrap(e.d.bias, bias));
  e.prim.execute(stream(), args);
  stream().wait();
}

void conv2d_backward_data(const ConvShape &s, const float *dy, const float *w, float *dx) {
  auto &e = cached<ConvBwdData>(conv_key("cbd", s, 0), [&] { return new ConvBwdData(s); });
  e.prim.execute(stream(), {{DNNL_ARG_DIFF_DST, wrap(e.d.dst, dy)},
                            {DNNL_ARG_WEIGHTS, e.w.get(e.d.weights_user, w)},
                            {DNNL_ARG_DIFF_SRC, wrap(e.d.src, dx)}});
  stream().wait();
}

// Whether the backward weights takes x and dy in oneDNN's blocked layouts (see ConvBwdWeights).
// Not for one input channel (fmnist's first layer), where NHWC is the same as NCHW and the
// reorders cost more than they save (64x28x28x1->32: 2.0 ms CPU NHWC, 5.4 ms blocked), measured
// beside each other. CONVSCOPE_ONEDNN_BWDW_PLAIN=1 keeps NHWC everywhere (the kernel before the
// blocked layouts; read per call so a benchmark can switch it in one process).
//
// Nor for 1x1 kernels (the pointwise convolutions of separable blocks, the 1x1 strided residual
// projections): oneDNN's jit_1x1 backward weights on NHWC took less CPU than the blocked kernel
// plus both reorders, which are as large as the work itself there (AVX2 / AVX-512 CPU ms,
// 2 threads: 32x64x64x128->128 71.6 vs 85.1 / 72.9 vs 74.8; stride 2 32x64x64x64->128 15.2 vs
// 21.7 / 12.6 vs 20.1; 32x16x16x512->512 59.2 vs 54.8 / 52.7 vs 48.9), and a whole
// xception-style training step took 3.7% less CPU with NHWC backward weights.
static bool bwdw_blocked(const ConvShape &s) {
  if (s.ic < 3) return false;
  if (s.kh == 1 && s.kw == 1) return false;
  const char *v = std::getenv("CONVSCOPE_ONEDNN_BWDW_PLAIN");
  return v == nullptr || v[0] == '\0' || v[0] == '0';
}

void conv2d_backward_weights(const ConvShape &s, const float *x, const float *dy, float *dw, float *db) {
  const bool has_bias = db != nullptr;
  const bool blocked = bwdw_blocked(s);
  auto &e = cached<ConvBwdWeights>(conv_key("cbw", s, has_bias | (blocked << 1)),
                                   [&] { return new ConvBwdWeights(s, has_bias, blocked); });
  memory user = wrap(e.d.weights_user, dw);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e.src.get(e.d.src, x)},
                                       {DNNL_ARG_DIFF_DST, e.diff_dst.get(e.d.dst, dy)},
                                       {DNNL_ARG_DIFF_WEIGHTS, e.needs_reorder ? e.internal : user}};
  if (has_bias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(e.d.bias, db));
  e.prim.execute(stream(), args);
  if (e.needs_reorder) e.to_user.execute(stream(), e.internal, user);
  stream().wait();
}

void maxpool_forward(const PoolShape &s, const float *x, float *y) {
  auto &e = cached<PoolFwd>(pool_key("pf", s), [&] { return new PoolFwd(s); });
  e.prim.execute(stream(), {{DNNL_ARG_SRC, wrap(e.d.src, x)}, {DNNL_ARG_DST, wrap(e.d.dst, y)}});
  stream().wait();
}

namespace {

// One image of maxpool_backward: per output pixel, running max and its window index for every
// channel. Loops run over the contiguous channel axis innermost, so both passes vectorise.
CONVSCOPE_DISPATCH void maxpool_backward_image(const PoolShape &s, const float *xb, const float *dyb, float *dxb,
                                               float *bp, int32_t *ap) {
  std::fill(dxb, dxb + s.ih * s.iw * s.c, 0.f);
  for (int64_t oh = 0; oh < s.oh; oh++) {
    const int64_t h0 = oh * s.sh - s.pt;
    const int64_t kh0 = std::max<int64_t>(0, -h0), kh1 = std::min<int64_t>(s.kh, s.ih - h0);
    for (int64_t ow = 0; ow < s.ow; ow++) {
      const int64_t w0 = ow * s.sw - s.pl;
      const int64_t kw0 = std::max<int64_t>(0, -w0), kw1 = std::min<int64_t>(s.kw, s.iw - w0);
      const float *g = dyb + (oh * s.ow + ow) * s.c;
      if (kh0 >= kh1 || kw0 >= kw1) continue;  // window entirely in the padding
      const float *first = xb + ((h0 + kh0) * s.iw + (w0 + kw0)) * s.c;
      for (int64_t c = 0; c < s.c; c++) {
        bp[c] = first[c];
        ap[c] = 0;
      }
      int32_t k = 0;
      for (int64_t kh = kh0; kh < kh1; kh++) {
        for (int64_t kw = kw0; kw < kw1; kw++, k++) {
          if (k == 0) continue;
          const float *xp = xb + ((h0 + kh) * s.iw + (w0 + kw)) * s.c;
          for (int64_t c = 0; c < s.c; c++) {
            const bool better = xp[c] > bp[c];  // strict: ties keep the first maximum
            bp[c] = better ? xp[c] : bp[c];
            ap[c] = better ? k : ap[c];
          }
        }
      }
      k = 0;
      for (int64_t kh = kh0; kh < kh1; kh++) {
        for (int64_t kw = kw0; kw < kw1; kw++, k++) {
          float *dp = dxb + ((h0 + kh) * s.iw + (w0 + kw)) * s.c;
          for (int64_t c = 0; c < s.c; c++) dp[c] += ap[c] == k ? g[c] : 0.f;
        }
      }
    }
  }
}

}  // namespace

// Hand-written instead of oneDNN's pooling backward: that one needs the forward's workspace,
// and recomputing the forward (training mode) plus the backward took two full passes over x
// and dx (measured ~2x slower than this single pass). Ties go to the first maximum in
// window order, like TF.js's CPU kernel. Batches run in parallel: windows of one image may
// overlap (stride < window), windows of different images never do.
void maxpool_backward(const PoolShape &s, const float *x, const float *dy, float *dx) {
  const int64_t in_img = s.ih * s.iw * s.c;
  const int64_t out_img = s.oh * s.ow * s.c;
#pragma omp parallel
  {
    std::vector<float> best(s.c);
    std::vector<int32_t> arg(s.c);
#pragma omp for schedule(static)
    for (int64_t b = 0; b < s.n; b++)
      maxpool_backward_image(s, x + b * in_img, dy + b * out_img, dx + b * in_img, best.data(), arg.data());
  }
}

void matmul(int64_t batch_a, int64_t batch_b, int64_t m, int64_t n, int64_t k, bool trans_a, bool trans_b,
            const float *a, const float *b, float *c, const float *bias, bool relu) {
  const bool has_bias = bias != nullptr;
  std::ostringstream key;
  key << "mm:" << batch_a << ',' << batch_b << ',' << m << ',' << n << ',' << k << ',' << trans_a << trans_b
      << has_bias << relu;
  auto &e = cached<MatMul>(key.str(), [&] {
    return new MatMul(batch_a, batch_b, m, n, k, trans_a, trans_b, has_bias, relu);
  });
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, wrap(e.a, a)}, {DNNL_ARG_WEIGHTS, wrap(e.b, b)}, {DNNL_ARG_DST, wrap(e.c, c)}};
  if (has_bias) args.emplace(DNNL_ARG_BIAS, wrap(e.bias, bias));
  e.prim.execute(stream(), args);
  stream().wait();
}

// Memory-bound elementwise kernels: plain loops the compiler vectorises, each in a
// CONVSCOPE_DISPATCH function (AVX2 or baseline, chosen at load time; see dispatch.h) called on
// one contiguous chunk per OpenMP thread, the split `omp for schedule(static)` made before.
// Small inputs stay on one thread, where waking the pool would cost more than the work.
constexpr int64_t kParallelMin = 1 << 15;

namespace {

// Runs span(i0, i1) over [0, n) split into one contiguous chunk per thread (on the calling
// thread alone when `work`, the number of elements touched, is small).
template <typename Span>
void parallel_spans(int64_t n, int64_t work, Span span) {
  if (work < kParallelMin) {
    span(int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t q = n / nt, r = n % nt;  // static schedule: the first r threads take one more
    const int64_t i0 = t * q + std::min(t, r);
    span(i0, i0 + q + (t < r ? 1 : 0));
  }
}

CONVSCOPE_DISPATCH void bias_add_rows(int64_t rows, int64_t cols, const float *x, const float *bias, float *y,
                                      bool relu) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    if (relu) {
      for (int64_t c = 0; c < cols; c++) yr[c] = std::max(xr[c] + bias[c], 0.f);
    } else {
      for (int64_t c = 0; c < cols; c++) yr[c] = xr[c] + bias[c];
    }
  }
}

CONVSCOPE_DISPATCH void relu_span(int64_t n, const float *x, float *y) {
  for (int64_t i = 0; i < n; i++) y[i] = std::max(x[i], 0.f);
}

CONVSCOPE_DISPATCH void relu_grad_span(int64_t n, const float *dy, const float *x, float *dx) {
  // Everything computed up front and `omp simd` (iterations are independent), so the selects
  // become blends instead of branches.
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    const float xi = x[i], gi = dy[i], zero = gi * 0.f;  // 0 * inf stays NaN
    dx[i] = xi > 0.f ? gi : (xi != xi ? xi : zero);      // NaN passes through
  }
}

struct AdamParams {
  float neg_lr, b1, b2, eps, d1, d2, c1, c2;
};

CONVSCOPE_DISPATCH void adam_span(int64_t n, const float *x, const float *m, const float *v, const float *g,
                                  float *nx, float *nm, float *nv, const AdamParams &p) {
  const float neg_lr = p.neg_lr, b1 = p.b1, b2 = p.b2, eps = p.eps, d1 = p.d1, d2 = p.d2, c1 = p.c1, c2 = p.c2;
  // Seven arrays are more than GCC's run-time alias checks cover; the iterations are
  // independent (an output is either its input itself or a separate buffer), so say so.
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * c1;
    const float vi = v[i] * b2 + (gi * gi) * c2;
    nm[i] = mi;
    nv[i] = vi;
    nx[i] = ((mi / d1) / (std::sqrt(vi / d2) + eps)) * neg_lr + x[i];
  }
}

CONVSCOPE_DISPATCH void sum_rows_into(int64_t rows, int64_t cols, const float *x, double *acc) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    for (int64_t c = 0; c < cols; c++) acc[c] += xr[c];
  }
}

}  // namespace

void bias_add(int64_t rows, int64_t cols, const float *x, const float *bias, float *y, bool relu) {
  parallel_spans(rows, rows * cols, [&](int64_t r0, int64_t r1) {
    bias_add_rows(r1 - r0, cols, x + r0 * cols, bias, y + r0 * cols, relu);
  });
}

void relu(int64_t n, const float *x, float *y) {
  parallel_spans(n, n, [&](int64_t i0, int64_t i1) { relu_span(i1 - i0, x + i0, y + i0); });
}

void relu_grad(int64_t n, const float *dy, const float *x, float *dx) {
  parallel_spans(n, n, [&](int64_t i0, int64_t i1) { relu_grad_span(i1 - i0, dy + i0, x + i0, dx + i0); });
}

void adam_update(int64_t n, const float *x, const float *m, const float *v, const float *g, float *nx, float *nm,
                 float *nv, const float *p) {
  // 1 - beta (p[6], p[7]) comes from JS (computed in double, then rounded), as the stock
  // optimizer's scalar.
  const AdamParams ap{-p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]};
  parallel_spans(n, n, [&](int64_t i0, int64_t i1) {
    adam_span(i1 - i0, x + i0, m + i0, v + i0, g + i0, nx + i0, nm + i0, nv + i0, ap);
  });
}

void sum_rows(int64_t rows, int64_t cols, const float *x, float *y) {
  // Each thread accumulates its own block of rows into a private vector (in double to stay
  // close to the reference over many rows), then the partial sums are added in order.
  int threads = rows * cols >= kParallelMin ? omp_get_max_threads() : 1;
  std::vector<double> partial(static_cast<size_t>(threads) * cols, 0.0);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    const int nt = omp_get_num_threads();
    const int64_t r0 = rows * t / nt, r1 = rows * (t + 1) / nt;
    sum_rows_into(r1 - r0, cols, x + r0 * cols, partial.data() + static_cast<size_t>(t) * cols);
  }
  for (int64_t c = 0; c < cols; c++) {
    double v = 0;
    for (int t = 0; t < threads; t++) v += partial[static_cast<size_t>(t) * cols + c];
    y[c] = static_cast<float>(v);
  }
}

}  // namespace convscope
