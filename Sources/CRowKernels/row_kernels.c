// Fused float32 row kernels; see include/row_kernels.h and Sources/Spectra/README.md.
//
// Written with the compiler's vector extensions (16 float lanes) rather than intrinsics, so one
// source serves every instruction set: target_clones compiles it for AVX-512, AVX2 and the
// x86-64 baseline and the loader picks one. Contraction into FMA is off and every reduction
// runs in a fixed lane order, so all clones and all thread counts give the same bits.
#include "row_kernels.h"

#include <math.h>
#include <string.h>

#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__clang__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
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
#define LOAD(ptr) ({ vf v_; memcpy(&v_, (ptr), sizeof v_); v_; })
#define STORE(ptr, v) do { vf s_ = (v); memcpy((ptr), &s_, sizeof s_); } while (0)
#define LOADD(ptr) ({ vd v_; memcpy(&v_, (ptr), sizeof v_); v_; })
#define STORED(ptr, v) do { vd s_ = (v); memcpy((ptr), &s_, sizeof s_); } while (0)
#define LOW_HALF(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 0, 1, 2, 3, 4, 5, 6, 7), vd)
#define HIGH_HALF(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 8, 9, 10, 11, 12, 13, 14, 15), vd)

/// `exp` on 16 lanes: Cody-Waite reduction `x = n ln2 + r` with ln2 in two parts (the first
/// has 9 significant bits, so `n * ln2_hi` is exact), Cephes' degree-5 minimax polynomial for
/// `exp(r)` on |r| <= ln2/2, and 2^n assembled in the exponent bits. Below -87.34 (where 2^n
/// would leave the normal range) the result is 0: after the softmax's maximum is subtracted such
/// an entry is below 1.2e-38 of the row's largest.
#define EXP_LANES(input) ({                                                                   \
    const float lowest_ = -87.336548f;                                                        \
    vf x_ = (input);                                                                          \
    vi keep_ = x_ >= SPLAT(lowest_);                                                          \
    x_ = __builtin_elementwise_max(x_, SPLAT(lowest_));                                       \
    vf n_ = (x_ * 1.44269504088896341f + 12582912.0f) - 12582912.0f;                          \
    vf r_ = (x_ - n_ * 0.693359375f) - n_ * -2.12194440e-4f;                                  \
    vf r2_ = r_ * r_;                                                                         \
    vf y_ = SPLAT(1.9875691500e-4f);                                                          \
    y_ = y_ * r_ + 1.3981999507e-3f;                                                          \
    y_ = y_ * r_ + 8.3334519073e-3f;                                                          \
    y_ = y_ * r_ + 4.1665795894e-2f;                                                          \
    y_ = y_ * r_ + 1.6666665459e-1f;                                                          \
    y_ = y_ * r_ + 5.0000001201e-1f;                                                          \
    y_ = y_ * r2_ + r_ + 1.0f;                                                                \
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

/// One row; returns 0 when refused.
INLINE int softmax_row(const float *z, float *p, long c, int kind, float inv_t, double tolerance,
                       long label, double *label_probability, int32_t *first, int32_t *ties) {
    // Pass 1: maximum, minimum, finiteness (v * 0 is NaN exactly for NaN and infinities), sum.
    vf mx = SPLAT(z[0]), mn = SPLAT(z[0]), check = SPLAT(0);
    vd sum_lo = (vd){0}, sum_hi = (vd){0};
    for (long j = 0; j < c; j += LANES) {
        vf v = LOAD_CHUNK(z, j, c, kind == 0 ? z[0] : 0.0f);
        mx = __builtin_elementwise_max(mx, v);
        mn = __builtin_elementwise_min(mn, v);
        check += v * 0.0f;
        if (kind == 1) { sum_lo += LOW_HALF(v); sum_hi += HIGH_HALF(v); }
    }
    for (int i = 0; i < LANES; i++) if (check[i] != 0) return 0;
    float m = mx[0];
    for (int i = 1; i < LANES; i++) m = mx[i] > m ? mx[i] : m;
    double total;
    if (kind == 1) {
        float least = mn[0];
        for (int i = 1; i < LANES; i++) least = mn[i] < least ? mn[i] : least;
        total = 0;
        for (int i = 0; i < 8; i++) total += sum_lo[i];
        for (int i = 0; i < 8; i++) total += sum_hi[i];
        if (!(least >= 0) || !(fabs(total - 1) <= tolerance)) return 0;
    }
    // Pass 2: exponentials (logits) or the scores themselves, their float64 sum, ties and the
    // first maximum. The padding never equals the maximum and its exponential is 0.
    vi tie_count = (vi){0}, first_index = (vi){0} + INT32_MAX;
    vi lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    sum_lo = (vd){0}; sum_hi = (vd){0};
    for (long j = 0; j < c; j += LANES) {
        vf v = LOAD_CHUNK(z, j, c, -INFINITY);
        vi hit = v == SPLAT(m);
        tie_count -= hit;
        vi index = lane + (int32_t)j;
        first_index = __builtin_elementwise_min(first_index, (index & hit) | ((vi){0} + INT32_MAX & ~hit));
        if (kind == 0) {
            vf e = EXP_LANES((v - m) * inv_t);
            sum_lo += LOW_HALF(e); sum_hi += HIGH_HALF(e);
            STORE_CHUNK(p, j, c, e);
        }
    }
    int32_t count = 0, at = INT32_MAX;
    for (int i = 0; i < LANES; i++) { count += tie_count[i]; at = first_index[i] < at ? first_index[i] : at; }
    *first = at; *ties = count;
    if (kind == 0) {
        total = 0;
        for (int i = 0; i < 8; i++) total += sum_lo[i];
        for (int i = 0; i < 8; i++) total += sum_hi[i];
    }
    // Pass 3: normalise.
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
        if (!softmax_row(z + n * c, row, c, kind, inv_temperature, tolerance, k, label_probability + n,
                         first + n, ties + n)) return n;
        ADD_ROW(s + k * c, row, c);
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
