// Fused float32 row kernels; see include/row_kernels.h and Sources/Spectra/README.md.
//
// Written with the compiler's vector extensions (16 float lanes) rather than intrinsics, so one
// source serves every instruction set: target_clones compiles it for x86-64-v4 (AVX-512),
// x86-64-v3 (AVX2 + FMA) and the baseline, and the loader picks one. The exponential's fused
// multiply-adds are explicit (the baseline clone calls libm's fmaf, which rounds once as the
// instruction does), nothing else is contracted, and every reduction runs in a fixed lane
// order, so all clones and all thread counts give the same bits.
#include "row_kernels.h"

#include <math.h>
#include <string.h>

#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__clang__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif
#define INLINE static inline __attribute__((always_inline))

enum { LANES = 16 };
typedef float vf __attribute__((vector_size(64)));
typedef int32_t vi __attribute__((vector_size(64)));
typedef double vd __attribute__((vector_size(64)));
typedef float vh __attribute__((vector_size(32)));

// Helpers are macros, not functions: a function taking or returning a 64-byte vector is an ABI
// error in the AVX2 and baseline clones even when it is always inlined.
#define SPLAT(x) ((vf){0} + (x))
// `a > b ? a : b` and `a < b ? a : b` lane by lane: one vmaxps / vminps, where
// __builtin_elementwise_max adds a NaN fix-up (rows with a NaN are refused anyway).
#define GREATER(a, b) ({ vf a_ = (a), b_ = (b); vi m_ = a_ > b_; (vf)((m_ & (vi)a_) | (~m_ & (vi)b_)); })
#define LESSER(a, b) ({ vf a_ = (a), b_ = (b); vi m_ = a_ < b_; (vf)((m_ & (vi)a_) | (~m_ & (vi)b_)); })
#define FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define LOAD(ptr) ({ vf v_; memcpy(&v_, (ptr), sizeof v_); v_; })
#define STORE(ptr, v) do { vf s_ = (v); memcpy((ptr), &s_, sizeof s_); } while (0)
#define LOADD(ptr) ({ vd v_; memcpy(&v_, (ptr), sizeof v_); v_; })
#define STORED(ptr, v) do { vd s_ = (v); memcpy((ptr), &s_, sizeof s_); } while (0)
#define LOW_HALF(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 0, 1, 2, 3, 4, 5, 6, 7), vd)
#define HIGH_HALF(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 8, 9, 10, 11, 12, 13, 14, 15), vd)

/// `exp` on 16 lanes: Cody-Waite reduction `x = n ln2 + r` with ln2 in two parts, Cephes'
/// degree-5 minimax polynomial for `exp(r)` on |r| <= ln2/2 in Horner form with fused
/// multiply-adds, and 2^n assembled in the exponent bits. Below -87.34 (where 2^n would leave
/// the normal range) the result is 0: after the softmax's maximum is subtracted such an entry is
/// below 1.2e-38 of the row's largest.
#define EXP_LANES(input) ({                                                                   \
    const float lowest_ = -87.336548f;                                                        \
    vf x_ = (input);                                                                          \
    vi keep_ = x_ >= SPLAT(lowest_);                                                          \
    x_ = GREATER(x_, SPLAT(lowest_));                                                         \
    vf n_ = FMA(x_, SPLAT(1.44269504088896341f), SPLAT(12582912.0f)) - 12582912.0f;           \
    vf r_ = FMA(n_, SPLAT(-0.693359375f), x_);                                                \
    r_ = FMA(n_, SPLAT(2.12194440e-4f), r_);                                                  \
    vf r2_ = r_ * r_;                                                                         \
    vf y_ = FMA(SPLAT(1.9875691500e-4f), r_, SPLAT(1.3981999507e-3f));                        \
    y_ = FMA(y_, r_, SPLAT(8.3334519073e-3f));                                                \
    y_ = FMA(y_, r_, SPLAT(4.1665795894e-2f));                                                \
    y_ = FMA(y_, r_, SPLAT(1.6666665459e-1f));                                                \
    y_ = FMA(y_, r_, SPLAT(5.0000001201e-1f));                                                \
    y_ = FMA(y_, r2_, r_) + 1.0f;                                                             \
    vi bits_ = (__builtin_convertvector(n_, vi) + 127) << 23;                                 \
    vf e_ = y_ * (vf)bits_;                                                                   \
    (vf)((vi)e_ & keep_); })

