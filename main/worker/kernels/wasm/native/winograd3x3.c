// Winograd F(2x2, 3x3) convolutions for the wasm backend: the forward convolution (and so the
// input gradient, a forward convolution of the padded output gradient with the rotated filter) and
// the filter gradient, each as 16 small matrix products between a transform of 4x4 input tiles and
// a transform of the filter (or of 2x2 output-gradient tiles). 16 multiplications per tile and
// channel pair instead of 36: 2.25x fewer.
//
// Every pointer is an offset into tfjs' wasm heap, so tensors are read and written in place.
// Layouts: tensors NHWC; filters [3][3][in][out] as tfjs keeps them; transformed filters
// U[16][in][out]; scratch is the caller's, sized by winograd_*_scratch.

#include "simd.h"

// Whether this build fuses multiply and add (relaxed SIMD): the bench and the badge say which ran.
EXPORT(winograd_relaxed) int winograd_relaxed(void) {
#ifdef RELAXED_SIMD
  return 1;
#else
  return 0;
#endif
}

// Geometry of one convolution as the tiles see it: x is [batch][inH][inW][cin], the output
// [batch][outH][outW][cout], out(y, x) reads in(y + kh - padTop, x + kw - padLeft), 0 outside.
typedef struct {
  int batch, inH, inW, cin, padTop, padLeft, outH, outW, cout;
  int tilesH, tilesW;
} Shape;

INLINE Shape shape_of(int batch, int inH, int inW, int cin, int padTop, int padLeft, int outH, int outW, int cout) {
  Shape s = {batch, inH, inW, cin, padTop, padLeft, outH, outW, cout, (outH + 1) / 2, (outW + 1) / 2};
  return s;
}

// Where a tile lies: its image, and the output row and column of its top-left value.
typedef struct {
  int n, row, column;
} Tile;

INLINE Tile tile_at(const Shape *s, long tile) {
  const int tilesPerImage = s->tilesH * s->tilesW;
  const int rest = (int)(tile % tilesPerImage);
  Tile t = {(int)(tile / tilesPerImage), (rest / s->tilesW) * 2, (rest % s->tilesW) * 2};
  return t;
}

// One input value group (4 channels) at row r, column c of image n, 0 outside the image.
INLINE v128_t pixel(const float *x, const Shape *s, int n, int r, int c, int ch) {
  if (r < 0 || r >= s->inH || c < 0 || c >= s->inW) return wasm_f32x4_splat(0.0f);
  return LOAD(x + (((long)n * s->inH + r) * s->inW + c) * s->cin + ch);
}

// (B^T d B) of one 4x4 patch, one row of d at a time: rows d0..d3 become t0..t3 = B^T d, and
// each row of that is transformed along its columns as it is stored.
#define BT_COLUMNS(out, stride, a, b, c, d) \
  do {                                        \
    STORE((out), SUB(a, c));                  \
    STORE((out) + (stride), ADD(b, c));       \
    STORE((out) + 2 * (stride), SUB(c, b));   \
    STORE((out) + 3 * (stride), SUB(b, d));   \
  } while (0)

// V[xi][tile][ch] for the tiles [first, first + count): the input transform, 4 channels at a time.
INLINE void transform_input(const float *x, const Shape *s, long first, int count, float *V) {
  const int cin = s->cin;
  const long plane = (long)count * cin;  // floats between V[xi] and V[xi + 1]
  for (int t = 0; t < count; t++) {
    const Tile at = tile_at(s, first + t);
    const int n = at.n, r0 = at.row - s->padTop, c0 = at.column - s->padLeft;
    const int inside = r0 >= 0 && c0 >= 0 && r0 + 4 <= s->inH && c0 + 4 <= s->inW;
    const long rowStride = (long)s->inW * cin;
    const float *base = x + (((long)n * s->inH + r0) * s->inW + c0) * cin;
    for (int ch = 0; ch < cin; ch += 4) {
      v128_t d[4][4];
#pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < 4; j++) d[i][j] = inside ? LOAD(base + i * rowStride + j * cin + ch) : pixel(x, s, n, r0 + i, c0 + j, ch);
      float *out = V + (long)t * cin + ch;
#pragma clang loop unroll(full)
      for (int j = 0; j < 4; j++) {
        const v128_t t0 = SUB(d[0][j], d[2][j]);
        const v128_t t1 = ADD(d[1][j], d[2][j]);
        const v128_t t2 = SUB(d[2][j], d[1][j]);
        const v128_t t3 = SUB(d[1][j], d[3][j]);
        d[0][j] = t0;
        d[1][j] = t1;
        d[2][j] = t2;
        d[3][j] = t3;
      }
#pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++) BT_COLUMNS(out + 4 * i * plane, plane, d[i][0], d[i][1], d[i][2], d[i][3]);
    }
  }
}

