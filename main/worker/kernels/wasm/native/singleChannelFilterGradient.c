// The filter gradient of a convolution over one input channel (a first layer over grey images):
// dW[kh][kw][co] = sum over images and positions of x(y + kh - padTop, x + kw - padLeft) dy(y, x, co),
// 4 output channels at a time with the 9 taps of a 3x3 filter in registers.
#include "simd.h"

#define TAP(i, j, acc)                                                  \
  do {                                                                  \
    const int r = oh + (i) - padTop, c = ow + (j) - padLeft;            \
    if (inside || (r >= 0 && r < inH && c >= 0 && c < inW))             \
      acc = MADD(SPLAT(image + (long)r * inW + c), d, acc);             \
  } while (0)

// x is [batch][inH][inW] (one channel), dy [batch][outH][outW][cout], dW [3][3][cout]; stride 1,
// cout a multiple of 4.
EXPORT(single_channel_filter_gradient_3x3)
void single_channel_filter_gradient_3x3(const float *x, const float *dy, float *dW, int batch, int inH, int inW, int outH, int outW, int cout,
                                        int padTop, int padLeft) {
  for (int co = 0; co < cout; co += 4) {
    v128_t a00 = ZERO, a01 = ZERO, a02 = ZERO, a10 = ZERO, a11 = ZERO, a12 = ZERO, a20 = ZERO, a21 = ZERO, a22 = ZERO;
    for (int n = 0; n < batch; n++) {
      const float *image = x + (long)n * inH * inW;
      for (int oh = 0; oh < outH; oh++) {
        const int rowsInside = oh - padTop >= 0 && oh - padTop + 3 <= inH;
        const float *g = dy + (((long)n * outH + oh) * outW) * cout + co;
        for (int ow = 0; ow < outW; ow++, g += cout) {
          const int inside = rowsInside && ow - padLeft >= 0 && ow - padLeft + 3 <= inW;
          const v128_t d = LOAD(g);
          TAP(0, 0, a00);
          TAP(0, 1, a01);
          TAP(0, 2, a02);
          TAP(1, 0, a10);
          TAP(1, 1, a11);
          TAP(1, 2, a12);
          TAP(2, 0, a20);
          TAP(2, 1, a21);
          TAP(2, 2, a22);
        }
      }
    }
    STORE(dW + 0 * cout + co, a00);
    STORE(dW + 1 * cout + co, a01);
    STORE(dW + 2 * cout + co, a02);
    STORE(dW + 3 * cout + co, a10);
    STORE(dW + 4 * cout + co, a11);
    STORE(dW + 5 * cout + co, a12);
    STORE(dW + 6 * cout + co, a20);
    STORE(dW + 7 * cout + co, a21);
    STORE(dW + 8 * cout + co, a22);
  }
}
