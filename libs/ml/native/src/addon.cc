// N-API glue for the oneDNN kernels (kernels.h). Every kernel takes Float32Arrays and writes
// its result into a caller-provided Float32Array: no copies, no allocation on the JS side.
// Sizes are checked against the shape before any pointer reaches oneDNN, so a wrong call
// throws a JS error instead of corrupting memory.
#include <node_api.h>

#include <dnnl.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels.h"

namespace {

using convscope::ConvShape;
using convscope::PoolShape;

// Thrown inside a binding; converted to a JS Error at the boundary.
struct JsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(napi_status st, const char *what) {
  if (st != napi_ok) throw JsError(std::string("native call failed: ") + what);
}

std::vector<napi_value> args(napi_env env, napi_callback_info info, size_t want) {
  size_t argc = want;
  std::vector<napi_value> argv(want);
  check(napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr), "get_cb_info");
  if (argc < want) throw JsError("expected " + std::to_string(want) + " arguments");
  return argv;
}

// A Float32Array's data pointer and length; null/undefined gives nullptr when optional.
float *f32(napi_env env, napi_value v, size_t expect, const char *name, bool optional = false) {
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

std::vector<int64_t> ints(napi_env env, napi_value v, size_t want, const char *name) {
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

bool boolean(napi_env env, napi_value v) {
  bool b = false;
  check(napi_get_value_bool(env, v, &b), "get_value_bool");
  return b;
}

// [n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr]
ConvShape conv_shape(napi_env env, napi_value v) {
  auto d = ints(env, v, 17, "conv shape");
  return ConvShape{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15], d[16]};
}

// [n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr]
PoolShape pool_shape(napi_env env, napi_value v) {
  auto d = ints(env, v, 14, "pool shape");
  return PoolShape{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13]};
}

size_t in_size(const ConvShape &s) { return s.n * s.ih * s.iw * s.ic; }
size_t out_size(const ConvShape &s) { return s.n * s.oh * s.ow * s.oc; }
size_t filter_size(const ConvShape &s) { return s.kh * s.kw * s.ic * s.oc; }

napi_value undefined(napi_env env) {
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

napi_value Conv2dForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 6);
    ConvShape s = conv_shape(env, a[4]);
    convscope::conv2d_forward(s, f32(env, a[0], in_size(s), "x"), f32(env, a[1], filter_size(s), "filter"),
                              f32(env, a[2], s.oc, "bias", true), f32(env, a[3], out_size(s), "y"), boolean(env, a[5]));
    return undefined(env);
  });
}

napi_value Conv2dBackwardData(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    ConvShape s = conv_shape(env, a[3]);
    convscope::conv2d_backward_data(s, f32(env, a[0], out_size(s), "dy"), f32(env, a[1], filter_size(s), "filter"),
                                    f32(env, a[2], in_size(s), "dx"));
    return undefined(env);
  });
}

napi_value Conv2dBackwardWeights(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 5);
    ConvShape s = conv_shape(env, a[4]);
    convscope::conv2d_backward_weights(s, f32(env, a[0], in_size(s), "x"), f32(env, a[1], out_size(s), "dy"),
                                       f32(env, a[2], filter_size(s), "dw"), f32(env, a[3], s.oc, "db", true));
    return undefined(env);
  });
}

napi_value MaxPoolForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 3);
    PoolShape s = pool_shape(env, a[2]);
    convscope::maxpool_forward(s, f32(env, a[0], s.n * s.ih * s.iw * s.c, "x"), f32(env, a[1], s.n * s.oh * s.ow * s.c, "y"));
    return undefined(env);
  });
}

napi_value MaxPoolBackward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 4);
    PoolShape s = pool_shape(env, a[3]);
    const size_t in = s.n * s.ih * s.iw * s.c;
    convscope::maxpool_backward(s, f32(env, a[0], in, "x"), f32(env, a[1], s.n * s.oh * s.ow * s.c, "dy"),
                                f32(env, a[2], in, "dx"));
    return undefined(env);
  });
}