// C[rows][cols] = A[rows][depth] . B[depth][cols] (row-major, cols a multiple of 4), 4 rows by
// 8 columns at a time so the eight sums stay in registers.
INLINE void multiply(const float *A, const float *B, float *C, int rows, int depth, int cols) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *a0 = A + (long)r * depth, *a1 = a0 + depth, *a2 = a1 + depth, *a3 = a2 + depth;
    int c = 0;
    for (; c + 8 <= cols; c += 8) {
      v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
      const float *b = B + c;
      for (int k = 0; k < depth; k++, b += cols) {
        const v128_t b0 = LOAD(b), b1 = LOAD(b + 4);
        MADD_4X8(a0 + k, a1 + k, a2 + k, a3 + k, b0, b1);
      }
      float *o = C + (long)r * cols + c;
      STORE_4X8(o, cols);
    }
    for (; c < cols; c += 4) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      const float *b = B + c;
      for (int k = 0; k < depth; k++, b += cols) {
        const v128_t b0 = LOAD(b);
        s0 = MADD(wasm_v128_load32_splat(a0 + k), b0, s0);
        s1 = MADD(wasm_v128_load32_splat(a1 + k), b0, s1);
        s2 = MADD(wasm_v128_load32_splat(a2 + k), b0, s2);
        s3 = MADD(wasm_v128_load32_splat(a3 + k), b0, s3);
      }
      float *o = C + (long)r * cols + c;
      STORE(o, s0);
      STORE(o + cols, s1);
      STORE(o + 2 * cols, s2);
      STORE(o + 3 * cols, s3);
    }
  }
  for (; r < rows; r++) {
    const float *a0 = A + (long)r * depth;
    for (int c = 0; c < cols; c += 4) {
      v128_t s0 = wasm_f32x4_splat(0);
      const float *b = B + c;
      for (int k = 0; k < depth; k++, b += cols) s0 = MADD(wasm_v128_load32_splat(a0 + k), LOAD(b), s0);
      STORE(C + (long)r * cols + c, s0);
    }
  }
}

// The output transform A^T m A of the tiles [first, first + count), plus bias and ReLU, into y.
INLINE void transform_output(const float *M, const Shape *s, long first, int count, const float *bias, int relu, float *y) {
  const int cout = s->cout;
  const long plane = (long)count * cout;
  const v128_t zero = wasm_f32x4_splat(0);
  for (int t = 0; t < count; t++) {
    const Tile at = tile_at(s, first + t);
    const int n = at.n, r0 = at.row, c0 = at.column;
    const int rows = r0 + 1 < s->outH ? 2 : 1;
    const int cols = c0 + 1 < s->outW ? 2 : 1;
    float *out = y + (((long)n * s->outH + r0) * s->outW + c0) * cout;
    const float *m = M + (long)t * cout;
    for (int ch = 0; ch < cout; ch += 4) {
      v128_t u[4][2];
#pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++) {
        const float *row = m + 4 * i * plane + ch;
        const v128_t m0 = LOAD(row), m1 = LOAD(row + plane), m2 = LOAD(row + 2 * plane), m3 = LOAD(row + 3 * plane);
        u[i][0] = ADD(ADD(m0, m1), m2);
        u[i][1] = SUB(SUB(m1, m2), m3);
      }
      const v128_t b = bias ? LOAD(bias + ch) : zero;
#pragma clang loop unroll(full)
      for (int j = 0; j < 2; j++) {
        v128_t top = ADD(ADD(ADD(u[0][j], u[1][j]), u[2][j]), b);
        v128_t bottom = ADD(SUB(SUB(u[1][j], u[2][j]), u[3][j]), b);
        if (relu) {
          top = wasm_f32x4_max(top, zero);
          bottom = wasm_f32x4_max(bottom, zero);
        }
        if (j < cols) {
          STORE(out + j * cout + ch, top);
          if (rows > 1) STORE(out + ((long)s->outW + j) * cout + ch, bottom);
        }
      }
    }
  }
}

EXPORT(winograd_forward_scratch)
long winograd_forward_scratch(int cin, int cout, int tilesPerBlock) { return 16L * tilesPerBlock * (cin + cout); }

