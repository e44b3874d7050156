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
#include "napi-util.h"

namespace {

using convscope::ConvShape;
using convscope::PoolShape;
using namespace convscope::napi;

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
  // Kernel files that register their own bindings.
  convscope::register_depthwise(env, exports);
  convscope::register_norm(env, exports);
  convscope::register_noise(env, exports);
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
