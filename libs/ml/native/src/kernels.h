// oneDNN kernels on TF.js layouts (NHWC activations, HWIO filters, float32, row-major
// matrices). Every function works on caller-owned buffers (zero-copy) and is synchronous.
#pragma once

#include <cstdint>

namespace convscope {

/** Geometry of a 2-D convolution, TF.js conventions (dilations >= 1, explicit pads). */
struct ConvShape {
  int64_t n, ih, iw, ic;  // input  [n, ih, iw, ic]
  int64_t oh, ow, oc;     // output [n, oh, ow, oc]
  int64_t kh, kw;         // filter [kh, kw, ic, oc]
  int64_t sh, sw;         // strides
  int64_t dh, dw;         // dilations (1 = dense)
  int64_t pt, pl, pb, pr; // padding top/left/bottom/right
};

/** Geometry of a 2-D pooling window, TF.js conventions. */
struct PoolShape {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr;
};

/** Sets the OpenMP thread count oneDNN uses (oneDNN of Debian is built on OpenMP). */
void set_num_threads(int threads);
/** Current OpenMP thread count. */
int get_num_threads();
/** Number of cached primitive sets (for tests / diagnostics). */
int64_t cache_size();
/** Drops every cached primitive. */
void clear_cache();

/** y = conv(x, w) [+ bias] [relu]. bias may be null. */
void conv2d_forward(const ConvShape &s, const float *x, const float *w, const float *bias, float *y, bool relu);
/** dx = conv_transpose(dy, w): the gradient of conv2d with respect to its input. */
void conv2d_backward_data(const ConvShape &s, const float *dy, const float *w, float *dx);
/** dw (HWIO) and, when db is not null, db = sum of dy over n, oh, ow. */
void conv2d_backward_weights(const ConvShape &s, const float *x, const float *dy, float *dw, float *db);

/** Max pooling forward (inference: no workspace). */
void maxpool_forward(const PoolShape &s, const float *x, float *y);
/**
 * Max pooling backward: TF.js's MaxPoolGrad gets x, y and dy but no argmax, so the argmax is
 * recomputed from x in the same pass that scatters dy (single pass, OpenMP over the batch).
 */
void maxpool_backward(const PoolShape &s, const float *x, const float *dy, float *dx);

/**
 * c[b] = op(a[b]) · op(b[b]) for row-major matrices; op transposes when the flag is set.
 * batchA / batchB may be 1 (broadcast) or equal to batch. bias ([n], may be null) is added to
 * every row, then relu applied when requested (both fused into the GEMM).
 */
void matmul(int64_t batch_a, int64_t batch_b, int64_t m, int64_t n, int64_t k, bool trans_a, bool trans_b,
            const float *a, const float *b, float *c, const float *bias, bool relu);

/** y[r, c] = x[r, c] + bias[c] (bias broadcast over rows), then relu when requested. In place is fine. */
void bias_add(int64_t rows, int64_t cols, const float *x, const float *bias, float *y, bool relu);
/** y = max(x, 0) elementwise. */
void relu(int64_t n, const float *x, float *y);
/** y[c] = sum over r of x[r, c]: the bias gradient (Sum over every axis but the last). */
void sum_rows(int64_t rows, int64_t cols, const float *x, float *y);

/** dx = dy where x > 0, else 0 (NaN where x is NaN), as TF.js's Relu gradient dy * step(x). */
void relu_grad(int64_t n, const float *dy, const float *x, float *dx);

/**
 * One Adam step over n weights, every intermediate rounded to float32 in the order of
 * tf.train.adam (built with -ffp-contract=off, so the results are bitwise the same).
 * p = [learningRate, beta1, beta2, epsilon, 1 - beta1^t, 1 - beta2^t, 1 - beta1, 1 - beta2].
 */
void adam_update(int64_t n, const float *x, const float *m, const float *v, const float *g, float *nx, float *nm,
                 float *nv, const float *p);

}  // namespace convscope
