// Depthwise (grouped) convolutions on oneDNN: forward (with fused bias / relu), data and weight
// gradients, on TF.js layouts: NHWC activations and the [kh, kw, c, m] depthwise filter.
//
// A depthwise convolution is a grouped convolution with one group per input channel: oneDNN
// weights dims {G = c, O/G = m, I/G = 1, kh, kw}. TF.js's filter [kh, kw, c, m] is exactly
// that tensor with strides {m, 1, c*m, kw*c*m, c*m} (oneDNN's `hwigo`), and output channel
// g*m + o is TF.js's c*m + j, so activations and the user filter need no copies; the filter
// goes through one small cached reorder into the layout the primitive prefers (`any`).
// Primitives, reorders and scratch are cached by shape in the addon's shared cache.
#include <dnnl.hpp>
#include <sstream>
#include <string>
#include <unordered_map>

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

std::string dw_key(const char *op, const ConvShape &s, int flags) {
  std::ostringstream k;
  k << op << ':' << s.n << ',' << s.ih << ',' << s.iw << ',' << s.ic << ',' << s.oh << ',' << s.ow << ','
    << s.oc << ',' << s.kh << ',' << s.kw << ',' << s.sh << ',' << s.sw << ',' << s.dh << ',' << s.dw << ','
    << s.pt << ',' << s.pl << ',' << s.pb << ',' << s.pr << ':' << flags;
  return k.str();
}

// Logical descriptors (N,C,H,W / G,O,I,H,W) over TF.js's physical layouts; s.oc = c * m.
struct DwDescs {
  memory::desc src, dst, weights_user, weights_any, bias;
  memory::dims strides, dilates, pad_l, pad_r;
  explicit DwDescs(const ConvShape &s)
      : src({s.n, s.ic, s.ih, s.iw}, dt::f32, tag::nhwc),
        dst({s.n, s.oc, s.oh, s.ow}, dt::f32, tag::nhwc),
        weights_user(wdims(s), dt::f32, memory::dims{m(s), 1, s.oc, s.kw * s.oc, s.oc}),
        weights_any(wdims(s), dt::f32, tag::any),
        bias({s.oc}, dt::f32, tag::x),
        strides{s.sh, s.sw},
        dilates{s.dh - 1, s.dw - 1},  // oneDNN counts dilation from 0
        pad_l{s.pt, s.pl},
        pad_r{s.pb, s.pr} {}
  static int64_t m(const ConvShape &s) { return s.oc / s.ic; }
  static memory::dims wdims(const ConvShape &s) { return {s.ic, m(s), 1, s.kh, s.kw}; }
};

dnnl::convolution_forward::primitive_desc dw_fwd_pd(const DwDescs &d, bool bias, bool relu,
                                                     dnnl::prop_kind prop) {
  return compat::conv_forward_pd(prop, d.src, d.weights_any, d.bias, bias, d.dst, d.strides, d.dilates, d.pad_l,
                                 d.pad_r, compat::relu_attr(relu));
}

// The primitive's preferred filter layout plus the cached reorder from the user's buffer.
struct DwWeightsIn {
  bool needs_reorder = false;
  memory internal;
  dnnl::reorder reorder;
  void init(const memory::desc &user, const memory::desc &wanted) {
    needs_reorder = wanted != user;
    if (!needs_reorder) return;
    internal = memory(wanted, engine());
    reorder = dnnl::reorder(wrap(user, nullptr), internal);
  }
  memory get(const memory::desc &user, const float *w) {
    memory u = wrap(user, w);
    if (!needs_reorder) return u;
    reorder.execute(stream(), u, internal);
    return internal;
  }
};

struct DwFwd : Entry {
  DwDescs d;
  dnnl::convolution_forward prim;
  DwWeightsIn w;
  DwFwd(const ConvShape &s, bool bias, bool relu) : d(s) {
    auto pd = dw_fwd_pd(d, bias, relu, dnnl::prop_kind::forward_inference);
    prim = dnnl::convolution_forward(pd);
    w.init(d.weights_user, pd.weights_desc());
  }
};

struct DwBwdData : Entry {
  DwDescs d;
  dnnl::convolution_backward_data prim;
  DwWeightsIn w;
  explicit DwBwdData(const ConvShape &s) : d(s) {
    auto hint = dw_fwd_pd(d, false, false, dnnl::prop_kind::forward_training);
    auto pd = compat::conv_backward_data_pd(d.src, d.weights_any, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r,
                                            hint);
#if DNNL_VERSION_MAJOR >= 3
    // oneDNN 3.7.2's grouped jit backward-data kernels (jit:avx512_core, jit:avx2) return a
    // wrong dx for one channel per group (multiplier 1) with dilation > 1, run to run different
    // (2.6.3 with the same kernel and multiplier 2 are right; adjoint test in depthwise.test.ts):
    // take the next implementation (gemm) there.
    if (DwDescs::m(s) == 1 && (s.dh > 1 || s.dw > 1)) compat::skip_impls(pd, "jit:");
#endif
    prim = dnnl::convolution_backward_data(pd);
    w.init(d.weights_user, pd.weights_desc());
  }
};

