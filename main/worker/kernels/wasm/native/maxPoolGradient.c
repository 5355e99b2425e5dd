// Max-pooling's gradient where windows do not overlap (strides at least the window): every input
// is in one window at most, so dx is written once, no accumulation: each window's first largest
// input (the cpu backend's tie rule) gets the window's gradient, the others 0. 4 channels at a time.
#include "simd.h"

// x and dx are [batch][inH][inW][channels], dy [batch][outH][outW][channels]; inputs outside
// every window get 0; channels a multiple of 4.
EXPORT(max_pool_gradient)
void max_pool_gradient(const float *x, const float *dy, float *dx, int batch, int inH, int inW, int channels, int outH, int outW, int poolH,
                       int poolW, int strideH, int strideW, int padTop, int padLeft) {
  const long image = (long)inH * inW * channels;
  if (strideH != poolH || strideW != poolW || outH * poolH - padTop < inH || outW * poolW - padLeft < inW)
    for (long i = 0; i < batch * image; i += 4) STORE(dx + i, ZERO);
  for (int n = 0; n < batch; n++)
    for (int oh = 0; oh < outH; oh++)
      for (int ow = 0; ow < outW; ow++) {
        const float *g = dy + (((long)n * outH + oh) * outW + ow) * channels;
        const int h0 = oh * strideH - padTop, w0 = ow * strideW - padLeft;
        const int hStart = h0 < 0 ? 0 : h0, wStart = w0 < 0 ? 0 : w0;
        const int hEnd = h0 + poolH > inH ? inH : h0 + poolH, wEnd = w0 + poolW > inW ? inW : w0 + poolW;
        if (hStart >= hEnd || wStart >= wEnd) continue;
        for (int c = 0; c < channels; c += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t where = wasm_i32x4_splat(-1);
          for (int h = hStart; h < hEnd; h++)
            for (int w = wStart; w < wEnd; w++) {
              const v128_t v = LOAD(x + n * image + ((long)h * inW + w) * channels + c);
              const v128_t larger = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, larger);
              where = wasm_v128_bitselect(wasm_i32x4_splat(h * inW + w), where, larger);
            }
          const v128_t gradient = LOAD(g + c);
          for (int h = hStart; h < hEnd; h++)
            for (int w = wStart; w < wEnd; w++) {
              const v128_t here = wasm_i32x4_eq(where, wasm_i32x4_splat(h * inW + w));
              STORE(dx + n * image + ((long)h * inW + w) * channels + c, wasm_v128_and(gradient, here));
            }
        }
      }
}
