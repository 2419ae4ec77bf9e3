/// Sums, minima and maxima of a row with several independent accumulators.
///
/// A plain `for` loop reducing into one variable is a serial chain of dependent operations
/// (about 4 cycles each), which the compiler may not reorder for floating point. Four lanes of
/// accumulators break the chain, and stay deterministic: the order of operations depends only
/// on the row length. (Swift's generic `pointwiseMin`/`pointwiseMax` on SIMD types compile to
/// out-of-line scalar loops here, so plain scalars are faster.)
public enum RowReductions {
    /// `(sum, minimum, maximum)` of `count` values. NaN anywhere makes the sum NaN.
    @inline(__always)
    public static func summary(_ row: UnsafePointer<Double>, count: Int) -> (sum: Double, minimum: Double, maximum: Double) {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var lo0 = Double.infinity, lo1 = Double.infinity, lo2 = Double.infinity, lo3 = Double.infinity
        var hi0 = -Double.infinity, hi1 = -Double.infinity, hi2 = -Double.infinity, hi3 = -Double.infinity
        var i = 0
        while i + 4 <= count {
            let a = row[i], b = row[i + 1], c = row[i + 2], d = row[i + 3]
            s0 += a; s1 += b; s2 += c; s3 += d
            lo0 = a < lo0 ? a : lo0; lo1 = b < lo1 ? b : lo1; lo2 = c < lo2 ? c : lo2; lo3 = d < lo3 ? d : lo3
            hi0 = a > hi0 ? a : hi0; hi1 = b > hi1 ? b : hi1; hi2 = c > hi2 ? c : hi2; hi3 = d > hi3 ? d : hi3
            i += 4
        }
        while i < count {
            let a = row[i]
            s0 += a
            lo0 = a < lo0 ? a : lo0
            hi0 = a > hi0 ? a : hi0
            i += 1
        }
        let low = Swift.min(Swift.min(lo0, lo1), Swift.min(lo2, lo3))
        let high = Swift.max(Swift.max(hi0, hi1), Swift.max(hi2, hi3))
        return ((s0 + s1) + (s2 + s3), low, high)
    }

    /// Sum of `count` values in four lanes.
    @inline(__always)
    public static func sum(_ row: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += row[i]; s1 += row[i + 1]; s2 += row[i + 2]; s3 += row[i + 3]
            i += 4
        }
        while i < count { s0 += row[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }
}
