// Fused float32 row kernels for `spectralkd spectrum` (docs/theory.md §1.1): softmax with the
// per-row statistics in one pass over each row while it sits in L1, and the scatter-add of
// probability rows into class sums. Compiled once per instruction set (AVX-512, AVX2 + FMA,
// baseline) and picked at load time; the exponential's fused multiply-adds are explicit and
// nothing else is contracted, so every clone gives the same bits.
#ifndef SPECTRALKD_ROW_KERNELS_H
#define SPECTRALKD_ROW_KERNELS_H

#include <stdint.h>

/// Softmax of `rows` rows of `c` float32 scores `z` (row-major) into `p`.
///
/// `kind` 0: logits, `p = softmax(z * inv_temperature)` with the maximum subtracted first.
/// `kind` 1: probabilities at temperature 1: each row must be non-negative and sum to 1 within
/// `tolerance`, and is renormalised to sum to 1.
///
/// Per row `n` it writes `first[n]` (the first index of the row's maximum score), `ties[n]`
/// (how many entries equal that maximum) and, when `labels` is not NULL, `label_probability[n] =
/// p[n, labels[n]]` in float64. Exponentials are summed in float64.
///
/// Returns -1, or the index of the first row that is refused (a NaN or infinity; for
/// probabilities also a negative entry or a sum off 1); rows after it are not processed.
long skd_softmax_rows_f32(const float *z, float *p, long rows, long c, int kind, float inv_temperature,
                          double tolerance, const long *labels, double *label_probability,
                          int32_t *first, int32_t *ties);

/// The softmax of `skd_softmax_rows_f32` fused with the class sums: for each row `n` whose label
/// `k = labels[n]` lies in `first_class ..< end_class`, in row order, the row's probabilities are
/// computed (into `p + n c`, or into the `c`-float `scratch` when `p` is NULL) and added at once,
/// while in L1, to `s[k, :]` in float64. Rows of other classes are left to other workers. Returns
/// -1 or the first refused row among this worker's rows (`s` is then partly updated).
long skd_softmax_scatter_rows_f32(const float *z, float *p, float *scratch, long rows, long c, int kind,
                                  float inv_temperature, double tolerance, const long *labels,
                                  double *label_probability, int32_t *first, int32_t *ties,
                                  double *s, long first_class, long end_class);

/// `sums[j] += sum_n p[n, j]` in float64, rows in order.
void skd_column_sums_f32(const float *p, long rows, long c, double *sums);

/// `p[n, j] -= shift[j]` in float32, in place.
void skd_shift_rows_f32(float *p, long rows, long c, const float *shift);

/// The float32 exponential the softmax uses, on `count` values (for tests and benchmarks).
void skd_exp_f32(const float *x, float *y, long count);

#endif