// y = conv(x, filter) (+ bias, ReLU) with U = winograd_filter_transform(filter). cin and cout are
// multiples of 4; scratch holds winograd_forward_scratch floats.
EXPORT(winograd_forward)
void winograd_forward(const float *x, int batch, int inH, int inW, int cin, int padTop, int padLeft, const float *U, int cout, int outH,
                      int outW, const float *bias, int relu, float *y, float *scratch, int tilesPerBlock) {
  const Shape s = shape_of(batch, inH, inW, cin, padTop, padLeft, outH, outW, cout);
  const long tiles = (long)batch * s.tilesH * s.tilesW;
  float *V = scratch;
  float *M = scratch + 16L * tilesPerBlock * cin;
  for (long first = 0; first < tiles; first += tilesPerBlock) {
    const int count = (int)(tiles - first < tilesPerBlock ? tiles - first : tilesPerBlock);
    transform_input(x, &s, first, count, V);
    for (int xi = 0; xi < 16; xi++)
      multiply(V + (long)xi * count * cin, U + (long)xi * cin * cout, M + (long)xi * count * cout, count, cin, cout);
    transform_output(M, &s, first, count, bias, relu, y);
  }
}

// U[xi][in][out] = (G g G^T)[xi] for each channel pair. With `flip`, the filter of the input
// gradient: g rotated 180 degrees with in and out swapped, so U is [16][cout][cin].
EXPORT(winograd_filter_transform)
void winograd_filter_transform(const float *g, int cin, int cout, int flip, float *U) {
  const long pairs = (long)cin * cout;
  for (int ci = 0; ci < cin; ci++)
    for (int co = 0; co < cout; co++) {
      float w[3][3];
#pragma clang loop unroll(full)
      for (int i = 0; i < 3; i++)
#pragma clang loop unroll(full)
        for (int j = 0; j < 3; j++) w[i][j] = flip ? g[((2 - i) * 3 + (2 - j)) * pairs + (long)ci * cout + co] : g[(i * 3 + j) * pairs + (long)ci * cout + co];
      float gw[4][3];
#pragma clang loop unroll(full)
      for (int j = 0; j < 3; j++) {
        gw[0][j] = w[0][j];
        gw[1][j] = 0.5f * (w[0][j] + w[1][j] + w[2][j]);
        gw[2][j] = 0.5f * (w[0][j] - w[1][j] + w[2][j]);
        gw[3][j] = w[2][j];
      }
      const long at = flip ? (long)co * cin + ci : (long)ci * cout + co;
#pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++) {
        float *u = U + 4L * i * pairs + at;
        u[0] = gw[i][0];
        u[pairs] = 0.5f * (gw[i][0] + gw[i][1] + gw[i][2]);
        u[2 * pairs] = 0.5f * (gw[i][0] - gw[i][1] + gw[i][2]);
        u[3 * pairs] = gw[i][2];
      }
    }
}

// One output-gradient group (4 channels) at row r, column c of image n, 0 outside the output.
INLINE v128_t gradient(const float *dy, const Shape *s, int n, int r, int c, int ch) {
  if (r >= s->outH || c >= s->outW) return wasm_f32x4_splat(0.0f);
  return LOAD(dy + (((long)n * s->outH + r) * s->outW + c) * s->cout + ch);
}

// D[xi][tile][ch] = (A e A^T)[xi] of each 2x2 output-gradient tile e, A = [1 0; 1 1; 1 -1; 0 -1].
INLINE void transform_gradient(const float *dy, const Shape *s, long first, int count, float *D) {
  const int cout = s->cout;
  const long plane = (long)count * cout;
  for (int t = 0; t < count; t++) {
    const Tile at = tile_at(s, first + t);
    const int n = at.n, r0 = at.row, c0 = at.column;
    for (int ch = 0; ch < cout; ch += 4) {
      const v128_t e00 = gradient(dy, s, n, r0, c0, ch), e01 = gradient(dy, s, n, r0, c0 + 1, ch);
      const v128_t e10 = gradient(dy, s, n, r0 + 1, c0, ch), e11 = gradient(dy, s, n, r0 + 1, c0 + 1, ch);
      // Rows of A e: e0, e0 + e1, e0 - e1, -e1 (for each of the two columns).
      const v128_t r[4][2] = {{e00, e01}, {ADD(e00, e10), ADD(e01, e11)}, {SUB(e00, e10), SUB(e01, e11)}, {wasm_f32x4_neg(e10), wasm_f32x4_neg(e11)}};
      float *out = D + (long)t * cout + ch;
#pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++) {
        float *o = out + 4 * i * plane;
        STORE(o, r[i][0]);
        STORE(o + plane, ADD(r[i][0], r[i][1]));
        STORE(o + 2 * plane, SUB(r[i][0], r[i][1]));
        STORE(o + 3 * plane, wasm_f32x4_neg(r[i][1]));
      }
    }
  }
}

