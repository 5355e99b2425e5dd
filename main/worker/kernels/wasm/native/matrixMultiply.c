// C[M][N] = op(A) . op(B) for one pair of float32 matrices, either operand transposed in place
// (the Dense layers' gradients ask for both): B is packed a block of rows at a time into panels of
// 8 columns, so the 4x8 block of C being summed stays in registers and reads its panel straight
// through, with fused multiply-add in the relaxed build.
#include "simd.h"

#define PANEL 8
// Rows of B per packed block: a panel of it (KC x 8 floats, 8 KiB) stays in L1 while a block of
// rows of A passes over it.
#define KC 256
// Rows of A per block: MC x KC floats (64 KiB) stay in L2.
#define MC 64

// P[panel][k][8] for rows [k0, k0 + kc) of op(B), zero past column N.
INLINE void pack(const float *B, int transB, int K, int N, int k0, int kc, float *P) {
  const int panels = (N + PANEL - 1) / PANEL;
  for (int j = 0; j < panels; j++) {
    float *p = P + (long)j * kc * PANEL;
    const int c0 = j * PANEL;
    if (!transB && c0 + PANEL <= N) {
      for (int k = 0; k < kc; k++, p += PANEL) {
        const float *b = B + (long)(k0 + k) * N + c0;
        STORE(p, LOAD(b));
        STORE(p + 4, LOAD(b + 4));
      }
      continue;
    }
    for (int k = 0; k < kc; k++, p += PANEL)
      for (int c = 0; c < PANEL; c++) p[c] = c0 + c >= N ? 0.0f : transB ? B[(long)(c0 + c) * K + k0 + k] : B[(long)(k0 + k) * N + c0 + c];
  }
}

// Adds (or, first, writes) the first `count` lanes of v to o.
INLINE void store_lanes(float *o, v128_t v, int count, int add) {
  if (count >= 4) {
    STORE(o, add ? ADD(v, LOAD(o)) : v);
    return;
  }
  if (count > 0) o[0] = (add ? o[0] : 0.0f) + wasm_f32x4_extract_lane(v, 0);
  if (count > 1) o[1] = (add ? o[1] : 0.0f) + wasm_f32x4_extract_lane(v, 1);
  if (count > 2) o[2] = (add ? o[2] : 0.0f) + wasm_f32x4_extract_lane(v, 2);
}

// One row of a 4x8 block: its two sums into `columns` (1..8) columns of C.
INLINE void store_row(float *o, v128_t s0, v128_t s1, int columns, int add) {
  store_lanes(o, s0, columns, add);
  if (columns > 4) store_lanes(o + 4, s1, columns - 4, add);
}

// A's element (r, k) is at a + r * rowStride + k * depthStride (either is 1, as A is transposed or not).
EXPORT(matrix_multiply)
void matrix_multiply(const float *A, const float *B, float *C, int M, int K, int N, int transA, int transB, float *P) {
  const long rowStride = transA ? 1 : K, depthStride = transA ? M : 1;
  const int panels = (N + PANEL - 1) / PANEL;
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = K - k0 < KC ? K - k0 : KC;
    const int add = k0 > 0;
    pack(B, transB, K, N, k0, kc, P);
    for (int r0 = 0; r0 < M; r0 += MC) {
      const int rEnd = M - r0 < MC ? M : r0 + MC;
      for (int j = 0; j < panels; j++) {
        const float *panel = P + (long)j * kc * PANEL;
        const int c0 = j * PANEL;
        const int columns = N - c0 < PANEL ? N - c0 : PANEL;
        int r = r0;
        for (; r + 4 <= rEnd; r += 4) {
          const float *a0 = A + r * rowStride + k0 * depthStride;
          const float *a1 = a0 + rowStride, *a2 = a1 + rowStride, *a3 = a2 + rowStride;
          v128_t s00 = ZERO, s01 = ZERO, s10 = ZERO, s11 = ZERO, s20 = ZERO, s21 = ZERO, s30 = ZERO, s31 = ZERO;
          const float *p = panel;
          for (int k = 0; k < kc; k++, p += PANEL) {
            const v128_t b0 = LOAD(p), b1 = LOAD(p + 4);
            const long at = k * depthStride;
            MADD_4X8(a0 + at, a1 + at, a2 + at, a3 + at, b0, b1);
          }
          float *o = C + (long)r * N + c0;
          store_row(o, s00, s01, columns, add);
          store_row(o + N, s10, s11, columns, add);
          store_row(o + 2L * N, s20, s21, columns, add);
          store_row(o + 3L * N, s30, s31, columns, add);
        }
        for (; r < rEnd; r++) {
          const float *a0 = A + r * rowStride + k0 * depthStride;
          v128_t s0 = ZERO, s1 = ZERO;
          const float *p = panel;
          for (int k = 0; k < kc; k++, p += PANEL) {
            const v128_t a = SPLAT(a0 + k * depthStride);
            s0 = MADD(a, LOAD(p), s0);
            s1 = MADD(a, LOAD(p + 4), s1);
          }
          store_row(C + (long)r * N + c0, s0, s1, columns, add);
        }
      }
    }
  }
}

// Floats of packing scratch matrix_multiply needs for this N.
EXPORT(matrix_multiply_scratch)
long matrix_multiply_scratch(int N) { return (long)KC * ((N + PANEL - 1) / PANEL) * PANEL; }