// matMul(a, b, c, [batchA, batchB, m, n, k], transposeA, transposeB, bias | null, relu)
napi_value MatMul(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 8);
    auto d = ints(env, a[3], 5, "matmul shape");
    const int64_t ba = d[0], bb = d[1], m = d[2], n = d[3], k = d[4];
    if (ba != bb && ba != 1 && bb != 1) throw JsError("matmul: batch sizes must match or be 1");
    const int64_t batch = ba > bb ? ba : bb;
    convscope::matmul(ba, bb, m, n, k, boolean(env, a[4]), boolean(env, a[5]), f32(env, a[0], ba * m * k, "a"),
                      f32(env, a[1], bb * k * n, "b"), f32(env, a[2], batch * m * n, "c"), f32(env, a[6], n, "bias", true),
                      boolean(env, a[7]));
    return undefined(env);
  });
}

// biasAdd(x, bias, y, [rows, cols], relu)
napi_value BiasAdd(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 5);
    auto d = ints(env, a[3], 2, "biasAdd shape");
    convscope::bias_add(d[0], d[1], f32(env, a[0], d[0] * d[1], "x"), f32(env, a[1], d[1], "bias"),
                        f32(env, a[2], d[0] * d[1], "y"), boolean(env, a[4]));
    return undefined(env);
  });
}

// relu(x, y)
napi_value Relu(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 2);
    size_t n = 0;
    check(napi_get_typedarray_info(env, a[0], nullptr, &n, nullptr, nullptr, nullptr), "typedarray_info");
    convscope::relu(n, f32(env, a[0], n, "x"), f32(env, a[1], n, "y"));
    return undefined(env);
  });
}

// sumRows(x, y, [rows, cols])
napi_value SumRows(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 3);
    auto d = ints(env, a[2], 2, "sumRows shape");
    convscope::sum_rows(d[0], d[1], f32(env, a[0], d[0] * d[1], "x"), f32(env, a[1], d[1], "y"));
    return undefined(env);
  });
}

// reluGrad(dy, x, dx)
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 3);
    size_t n = 0;
    check(napi_get_typedarray_info(env, a[0], nullptr, &n, nullptr, nullptr, nullptr), "typedarray_info");
    convscope::relu_grad(n, f32(env, a[0], n, "dy"), f32(env, a[1], n, "x"), f32(env, a[2], n, "dx"));
    return undefined(env);
  });
}

// adamUpdate(x, m, v, g, newX, newM, newV, params[8])
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 8);
    size_t n = 0;
    check(napi_get_typedarray_info(env, a[0], nullptr, &n, nullptr, nullptr, nullptr), "typedarray_info");
    convscope::adam_update(n, f32(env, a[0], n, "x"), f32(env, a[1], n, "m"), f32(env, a[2], n, "v"),
                           f32(env, a[3], n, "g"), f32(env, a[4], n, "newX"), f32(env, a[5], n, "newM"),
                           f32(env, a[6], n, "newV"), f32(env, a[7], 8, "params"));
    return undefined(env);
  });
}

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 1);
    int32_t n = 0;
    check(napi_get_value_int32(env, a[0], &n), "get_value_int32");
    if (n < 1) throw JsError("threads must be >= 1");
    convscope::set_num_threads(n);
    return undefined(env);
  });
}

napi_value GetNumThreads(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_int32(env, convscope::get_num_threads(), &v);
  return v;
}

napi_value CacheSize(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_int64(env, convscope::cache_size(), &v);
  return v;
}

napi_value ClearCache(napi_env env, napi_callback_info) {
  convscope::clear_cache();
  return undefined(env);
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"conv2dForward", nullptr, Conv2dForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardData", nullptr, Conv2dBackwardData, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardWeights", nullptr, Conv2dBackwardWeights, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolForward", nullptr, MaxPoolForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolBackward", nullptr, MaxPoolBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasAdd", nullptr, BiasAdd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"relu", nullptr, Relu, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"getNumThreads", nullptr, GetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"cacheSize", nullptr, CacheSize, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clearCache", nullptr, ClearCache, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
  // oneDNN version, so the backend can record what it runs on.
  const dnnl_version_t *ver = dnnl_version();
  std::string s = std::to_string(ver->major) + "." + std::to_string(ver->minor) + "." + std::to_string(ver->patch);
  napi_value v;
  napi_create_string_utf8(env, s.c_str(), s.size(), &v);
  napi_set_named_property(env, exports, "onednnVersion", v);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
