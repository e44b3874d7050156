// oneDNN 2.x / 3.x compatibility: one function per primitive descriptor the addon builds, taking
// the same arguments in either API, chosen at compile time by DNNL_VERSION_MAJOR.
//
// oneDNN 3.0 removed the operation descriptors (`convolution_forward::desc` and friends): 3.x
// primitive descriptors take (engine, prop_kind, algorithm, memory descs..., attr) directly,
// pooling takes a dilation, and the eltwise post-op lost its scale argument. Memory descriptors,
// memories, reorders, argument ids and execute() are the same in both. The 2.x branches are the
// code the kernel files had before this header (Debian 12's 2.6.3, what CI builds against).
#pragma once

#include <dnnl.hpp>  // 3.x keeps this top-level header as a wrapper of oneapi/dnnl/dnnl.hpp

#include <string>

#include "dnnl-common.h"

#ifndef DNNL_VERSION_MAJOR
#error "dnnl.hpp did not define DNNL_VERSION_MAJOR (dnnl_version.h): oneDNN 2.x or 3.x is required"
#endif
#if DNNL_VERSION_MAJOR < 2 || DNNL_VERSION_MAJOR > 3
#error "the convscope addon supports oneDNN 2.x and 3.x"
#endif

namespace convscope {
namespace compat {

using dnnl::memory;

/** Attributes with a ReLU post-op when relu is set (alpha 0: max(x, 0)), else the defaults. */
inline dnnl::primitive_attr relu_attr(bool relu) {
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops po;
#if DNNL_VERSION_MAJOR >= 3
    po.append_eltwise(dnnl::algorithm::eltwise_relu, 0.f, 0.f);
#else
    po.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);  // scale 1: y = relu(x)
#endif
    attr.set_post_ops(po);
  }
  return attr;
}

/** Direct convolution forward; bias is used when has_bias. dilates count from 0. */
inline dnnl::convolution_forward::primitive_desc conv_forward_pd(dnnl::prop_kind prop, const memory::desc &src,
                                                                 const memory::desc &weights,
                                                                 const memory::desc &bias, bool has_bias,
                                                                 const memory::desc &dst, const memory::dims &strides,
                                                                 const memory::dims &dilates,
                                                                 const memory::dims &pad_l, const memory::dims &pad_r,
                                                                 const dnnl::primitive_attr &attr) {
  const auto alg = dnnl::algorithm::convolution_direct;
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  return has_bias ? dnnl::convolution_forward::primitive_desc(eng, prop, alg, src, weights, bias, dst, strides,
                                                              dilates, pad_l, pad_r, attr)
                  : dnnl::convolution_forward::primitive_desc(eng, prop, alg, src, weights, dst, strides, dilates,
                                                              pad_l, pad_r, attr);
#else
  auto desc = has_bias ? dnnl::convolution_forward::desc(prop, alg, src, weights, bias, dst, strides, dilates,
                                                         pad_l, pad_r)
                       : dnnl::convolution_forward::desc(prop, alg, src, weights, dst, strides, dilates, pad_l,
                                                         pad_r);
  return dnnl::convolution_forward::primitive_desc(desc, attr, eng);
#endif
}

/** Direct convolution backward data (diff_src from diff_dst and weights), given the forward hint. */
inline dnnl::convolution_backward_data::primitive_desc conv_backward_data_pd(
    const memory::desc &diff_src, const memory::desc &weights, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &dilates, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::convolution_forward::primitive_desc &hint) {
  const auto alg = dnnl::algorithm::convolution_direct;
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::convolution_backward_data::primitive_desc(eng, alg, diff_src, weights, diff_dst, strides, dilates,
                                                         pad_l, pad_r, hint);
#else
  dnnl::convolution_backward_data::desc desc(alg, diff_src, weights, diff_dst, strides, dilates, pad_l, pad_r);
  return dnnl::convolution_backward_data::primitive_desc(desc, eng, hint);
#endif
}

/** Direct convolution backward weights (and bias when has_bias), given the forward hint. */
inline dnnl::convolution_backward_weights::primitive_desc conv_backward_weights_pd(
    const memory::desc &src, const memory::desc &diff_weights, const memory::desc &diff_bias, bool has_bias,
    const memory::desc &diff_dst, const memory::dims &strides, const memory::dims &dilates,
    const memory::dims &pad_l, const memory::dims &pad_r, const dnnl::convolution_forward::primitive_desc &hint) {
  const auto alg = dnnl::algorithm::convolution_direct;
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  return has_bias ? dnnl::convolution_backward_weights::primitive_desc(eng, alg, src, diff_weights, diff_bias,
                                                                       diff_dst, strides, dilates, pad_l, pad_r,
                                                                       hint)
                  : dnnl::convolution_backward_weights::primitive_desc(eng, alg, src, diff_weights, diff_dst,
                                                                       strides, dilates, pad_l, pad_r, hint);
#else
  auto desc = has_bias ? dnnl::convolution_backward_weights::desc(alg, src, diff_weights, diff_bias, diff_dst,
                                                                  strides, dilates, pad_l, pad_r)
                       : dnnl::convolution_backward_weights::desc(alg, src, diff_weights, diff_dst, strides,
                                                                  dilates, pad_l, pad_r);
  return dnnl::convolution_backward_weights::primitive_desc(desc, eng, hint);
#endif
}

