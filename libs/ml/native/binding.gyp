{
  # oneDNN kernels for the TF.js 'onednn' backend. Needs oneDNN 2.x or 3.x (src/dnnl-compat.h picks
  # the API by DNNL_VERSION_MAJOR; Debian 12's libdnnl-dev is 2.6, Debian 13 / Fedora / Homebrew
  # ship 3.x) with an OpenMP runtime. Build: npm run build:native -w @convscope/ml
  #
  # oneDNN's folder: $CONVSCOPE_DNNL_PREFIX, else $DNNLROOT, else /usr, /usr/local, /opt/homebrew
  # (dnnl-location.mjs; it prints '' for /usr, which the compiler searches anyway). A prefix
  # outside the system's gets -I, -L and an rpath, so the addon finds libdnnl at run time.
  #
  # Portable: compiled for the architecture's baseline (x86-64 / armv8-a), so one build runs on
  # every CPU of that architecture. oneDNN picks AVX2 / AVX-512 kernels at run time; our own
  # element-wise loops get an AVX2 clone chosen at load time (src/dispatch.h).
  # CONVSCOPE_NATIVE_MARCH=native (any -march value) builds for one CPU family instead.
  # -ffp-contract=off: no fused multiply-adds, so element-wise kernels round like TF.js's.
  # -fno-math-errno -fno-trapping-math (Clang's defaults): sqrt and the Relu-gradient selects
  # vectorise instead of branching; results are the same IEEE operations, bit for bit.
  "variables": {
    "convscope_march%": "<!(node -p \"process.env.CONVSCOPE_NATIVE_MARCH || ''\")",
    "dnnl_include%": "<!(node dnnl-location.mjs include)",
    "dnnl_lib%": "<!(node dnnl-location.mjs lib)"
  },
  "targets": [
    {
      "target_name": "convscope_onednn",
      "sources": ["src/addon.cc", "src/kernels.cc", "src/depthwise.cc", "src/norm.cc", "src/noise.cc"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-fexceptions", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [
        ["dnnl_include!=''", {
          "include_dirs": ["<(dnnl_include)"]
        }],
        ["dnnl_lib!=''", {
          "libraries": ["-L<(dnnl_lib)", "-Wl,-rpath,<(dnnl_lib)"]
        }],
        ["convscope_march!=''", {
          "cflags_cc": ["-march=<(convscope_march)"],
          "defines": ["CONVSCOPE_NO_DISPATCH"]
        }],
        ["convscope_march=='' and target_arch=='x64'", {
          "cflags_cc": ["-march=x86-64", "-mtune=generic"]
        }],
        ["convscope_march=='' and target_arch=='arm64' and OS!='mac'", {
          "cflags_cc": ["-march=armv8-a"]
        }],
        ["OS=='linux'", {
          "libraries": ["-lgomp"]
        }],
        # macOS (unverified: no Mac here). Apple clang has no OpenMP of its own: Homebrew's
        # libomp (keg-only) provides omp.h and libomp; Homebrew's onednn (3.x) is found by
        # dnnl-location.mjs in /opt/homebrew or /usr/local, and also listed here.
        ["OS=='mac'", {
          "include_dirs": [
            "/opt/homebrew/include",
            "/opt/homebrew/opt/libomp/include",
            "/usr/local/include",
            "/usr/local/opt/libomp/include"
          ],
          "libraries": [
            "-L/opt/homebrew/lib",
            "-L/opt/homebrew/opt/libomp/lib",
            "-L/usr/local/lib",
            "-L/usr/local/opt/libomp/lib",
            "-lomp"
          ],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-Xpreprocessor", "-fopenmp"]
          }
        }]
      ]
    }
  ]
}
