// C[M][N] = op(A) . B where most of A is zero: MNIST's pixels are 81 % zeros, so the first Dense
// layer's product and its weight gradient (op(A) = A and Aᵀ, A the batch of images) are a fifth of
// the work when A's zeros are skipped. A is first compressed by rows (its nonzeros' columns and
// values); each nonzero then adds one scaled row of B into one row of C, 32 columns at a time.
// Skipping a zero drops a term 0 · B[p][j], which is exactly zero unless B[p][j] is infinite or NaN:
// the caller checks that B is finite (all_finite) before it takes this path.
#include "simd.h"

#define CHUNK 32

EXPORT(count_nonzero)
long count_nonzero(const float *A, long size) {
  long count = 0;
  for (long i = 0; i < size; i++) count += A[i] != 0.0f;
  return count;
}

// 1 when every value is finite: x * 0 is 0 for finite x and NaN for infinities and NaN.
EXPORT(all_finite)
int all_finite(const float *B, long size) {
  v128_t sum = ZERO;
  long i = 0;
  for (; i + 4 <= size; i += 4) sum = ADD(sum, wasm_f32x4_mul(LOAD(B + i), ZERO));
  float tail = 0.0f;
  for (; i < size; i++) tail += B[i] * 0.0f;
  const float total = wasm_f32x4_extract_lane(sum, 0) + wasm_f32x4_extract_lane(sum, 1) + wasm_f32x4_extract_lane(sum, 2) +
                      wasm_f32x4_extract_lane(sum, 3) + tail;
  return total == total;
}

// Aᵀ as compressed rows, S: A's column c's nonzeros are indices (their rows, ascending) and values
// [starts[c], starts[c + 1]). Counted, then placed, reading A row by row.
EXPORT(compress_columns)
void compress_columns(const float *A, int rows, int columns, int *starts, int *indices, float *values) {
  for (int c = 0; c <= columns; c++) starts[c] = 0;
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < columns; c++) starts[c + 1] += A[(long)r * columns + c] != 0.0f;
  for (int c = 0; c < columns; c++) starts[c + 1] += starts[c];
  // starts[c] serves as column c's cursor, ending at its end (column c + 1's start); shifted back after.
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < columns; c++) {
      const float a = A[(long)r * columns + c];
      if (a != 0.0f) {
        const int at = starts[c]++;
        indices[at] = r;
        values[at] = a;
      }
    }
  for (int c = columns; c > 0; c--) starts[c] = starts[c - 1];
  starts[0] = 0;
}

// C[i][c0, c0 + 32) = Σ over row i's nonzeros t of values[t] · B[indices[t]][c0, c0 + 32).
INLINE void gather_chunk(const int *indices, const float *values, int from, int to, const float *B, int N, int c0, float *c) {
  v128_t s0 = ZERO, s1 = ZERO, s2 = ZERO, s3 = ZERO, s4 = ZERO, s5 = ZERO, s6 = ZERO, s7 = ZERO;
  for (int t = from; t < to; t++) {
    const v128_t a = SPLAT(values + t);
    const float *b = B + (long)indices[t] * N + c0;
    s0 = MADD(a, LOAD(b), s0);
    s1 = MADD(a, LOAD(b + 4), s1);
    s2 = MADD(a, LOAD(b + 8), s2);
    s3 = MADD(a, LOAD(b + 12), s3);
    s4 = MADD(a, LOAD(b + 16), s4);
    s5 = MADD(a, LOAD(b + 20), s5);
    s6 = MADD(a, LOAD(b + 24), s6);
    s7 = MADD(a, LOAD(b + 28), s7);
  }
  STORE(c + c0, s0);
  STORE(c + c0 + 4, s1);
  STORE(c + c0 + 8, s2);
  STORE(c + c0 + 12, s3);
  STORE(c + c0 + 16, s4);
  STORE(c + c0 + 20, s5);
  STORE(c + c0 + 24, s6);
  STORE(c + c0 + 28, s7);
}

// C[indices[t]][c0, c0 + 32) += values[t] · b for each of a row's nonzeros t; b is that row of B.
INLINE void scatter_chunk(const int *indices, const float *values, int from, int to, const float *b, int N, int c0, float *C) {
  const v128_t b0 = LOAD(b), b1 = LOAD(b + 4), b2 = LOAD(b + 8), b3 = LOAD(b + 12);
  const v128_t b4 = LOAD(b + 16), b5 = LOAD(b + 20), b6 = LOAD(b + 24), b7 = LOAD(b + 28);
  for (int t = from; t < to; t++) {
    const v128_t a = SPLAT(values + t);
    float *c = C + (long)indices[t] * N + c0;
    STORE(c, MADD(a, b0, LOAD(c)));
    STORE(c + 4, MADD(a, b1, LOAD(c + 4)));
    STORE(c + 8, MADD(a, b2, LOAD(c + 8)));
    STORE(c + 12, MADD(a, b3, LOAD(c + 12)));
    STORE(c + 16, MADD(a, b4, LOAD(c + 16)));
    STORE(c + 20, MADD(a, b5, LOAD(c + 20)));
    STORE(c + 24, MADD(a, b6, LOAD(c + 24)));
    STORE(c + 28, MADD(a, b7, LOAD(c + 28)));
  }
}

// C = S . B (transS 0: M = rows) or Sᵀ . B (transS 1: B has `rows` rows), S given as compressed
// rows; B is row-major with N columns. compress_columns makes S = Aᵀ for a Dense layer's two
// products, so that the batch-sized side (B = dY in Aᵀ . dY, gathered from; C in A . W, scattered
// into) is the one read or written at random: 32 of its columns are 25 KiB for a batch of 200, in L1.
EXPORT(sparse_multiply)
void sparse_multiply(const int *starts, const int *indices, const float *values, int rows, const float *B, float *C, int M, int N, int transS) {
  const int chunked = N - N % CHUNK;
  if (!transS) {
    for (int c0 = 0; c0 < chunked; c0 += CHUNK)
      for (int i = 0; i < rows; i++) gather_chunk(indices, values, starts[i], starts[i + 1], B, N, c0, C + (long)i * N);
    for (int i = 0; i < rows; i++)
      for (int j = chunked; j < N; j++) {
        float sum = 0.0f;
        for (int t = starts[i]; t < starts[i + 1]; t++) sum += values[t] * B[(long)indices[t] * N + j];
        C[(long)i * N + j] = sum;
      }
    return;
  }
  long q = 0;
  for (; q + 4 <= (long)M * N; q += 4) STORE(C + q, ZERO);
  for (; q < (long)M * N; q++) C[q] = 0.0f;
  for (int c0 = 0; c0 < chunked; c0 += CHUNK)
    for (int r = 0; r < rows; r++) scatter_chunk(indices, values, starts[r], starts[r + 1], B + (long)r * N + c0, N, c0, C);
  for (int r = 0; r < rows; r++)
    for (int t = starts[r]; t < starts[r + 1]; t++)
      for (int j = chunked; j < N; j++) C[(long)indices[t] * N + j] += values[t] * B[(long)r * N + j];
}