struct DwBwdWeights : Entry {
  DwDescs d;
  dnnl::convolution_backward_weights prim;
  bool needs_reorder = false;
  memory internal;  // diff_weights in the primitive's layout when that is not TF.js's
  dnnl::reorder to_user;
  DwBwdWeights(const ConvShape &s, bool bias) : d(s) {
    auto hint = dw_fwd_pd(d, bias, false, dnnl::prop_kind::forward_training);
    auto pd = compat::conv_backward_weights_pd(d.src, d.weights_any, d.bias, bias, d.dst, d.strides, d.dilates,
                                               d.pad_l, d.pad_r, hint);
    prim = dnnl::convolution_backward_weights(pd);
    needs_reorder = pd.diff_weights_desc() != d.weights_user;
    if (needs_reorder) {
      internal = memory(pd.diff_weights_desc(), engine());
      to_user = dnnl::reorder(internal, wrap(d.weights_user, nullptr));
    }
  }
};

void depthwise_forward(const ConvShape &s, const float *x, const float *w, const float *bias, float *y, bool relu) {
  const bool has_bias = bias != nullptr;
  auto &e = cached<DwFwd>(dw_key("dwf", s, has_bias | (relu << 1)), [&] { return new DwFwd(s, has_bias, relu); });
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e.d.src, x)},
                                       {DNNL_ARG_WEIGHTS, e.w.get(e.d.weights_user, w)},
                                       {DNNL_ARG_DST, wrap(e.d.dst, y)}};
  if (has_bias) args.emplace(DNNL_ARG_BIAS, wrap(e.d.bias, bias));
  e.prim.execute(stream(), args);
  stream().wait();
}

void depthwise_backward_data(const ConvShape &s, const float *dy, const float *w, float *dx) {
  auto &e = cached<DwBwdData>(dw_key("dwbd", s, 0), [&] { return new DwBwdData(s); });
  e.prim.execute(stream(), {{DNNL_ARG_DIFF_DST, wrap(e.d.dst, dy)},
                            {DNNL_ARG_WEIGHTS, e.w.get(e.d.weights_user, w)},
                            {DNNL_ARG_DIFF_SRC, wrap(e.d.src, dx)}});
  stream().wait();
}

void depthwise_backward_weights(const ConvShape &s, const float *x, const float *dy, float *dw, float *db) {
  const bool has_bias = db != nullptr;
  auto &e = cached<DwBwdWeights>(dw_key("dwbw", s, has_bias), [&] { return new DwBwdWeights(s, has_bias); });
  memory user = wrap(e.d.weights_user, dw);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e.d.src, x)},
                                       {DNNL_ARG_DIFF_DST, wrap(e.d.dst, dy)},
                                       {DNNL_ARG_DIFF_WEIGHTS, e.needs_reorder ? e.internal : user}};
  if (has_bias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(e.d.bias, db));
  e.prim.execute(stream(), args);
  if (e.needs_reorder) e.to_user.execute(stream(), e.internal, user);
  stream().wait();
}

using namespace convscope::napi;

// The shape array of the dense conv kernels with oc = c * m; checked here because a wrong
// multiplier would make oneDNN read past the filter.
ConvShape dw_shape(napi_env env, napi_value v) {
  ConvShape s = conv_shape(env, v);
  if (s.ic < 1 || s.oc < 1 || s.oc % s.ic != 0) throw JsError("depthwise: output channels must be a multiple of input channels");
  if (s.dh < 1 || s.dw < 1 || s.sh < 1 || s.sw < 1) throw JsError("depthwise: strides and dilations must be >= 1");
  return s;
}

size_t dw_filter_size(const ConvShape &s) { return s.kh * s.kw * s.oc; }

// depthwiseForward(x, filter, bias | null, y, shape, relu)
napi_value DepthwiseForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 6);
    ConvShape s = dw_shape(env, a[4]);
    depthwise_forward(s, f32(env, a[0], in_size(s), "x"), f32(env, a[1], dw_filter_size(s), "filter"),
                      f32(env, a[2], s.oc, "bias", true), f32(env, a[3], out_size(s), "y"), boolean(env, a[5]));
    return undefined(env);
  });
}

// depthwiseBackwardData(dy, filter, dx, shape)
napi_value DepthwiseBackwardData(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    ConvShape s = dw_shape(env, a[3]);
    depthwise_backward_data(s, f32(env, a[0], out_size(s), "dy"), f32(env, a[1], dw_filter_size(s), "filter"),
                            f32(env, a[2], in_size(s), "dx"));
    return undefined(env);
  });
}

// depthwiseBackwardWeights(x, dy, dw, db | null, shape)
napi_value DepthwiseBackwardWeights(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 5);
    ConvShape s = dw_shape(env, a[4]);
    depthwise_backward_weights(s, f32(env, a[0], in_size(s), "x"), f32(env, a[1], out_size(s), "dy"),
                               f32(env, a[2], dw_filter_size(s), "dw"), f32(env, a[3], s.oc, "db", true));
    return undefined(env);
  });
}

}  // namespace

void register_depthwise(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"depthwiseForward", nullptr, DepthwiseForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"depthwiseBackwardData", nullptr, DepthwiseBackwardData, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"depthwiseBackwardWeights", nullptr, DepthwiseBackwardWeights, nullptr, nullptr, nullptr, napi_default,
       nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
}

}  // namespace convscope