/// The 16 scores at `z + j`, or for the last partial chunk (`j + LANES > c`) the remaining
/// scores padded with `pad`.
#define LOAD_CHUNK(z, j, c, pad) ({                                                           \
    vf v_;                                                                                    \
    if ((j) + LANES <= (c)) v_ = LOAD((z) + (j));                                             \
    else { float t_[LANES];                                                                   \
           for (int i_ = 0; i_ < LANES; i_++) t_[i_] = (j) + i_ < (c) ? (z)[(j) + i_] : (pad);\
           v_ = LOAD(t_); }                                                                   \
    v_; })

#define STORE_CHUNK(p, j, c, v) do {                                                          \
    vf w_ = (v);                                                                              \
    if ((j) + LANES <= (c)) STORE((p) + (j), w_);                                             \
    else for (int i_ = 0; (j) + i_ < (c); i_++) (p)[(j) + i_] = w_[i_];                       \
} while (0)

/// Counts the lanes of `hit` (entries `j ..< j + 16` equal to the row's maximum) into `count`
/// and records the first in `at` (-1 until found): a test of the whole mask, and a scalar loop
/// only when it is set, about once per row.
#define COUNT_MAXIMA(hit, j, c, at, count) do {                                              \
    vi h_ = (hit);                                                                            \
    if (__builtin_reduce_or(h_)) {                                                            \
        for (int i_ = 0; i_ < LANES && (j) + i_ < (c); i_++)                                  \
            if (h_[i_]) { if ((at) < 0) (at) = (int32_t)((j) + i_); (count)++; }              \
    }                                                                                         \
} while (0)

/// Passes 1 and 2 of one row. Pass 1: maximum and finiteness (v * 0 is NaN exactly for NaN and
/// infinities). Pass 2, logits: `e = exp((z - max) inv_t)` with its float64 sum; probabilities:
/// the minimum and the float64 sum. Either way the first maximum and the ties, found where
/// `z - max` is 0 (a rare branch per 16 lanes). Returns the sum, or -1 when the row is refused.
INLINE double softmax_head(const float *z, float *e, long c, int kind, float inv_t, double tolerance,
                           int32_t *first, int32_t *ties) {
    vf mx = SPLAT(z[0]), check = SPLAT(0);
    for (long j = 0; j < c; j += LANES) {
        vf v = LOAD_CHUNK(z, j, c, z[0]);
        mx = GREATER(mx, v);
        check += v * 0.0f;
    }
    for (int i = 0; i < LANES; i++) if (check[i] != 0) return -1;
    float m = mx[0];
    for (int i = 1; i < LANES; i++) m = mx[i] > m ? mx[i] : m;
    vd sum_lo = (vd){0}, sum_hi = (vd){0};
    int32_t count = 0, at = -1;
    if (kind == 1) {
        vf mn = SPLAT(z[0]);
        for (long j = 0; j < c; j += LANES) {
            vf v = LOAD_CHUNK(z, j, c, 0.0f);
            mn = LESSER(mn, v);
            sum_lo += LOW_HALF(v); sum_hi += HIGH_HALF(v);
            COUNT_MAXIMA(v == SPLAT(m), j, c, at, count);
        }
        float least = mn[0];
        for (int i = 1; i < LANES; i++) least = mn[i] < least ? mn[i] : least;
        double total = 0;
        for (int i = 0; i < 8; i++) total += sum_lo[i];
        for (int i = 0; i < 8; i++) total += sum_hi[i];
        if (!(least >= 0) || !(fabs(total - 1) <= tolerance)) return -1;
        *first = at; *ties = count;
        return total;
    }
    for (long j = 0; j < c; j += LANES) {
        vf d = LOAD_CHUNK(z, j, c, -INFINITY) - m;
        COUNT_MAXIMA(d == SPLAT(0.0f), j, c, at, count);
        if (inv_t != 1.0f) d *= inv_t;
        vf x = EXP_LANES(d);
        sum_lo += LOW_HALF(x); sum_hi += HIGH_HALF(x);
        STORE_CHUNK(e, j, c, x);
    }
    *first = at; *ties = count;
    double total = 0;
    for (int i = 0; i < 8; i++) total += sum_lo[i];
    for (int i = 0; i < 8; i++) total += sum_hi[i];
    return total;
}