/** Pooling forward without dilation (3.x's dilation argument is all zeros). */
inline dnnl::pooling_forward::primitive_desc pooling_forward_pd(dnnl::prop_kind prop, dnnl::algorithm alg,
                                                                const memory::desc &src, const memory::desc &dst,
                                                                const memory::dims &strides,
                                                                const memory::dims &kernel,
                                                                const memory::dims &pad_l,
                                                                const memory::dims &pad_r) {
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  const memory::dims dilation(kernel.size(), 0);
  return dnnl::pooling_forward::primitive_desc(eng, prop, alg, src, dst, strides, kernel, dilation, pad_l, pad_r);
#else
  return dnnl::pooling_forward::primitive_desc(
      dnnl::pooling_forward::desc(prop, alg, src, dst, strides, kernel, pad_l, pad_r), eng);
#endif
}

/** Matmul c = a · b (+ bias when has_bias) with attr's post-ops. */
inline dnnl::matmul::primitive_desc matmul_pd(const memory::desc &a, const memory::desc &b,
                                              const memory::desc &bias, bool has_bias, const memory::desc &c,
                                              const dnnl::primitive_attr &attr) {
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  return has_bias ? dnnl::matmul::primitive_desc(eng, a, b, bias, c, attr)
                  : dnnl::matmul::primitive_desc(eng, a, b, c, attr);
#else
  auto desc = has_bias ? dnnl::matmul::desc(a, b, bias, c) : dnnl::matmul::desc(a, b, c);
  return dnnl::matmul::primitive_desc(desc, attr, eng);
#endif
}

/**
 * Batch normalisation forward with dst in data's layout. flags use use_scale / use_shift
 * (separate scale and shift memories, DNNL_ARG_SCALE / DNNL_ARG_SHIFT), which 2.x (from 2.3)
 * and 3.x share; 3.x removed use_scaleshift.
 */
inline dnnl::batch_normalization_forward::primitive_desc batch_norm_forward_pd(dnnl::prop_kind prop,
                                                                               const memory::desc &data, float eps,
                                                                               dnnl::normalization_flags flags) {
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::batch_normalization_forward::primitive_desc(eng, prop, data, data, eps, flags);
#else
  dnnl::batch_normalization_forward::desc desc(prop, data, eps, flags);
  return dnnl::batch_normalization_forward::primitive_desc(desc, eng);
#endif
}

/**
 * Whether batch normalisation backward with use_shift is executed with DNNL_ARG_SHIFT: 2.x
 * expects it among the arguments (its value is unused); 3.x counts the inputs and refuses
 * the extra one ("bad number of inputs (expected 5 got 6)").
 */
constexpr bool kBatchNormBackwardTakesShift = DNNL_VERSION_MAJOR < 3;

/** Batch normalisation backward (prop_kind::backward: data and scale / shift gradients). */
inline dnnl::batch_normalization_backward::primitive_desc batch_norm_backward_pd(
    const memory::desc &diff_data, const memory::desc &data, float eps, dnnl::normalization_flags flags,
    const dnnl::batch_normalization_forward::primitive_desc &hint) {
  auto &eng = detail::engine();
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::batch_normalization_backward::primitive_desc(eng, dnnl::prop_kind::backward, diff_data, diff_data,
                                                            data, eps, flags, hint);
#else
  dnnl::batch_normalization_backward::desc desc(dnnl::prop_kind::backward, diff_data, data, eps, flags);
  return dnnl::batch_normalization_backward::primitive_desc(desc, eng, hint);
#endif
}

/**
 * Moves pd past the implementations whose name (impl_info_str) starts with prefix, as long as
 * another one follows: a way around an implementation known to be wrong for a case.
 */
template <typename PrimitiveDesc>
void skip_impls(PrimitiveDesc &pd, const char *prefix) {
  const std::string p(prefix);
  while (std::string(pd.impl_info_str()).rfind(p, 0) == 0 && pd.next_impl()) {
  }
}

}  // namespace compat
}  // namespace convscope
