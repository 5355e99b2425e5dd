// What every kernel source here shares: 128-bit SIMD, with fused multiply-add in the relaxed
// build. These modules import tfjs' heap and must not use static data or the linear-memory
// stack (scripts/buildWasmKernels.mjs checks): helpers are inlined, small arrays unrolled.
#ifndef MNIST_LAB_SIMD_H
#define MNIST_LAB_SIMD_H

#include <wasm_simd128.h>

#ifdef RELAXED_SIMD
#define MADD(a, b, c) wasm_f32x4_relaxed_madd(a, b, c)
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)
#endif

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define SPLAT(p) wasm_v128_load32_splat(p)
#define ZERO wasm_f32x4_splat(0.0f)

// One depth step of a 4x8 block of sums s00..s31 (the caller's variables): the value of row r,
// read at p<r>, times the 8 columns b0 | b1. The matrix products of matrixMultiply.c and
// winograd3x3.c share it.
#define MADD_4X8(p0, p1, p2, p3, b0, b1) \
  do {                                   \
    v128_t a_ = SPLAT(p0);               \
    s00 = MADD(a_, b0, s00);             \
    s01 = MADD(a_, b1, s01);             \
    a_ = SPLAT(p1);                      \
    s10 = MADD(a_, b0, s10);             \
    s11 = MADD(a_, b1, s11);             \
    a_ = SPLAT(p2);                      \
    s20 = MADD(a_, b0, s20);             \
    s21 = MADD(a_, b1, s21);             \
    a_ = SPLAT(p3);                      \
    s30 = MADD(a_, b0, s30);             \
    s31 = MADD(a_, b1, s31);             \
  } while (0)

// Stores the block s00..s31 at o, its rows `stride` floats apart.
#define STORE_4X8(o, stride)            \
  do {                                  \
    STORE(o, s00);                      \
    STORE((o) + 4, s01);                \
    STORE((o) + (stride), s10);         \
    STORE((o) + (stride) + 4, s11);     \
    STORE((o) + 2 * (stride), s20);     \
    STORE((o) + 2 * (stride) + 4, s21); \
    STORE((o) + 3 * (stride), s30);     \
    STORE((o) + 3 * (stride) + 4, s31); \
  } while (0)

#endif
