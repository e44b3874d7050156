// N-API helpers shared by the addon's binding files: argument unpacking with size checks (a
// wrong call throws a JS error before any pointer reaches oneDNN) and C++ -> JS error mapping.
#pragma once

#include <node_api.h>

#include <dnnl.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels.h"

namespace convscope {
namespace napi {

// Thrown inside a binding; converted to a JS Error at the boundary.
struct JsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void check(napi_status st, const char *what) {
  if (st != napi_ok) throw JsError(std::string("native call failed: ") + what);
}

inline std::vector<napi_value> args(napi_env env, napi_callback_info info, size_t want) {
  size_t argc = want;
  std::vector<napi_value> argv(want);
  check(napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr), "get_cb_info");
  if (argc < want) throw JsError("expected " + std::to_string(want) + " arguments");
  return argv;
}

// A Float32Array's data pointer and length; null/undefined gives nullptr when optional.
inline float *f32(napi_env env, napi_value v, size_t expect, const char *name, bool optional = false) {
  napi_valuetype t;
  check(napi_typeof(env, v, &t), "typeof");
  if (optional && (t == napi_null || t == napi_undefined)) return nullptr;
  bool is_ta = false;
  check(napi_is_typedarray(env, v, &is_ta), "is_typedarray");
  if (!is_ta) throw JsError(std::string(name) + " must be a Float32Array");
  napi_typedarray_type type;
  size_t length;
  void *data;
  check(napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr), "typedarray_info");
  if (type != napi_float32_array) throw JsError(std::string(name) + " must be a Float32Array");
  if (length != expect) {
    throw JsError(std::string(name) + ": expected " + std::to_string(expect) + " elements, got " +
                  std::to_string(length));
  }
  return static_cast<float *>(data);
}

// A Uint32Array's data pointer (length checked); null/undefined gives nullptr when optional.
inline const uint32_t *u32(napi_env env, napi_value v, size_t expect, const char *name, bool optional = false) {
  napi_valuetype t;
  check(napi_typeof(env, v, &t), "typeof");
  if (optional && (t == napi_null || t == napi_undefined)) return nullptr;
  bool is_ta = false;
  check(napi_is_typedarray(env, v, &is_ta), "is_typedarray");
  napi_typedarray_type type = napi_float32_array;
  size_t length = 0;
  void *data = nullptr;
  if (is_ta) check(napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr), "typedarray_info");
  if (!is_ta || type != napi_uint32_array) throw JsError(std::string(name) + " must be a Uint32Array");
  if (length != expect) {
    throw JsError(std::string(name) + ": expected " + std::to_string(expect) + " elements, got " +
                  std::to_string(length));
  }
  return static_cast<const uint32_t *>(data);
}

inline std::vector<int64_t> ints(napi_env env, napi_value v, size_t want, const char *name) {
  bool is_array = false;
  check(napi_is_array(env, v, &is_array), "is_array");
  uint32_t len = 0;
  if (is_array) check(napi_get_array_length(env, v, &len), "array_length");
  if (!is_array || len != want) throw JsError(std::string(name) + " must be an array of " + std::to_string(want) + " numbers");
  std::vector<int64_t> out(want);
  for (uint32_t i = 0; i < len; i++) {
    napi_value e;
    check(napi_get_element(env, v, i, &e), "get_element");
    check(napi_get_value_int64(env, e, &out[i]), "get_value_int64");
    if (out[i] < 0) throw JsError(std::string(name) + " must hold non-negative integers");
  }
  return out;
}

inline bool boolean(napi_env env, napi_value v) {
  bool b = false;
  check(napi_get_value_bool(env, v, &b), "get_value_bool");
  return b;
}

// [n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr]
inline convscope::ConvShape conv_shape(napi_env env, napi_value v) {
  auto d = ints(env, v, 17, "conv shape");
  return convscope::ConvShape{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15], d[16]};
}

// [n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr]
inline convscope::PoolShape pool_shape(napi_env env, napi_value v) {
  auto d = ints(env, v, 14, "pool shape");
  return convscope::PoolShape{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13]};
}

inline size_t in_size(const convscope::ConvShape &s) { return s.n * s.ih * s.iw * s.ic; }
inline size_t out_size(const convscope::ConvShape &s) { return s.n * s.oh * s.ow * s.oc; }
inline size_t filter_size(const convscope::ConvShape &s) { return s.kh * s.kw * s.ic * s.oc; }

inline napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// Runs body, mapping C++ / oneDNN exceptions to a thrown JS Error.
template <typename F>
napi_value guarded(napi_env env, F body) {
  try {
    return body();
  } catch (const dnnl::error &e) {
    napi_throw_error(env, nullptr, (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception &e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

}  // namespace napi

/** Registers the depthwise-convolution bindings (depthwise.cc) on the addon's exports. */
void register_depthwise(napi_env env, napi_value exports);
/** Registers the normalisation / pooling / element-wise bindings (norm.cc) on the addon's exports. */
void register_norm(napi_env env, napi_value exports);
/** Registers the noise bindings (noise.cc: MC dropout) on the addon's exports. */
void register_noise(napi_env env, napi_value exports);

}  // namespace convscope
