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

#endif