/// One row; returns 0 when refused.
INLINE int softmax_row(const float *z, float *p, long c, int kind, float inv_t, double tolerance,
                       long label, double *label_probability, int32_t *first, int32_t *ties) {
    double total = softmax_head(z, p, c, kind, inv_t, tolerance, first, ties);
    if (total < 0) return 0;
    const float *source = kind == 0 ? p : z;
    float scale = (float)(1.0 / total);
    for (long j = 0; j < c; j += LANES) STORE_CHUNK(p, j, c, LOAD_CHUNK(source, j, c, 0) * scale);
    if (label_probability) *label_probability = (double)p[label];
    return 1;
}

CLONES
long skd_softmax_rows_f32(const float *z, float *p, long rows, long c, int kind, float inv_temperature,
                          double tolerance, const long *labels, double *label_probability,
                          int32_t *first, int32_t *ties) {
    for (long n = 0; n < rows; n++) {
        if (!softmax_row(z + n * c, p + n * c, c, kind, inv_temperature, tolerance, labels ? labels[n] : 0,
                         labels ? label_probability + n : 0, first + n, ties + n)) return n;
    }
    return -1;
}

/// Adds row `row` (float32) to `target` (float64), 16 lanes at a time.
#define ADD_ROW(target, row, c) do {                                                          \
    long j_ = 0;                                                                              \
    for (; j_ + LANES <= (c); j_ += LANES) {                                                  \
        vf v_ = LOAD((row) + j_);                                                             \
        STORED((target) + j_, LOADD((target) + j_) + LOW_HALF(v_));                           \
        STORED((target) + j_ + 8, LOADD((target) + j_ + 8) + HIGH_HALF(v_));                  \
    }                                                                                         \
    for (; j_ < (c); j_++) (target)[j_] += (double)(row)[j_];                                 \
} while (0)

CLONES
long skd_softmax_scatter_rows_f32(const float *z, float *p, float *scratch, long rows, long c, int kind,
                                  float inv_temperature, double tolerance, const long *labels,
                                  double *label_probability, int32_t *first, int32_t *ties,
                                  double *s, long first_class, long end_class) {
    for (long n = 0; n < rows; n++) {
        long k = labels[n];
        if (k < first_class || k >= end_class) continue;
        float *row = p ? p + n * c : scratch;
        const float *zn = z + n * c;
        double total = softmax_head(zn, row, c, kind, inv_temperature, tolerance, first + n, ties + n);
        if (total < 0) return n;
        const float *source = kind == 0 ? row : zn;
        float scale = (float)(1.0 / total);
        double *target = s + k * c;
        label_probability[n] = (double)(source[k] * scale);  // before `row` is normalised in place
        long j = 0;
        for (; j + LANES <= c; j += LANES) {
            vf v = LOAD(source + j) * scale;
            if (p) STORE(row + j, v);
            STORED(target + j, LOADD(target + j) + LOW_HALF(v));
            STORED(target + j + 8, LOADD(target + j + 8) + HIGH_HALF(v));
        }
        for (; j < c; j++) { float v = source[j] * scale; if (p) row[j] = v; target[j] += (double)v; }
    }
    return -1;
}

CLONES
void skd_column_sums_f32(const float *p, long rows, long c, double *sums) {
    for (long n = 0; n < rows; n++) ADD_ROW(sums, p + n * c, c);
}

CLONES
void skd_shift_rows_f32(float *p, long rows, long c, const float *shift) {
    for (long n = 0; n < rows; n++) {
        float *row = p + n * c;
        long j = 0;
        for (; j + LANES <= c; j += LANES) STORE(row + j, LOAD(row + j) - LOAD(shift + j));
        for (; j < c; j++) row[j] -= shift[j];
    }
}

CLONES
void skd_exp_f32(const float *x, float *y, long count) {
    for (long j = 0; j < count; j += LANES) STORE_CHUNK(y, j, count, EXP_LANES(LOAD_CHUNK(x, j, count, 0)));
}
