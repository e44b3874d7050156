// Run-time CPU dispatch for the addon's own loops.
//
// The addon is compiled for the baseline of its architecture (x86-64 / armv8-a, see
// binding.gyp) so one build runs on every CPU of a fleet. oneDNN picks AVX2 / AVX-512 code for
// convolutions and matmuls at run time by itself; CONVSCOPE_DISPATCH does the same for our
// hand-written element-wise loops: on x86-64 with GCC or Clang and an ELF platform whose libc
// resolves ifuncs (glibc), the function is compiled twice, for AVX2 and for the baseline, and
// the loader picks one on first call. Elsewhere (macOS, musl, MSVC, arm64 where NEON is the
// baseline already) it expands to nothing and the baseline build is used.
//
// Usage: put the hot loop in its own function (not inside an `omp parallel` region: OpenMP
// outlines that region into a separate function the clones do not cover) and call it per
// thread chunk:
//
//   CONVSCOPE_DISPATCH void scale_span(int64_t n, const float *x, float *y) { ... }
//   #pragma omp parallel ... { scale_span(i1 - i0, x + i0, y + i0); }
//
// Building with CONVSCOPE_NATIVE_MARCH=native (or defining CONVSCOPE_NO_DISPATCH) turns it off.
#pragma once

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#if defined(__has_attribute)
#if __has_attribute(target_clones) && defined(__x86_64__) && defined(__ELF__) && defined(__GLIBC__) && \
    !defined(CONVSCOPE_NO_DISPATCH)
#define CONVSCOPE_DISPATCH __attribute__((target_clones("avx2", "default")))
#define CONVSCOPE_DISPATCH_ENABLED 1
#endif
#endif

#ifndef CONVSCOPE_DISPATCH
#define CONVSCOPE_DISPATCH
#define CONVSCOPE_DISPATCH_ENABLED 0
#endif