// S[cin][cout] += V^T . D for one transformed position: V is [count][cin], D [count][cout].
INLINE void accumulate_products(const float *V, const float *D, float *S, int count, int cin, int cout) {
  for (int ci = 0; ci < cin; ci += 4) {
    int co = 0;
    for (; co + 8 <= cout; co += 8) {
      float *o = S + (long)ci * cout + co;
      v128_t s00 = LOAD(o), s01 = LOAD(o + 4), s10 = LOAD(o + cout), s11 = LOAD(o + cout + 4);
      v128_t s20 = LOAD(o + 2 * cout), s21 = LOAD(o + 2 * cout + 4), s30 = LOAD(o + 3 * cout), s31 = LOAD(o + 3 * cout + 4);
      const float *v = V + ci;
      const float *d = D + co;
      for (int t = 0; t < count; t++, v += cin, d += cout) {
        const v128_t d0 = LOAD(d), d1 = LOAD(d + 4);
        MADD_4X8(v, v + 1, v + 2, v + 3, d0, d1);
      }
      STORE_4X8(o, cout);
    }
    for (; co < cout; co += 4) {
      float *o = S + (long)ci * cout + co;
      v128_t s0 = LOAD(o), s1 = LOAD(o + cout), s2 = LOAD(o + 2 * cout), s3 = LOAD(o + 3 * cout);
      const float *v = V + ci;
      const float *d = D + co;
      for (int t = 0; t < count; t++, v += cin, d += cout) {
        const v128_t d0 = LOAD(d);
        s0 = MADD(wasm_v128_load32_splat(v), d0, s0);
        s1 = MADD(wasm_v128_load32_splat(v + 1), d0, s1);
        s2 = MADD(wasm_v128_load32_splat(v + 2), d0, s2);
        s3 = MADD(wasm_v128_load32_splat(v + 3), d0, s3);
      }
      STORE(o, s0);
      STORE(o + cout, s1);
      STORE(o + 2 * cout, s2);
      STORE(o + 3 * cout, s3);
    }
  }
}

EXPORT(winograd_filter_grad_scratch)
long winograd_filter_grad_scratch(int cin, int cout, int tilesPerBlock) { return 16L * tilesPerBlock * (cin + cout) + 16L * cin * cout; }

// dW[3][3][cin][cout] = sum over images and positions of x(y + kh - padTop, x + kw - padLeft) dy(y, x):
// G^T (sum over tiles of (B^T d B) . (A e A^T)) G. cin and cout are multiples of 4.
EXPORT(winograd_filter_grad)
void winograd_filter_grad(const float *x, int batch, int inH, int inW, int cin, int padTop, int padLeft, const float *dy, int cout, int outH,
                          int outW, float *dW, float *scratch, int tilesPerBlock) {
  const Shape s = shape_of(batch, inH, inW, cin, padTop, padLeft, outH, outW, cout);
  const long tiles = (long)batch * s.tilesH * s.tilesW;
  const long pairs = (long)cin * cout;
  float *V = scratch;
  float *D = V + 16L * tilesPerBlock * cin;
  float *S = D + 16L * tilesPerBlock * cout;
  const v128_t zero = wasm_f32x4_splat(0);
  for (long i = 0; i < 16 * pairs; i += 4) STORE(S + i, zero);
  for (long first = 0; first < tiles; first += tilesPerBlock) {
    const int count = (int)(tiles - first < tilesPerBlock ? tiles - first : tilesPerBlock);
    transform_input(x, &s, first, count, V);
    transform_gradient(dy, &s, first, count, D);
    for (int xi = 0; xi < 16; xi++) accumulate_products(V + (long)xi * count * cin, D + (long)xi * count * cout, S + xi * pairs, count, cin, cout);
  }
  // G^T s G, G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1], 4 channel pairs at a time.
  const v128_t half = wasm_f32x4_splat(0.5f);
  for (long p = 0; p < pairs; p += 4) {
    v128_t q[3][4];
#pragma clang loop unroll(full)
    for (int j = 0; j < 4; j++) {
      const v128_t s0 = LOAD(S + (0 * 4 + j) * pairs + p), s1 = LOAD(S + (1 * 4 + j) * pairs + p);
      const v128_t s2 = LOAD(S + (2 * 4 + j) * pairs + p), s3 = LOAD(S + (3 * 4 + j) * pairs + p);
      const v128_t mid = wasm_f32x4_mul(half, ADD(s1, s2));
      q[0][j] = ADD(s0, mid);
      q[1][j] = wasm_f32x4_mul(half, SUB(s1, s2));
      q[2][j] = ADD(mid, s3);
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 3; i++) {
      const v128_t mid = wasm_f32x4_mul(half, ADD(q[i][1], q[i][2]));
      STORE(dW + (i * 3 + 0) * pairs + p, ADD(q[i][0], mid));
      STORE(dW + (i * 3 + 1) * pairs + p, wasm_f32x4_mul(half, SUB(q[i][1], q[i][2])));
      STORE(dW + (i * 3 + 2) * pairs + p, ADD(mid, q[i][3]));
    }
  }
}
