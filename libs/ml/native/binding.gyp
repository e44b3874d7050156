{
  # oneDNN kernels for the TF.js 'onednn' backend. Needs Debian/Ubuntu's libdnnl-dev
  # (oneDNN 2.x, OpenMP runtime). Build: npm run build:native -w @convscope/ml
  # -ffp-contract=off: no fused multiply-adds, so element-wise kernels round like TF.js's.
  "targets": [
    {
      "target_name": "convscope_onednn",
      "sources": ["src/addon.cc", "src/kernels.cc", "src/depthwise.cc", "src/norm.cc"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-ffp-contract=off", "-fexceptions", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl", "-lgomp"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
