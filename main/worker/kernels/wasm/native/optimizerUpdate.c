// The data-parallel trainer's optimiser update of one slice of the weights (see
// trainers/dataParallel/optimizerStep.ts, which runs it on a memory of its own): the threads'
// pre-scaled gradients summed in thread order, then one rule of shared/training/optimizerRules.ts,
// 4 weights at a time. The slice length n is a multiple of 4 (the caller pads).
#include "simd.h"

enum { ADAM = 0, MOMENTUM = 1, SGD = 2, RMSPROP = 3 };

// parts holds `threads` arrays of n floats; first and second are the rule's moments.
EXPORT(optimizer_update)
void optimizer_update(int rule, float *w, const float *parts, int threads, float *first, float *second, long n, float lr, float decay1,
                      float decay2, float epsilon, float correction1, float correction2) {
  const v128_t rate = wasm_f32x4_splat(lr), d1 = wasm_f32x4_splat(decay1), d2 = wasm_f32x4_splat(decay2);
  const v128_t keep1 = wasm_f32x4_splat(1.0f - decay1), keep2 = wasm_f32x4_splat(1.0f - decay2), eps = wasm_f32x4_splat(epsilon);
  const v128_t c1 = wasm_f32x4_splat(correction1), c2 = wasm_f32x4_splat(correction2);
  for (long k = 0; k < n; k += 4) {
    v128_t g = LOAD(parts + k);
    for (int t = 1; t < threads; t++) g = ADD(g, LOAD(parts + t * n + k));
    const v128_t weight = LOAD(w + k);
    if (rule == ADAM) {
      const v128_t m = ADD(wasm_f32x4_mul(d1, LOAD(first + k)), wasm_f32x4_mul(keep1, g));
      const v128_t v = ADD(wasm_f32x4_mul(d2, LOAD(second + k)), wasm_f32x4_mul(keep2, wasm_f32x4_mul(g, g)));
      STORE(first + k, m);
      STORE(second + k, v);
      const v128_t step = wasm_f32x4_div(wasm_f32x4_mul(rate, wasm_f32x4_div(m, c1)), ADD(wasm_f32x4_sqrt(wasm_f32x4_div(v, c2)), eps));
      STORE(w + k, SUB(weight, step));
    } else if (rule == MOMENTUM) {
      const v128_t a = ADD(wasm_f32x4_mul(d1, LOAD(first + k)), g);
      STORE(first + k, a);
      STORE(w + k, SUB(weight, wasm_f32x4_mul(rate, a)));
    } else if (rule == SGD) {
      STORE(w + k, SUB(weight, wasm_f32x4_mul(rate, g)));
    } else {
      const v128_t ms = ADD(wasm_f32x4_mul(d1, LOAD(first + k)), wasm_f32x4_mul(keep1, wasm_f32x4_mul(g, g)));
      STORE(first + k, ms);
      STORE(w + k, SUB(weight, wasm_f32x4_div(wasm_f32x4_mul(rate, g), wasm_f32x4_sqrt(ADD(ms, eps)))));
    }
  }
}
