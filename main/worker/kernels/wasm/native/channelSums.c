// Sums over every axis but the last (a bias gradient: dy [n, h, w, c] -> [c]), in float64 as
// the JavaScript version before it, 4 channels at a time.
#include "simd.h"

// sums[c] = sum over rows of x[row][c]; x is [rows][channels], channels a multiple of 4;
// partial holds 2 * channels doubles of scratch.
EXPORT(channel_sums)
void channel_sums(const float *x, long rows, int channels, float *sums, double *partial) {
  const v128_t zero = wasm_f64x2_splat(0.0);
  for (int c = 0; c < 2 * channels; c += 2) wasm_v128_store(partial + c, zero);
  // Rows go in runs of 64 summed in float32 (an error of a few ulp), then into float64.
  for (long first = 0; first < rows; first += 64) {
    const long end = rows - first < 64 ? rows : first + 64;
    for (int c = 0; c < channels; c += 4) {
      v128_t run = ZERO;
      for (long r = first; r < end; r++) run = ADD(run, LOAD(x + r * channels + c));
      double *p = partial + c;
      wasm_v128_store(p, wasm_f64x2_add(wasm_v128_load(p), wasm_f64x2_promote_low_f32x4(run)));
      wasm_v128_store(p + 2, wasm_f64x2_add(wasm_v128_load(p + 2), wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(run, run, 2, 3, 0, 1))));
    }
  }
  for (int c = 0; c < channels; c += 4)
    STORE(sums + c, wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(wasm_v128_load(partial + c)), wasm_f32x4_demote_f64x2_zero(wasm_v128_load(partial + c + 2)), 0, 1, 4, 5));
}
