// MC dropout (libs/ml/src/uncertainty/mc-dropout-kernel.ts) natively: the counter-based masks of
// libs/ml/src/uncertainty/row-noise.ts (dropoutInto), hashed and applied in one threaded pass,
// bit for bit the JS loop's values (the onednn test compares them with the wasm kernel's).
// The JS loop was ~7 ms of an mc-dropout-cnn training step (2 x 64x16x16x32 + 2 x 64x8x8x64
// values, forward and gradient).
#include <node_api.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "dispatch.h"
#include "napi-util.h"

namespace convscope {
namespace {

using namespace napi;

// murmur3's 32-bit finaliser (row-noise.ts mix32): uint32 arithmetic is Math.imul's.
inline uint32_t mix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

// row-noise.ts rowSeed.
inline uint32_t row_seed(uint32_t stream, uint32_t a, uint32_t b) {
  return mix32(mix32(mix32(stream ^ 0x9e3779b9u) + a) ^ (b * 0x27d4eb2fu));
}

// row-noise.ts unitKeysOf(width)[j].
inline uint32_t unit_key(uint32_t j) { return mix32(j * 0x9e3779b9u + 1u); }

// Rate 0.5 (halfDropoutInto): bit j % 32 of the hash of block j / 32 keeps unit j, times 2.
// `keys` holds the block keys. src null writes the multipliers.
CONVSCOPE_DISPATCH void half_dropout_row(int64_t width, uint32_t seed, const uint32_t *keys, const float *src,
                                         float *dst) {
  for (int64_t j0 = 0; j0 < width; j0 += 32) {
    const uint32_t h = mix32(seed ^ keys[j0 >> 5]);
    const int64_t end = std::min<int64_t>(width, j0 + 32);
    const int64_t len = end - j0;
    const float *s = src == nullptr ? nullptr : src + j0;
    float *d = dst + j0;
    // (src * 2) * bit as the JS expression: exact in float, so float arithmetic is the same.
    if (s == nullptr) {
      for (int64_t k = 0; k < len; k++) d[k] = 2.f * static_cast<float>((h >> k) & 1u);
    } else {
      for (int64_t k = 0; k < len; k++) d[k] = (s[k] * 2.f) * static_cast<float>((h >> k) & 1u);
    }
  }
}

// Any other rate (dropoutInto): one hash per unit, kept when its top 31 bits >= half; the value
// is src * (scale * kept) in double, rounded to float once (as JS stores into a Float32Array).
CONVSCOPE_DISPATCH void dropout_row(int64_t width, uint32_t seed, const uint32_t *keys, uint32_t half, double scale,
                                    const float *src, float *dst) {
  for (int64_t j = 0; j < width; j++) {
    const uint32_t h = mix32(seed ^ keys[j]);
    const double kept = (h >> 1) >= half ? 1.0 : 0.0;
    const double v = src == nullptr ? 1.0 : static_cast<double>(src[j]);
    dst[j] = static_cast<float>(v * (scale * kept));
  }
}

// mcDropout(src | null, dst, [batch, width], stream, rate, pass | null, sample | null)
// pass / sample: Uint32Arrays of `batch` row keys (both or neither; null: row r is (0, r)).
napi_value McDropout(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    auto a = args(env, info, 7);
    auto d = ints(env, a[2], 2, "mcDropout shape");
    const int64_t batch = d[0], width = d[1];
    const float *src = f32(env, a[0], batch * width, "src", true);
    float *dst = f32(env, a[1], batch * width, "dst");
    int64_t stream64 = 0;
    check(napi_get_value_int64(env, a[3], &stream64), "get_value_int64");
    if (stream64 < 0 || stream64 > 0xffffffffLL) throw JsError("mcDropout: stream must be a uint32");
    const uint32_t stream = static_cast<uint32_t>(stream64);
    double rate = 0;
    check(napi_get_value_double(env, a[4], &rate), "get_value_double");
    if (!(rate >= 0 && rate < 1)) throw JsError("mcDropout: rate must be in [0, 1)");
    const uint32_t *pass = u32(env, a[5], batch, "pass", true);
    const uint32_t *sample = u32(env, a[6], batch, "sample", true);
    if ((pass == nullptr) != (sample == nullptr)) throw JsError("mcDropout: pass and sample go together");

    const bool half_rate = rate == 0.5;
    const int64_t nkeys = half_rate ? (width + 31) / 32 : width;
    std::vector<uint32_t> keys(static_cast<size_t>(nkeys));
    for (int64_t j = 0; j < nkeys; j++) keys[j] = unit_key(static_cast<uint32_t>(j));
    // Math.round(rate * 2^31), capped as the JS (rate < 1 keeps it below 2^31 + 0.5).
    const double rounded = std::floor(rate * 2147483648.0 + 0.5);
    const uint32_t half = static_cast<uint32_t>(std::min(2147483647.0, rounded));
    const double scale = 1 / (1 - rate);
    // halfDropoutInto hashes its own stream: stream ^ 0x5bd1e995.
    const uint32_t row_stream = half_rate ? stream ^ 0x5bd1e995u : stream;
    const int threads = batch * width >= (1 << 15) ? omp_get_max_threads() : 1;
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t r = 0; r < batch; r++) {
      const uint32_t ka = pass == nullptr ? 0u : pass[r];
      const uint32_t kb = sample == nullptr ? static_cast<uint32_t>(r) : sample[r];
      const uint32_t seed = row_seed(row_stream, ka, kb);
      const float *s = src == nullptr ? nullptr : src + r * width;
      if (half_rate)
        half_dropout_row(width, seed, keys.data(), s, dst + r * width);
      else
        dropout_row(width, seed, keys.data(), half, scale, s, dst + r * width);
    }
    return undefined(env);
  });
}

}  // namespace

void register_noise(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"mcDropout", nullptr, McDropout, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
}

}  // namespace convscope
