import Foundation
import Laws
import LinearAlgebra

/// The generalised (cross) Wishart ensemble of docs/theory.md §2: `F = (X W^T + W X^T) / 2T` for
/// `M x T` matrices with i.i.d. entries of variance `s2` and `corr(X_it, W_it) = c`. Its
/// spectrum tends to `GeneralizedMarchenkoPastur(q: M/T, scale: s2, correlation: c)`.
public struct GeneralizedWishart: Sendable {
    public enum Entries: String, Sendable, CaseIterable {
        case gaussian
        /// `X = sqrt(s2) e1`, `W = sqrt(s2) (c e1 + sqrt(1 - c^2) e2)` with Rademacher `e1, e2`.
        case rademacher
    }

    public let dimension: Int
    public let samples: Int
    public let scale: Double
    public let correlation: Double
    public let entries: Entries

    public init(dimension: Int, samples: Int, scale: Double = 1, correlation: Double, entries: Entries = .gaussian) {
        precondition(dimension >= 1 && samples >= 1, "dimension and samples must be positive")
        precondition(scale > 0 && abs(correlation) <= 1, "scale > 0 and |correlation| <= 1")
        self.dimension = dimension
        self.samples = samples
        self.scale = scale
        self.correlation = correlation
        self.entries = entries
    }

    /// The limiting law.
    public var limit: GeneralizedMarchenkoPastur {
        get throws(LawError) {
            try GeneralizedMarchenkoPastur(q: Double(dimension) / Double(samples), scale: scale, correlation: correlation)
        }
    }

    /// One draw of `F` (random stream `(seed, replica)`). The T samples are drawn and
    /// accumulated in blocks of `blockRows` (default: 8 MiB per matrix), so memory is
    /// O(block M + M^2) whatever T is (a bootstrap at ImageNet's N = 1.28M needs no 20 GB);
    /// the variates do not depend on the block size.
    /// - Complexity: O(M T) variates and `dsyr2k` calls totalling `2 T M^2` flops.
    public func sampleMatrix(seed: UInt64, replica: Int = 0, blockRows: Int? = nil) -> SquareMatrix {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(replica))
        let m = dimension, t = samples
        let rowsPerBlock = min(t, max(1, blockRows ?? (1 << 20) / m))
        // Stored rows x M (row = one of the T samples) so that BLAS sums over rows.
        var x = [Double](repeating: 0, count: rowsPerBlock * m), w = x
        let root = scale.squareRoot(), c = correlation, complement = (1 - c * c).squareRoot()
        var f = SquareMatrix(zeros: m)
        var start = 0
        while start < t {
            let rows = min(rowsPerBlock, t - start)
            for i in 0..<(rows * m) {
                let e1: Double, e2: Double
                switch entries {
                case .gaussian: e1 = rng.normal(); e2 = rng.normal()
                case .rademacher: e1 = rng.rademacher(); e2 = rng.rademacher()
                }
                x[i] = root * e1
                w[i] = root * (c * e1 + complement * e2)
            }
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    Products.symmetricRank2k(xp, wp, rows: rows, columns: m, alpha: 1 / (2 * Double(t)),
                                             beta: start == 0 ? 0 : 1, into: &f)
                }
            }
            start += rows
        }
        f.mirrorUpperToLower()
        return f
    }

    /// Whether `sampleMatrixBartlett` applies: Gaussian entries and `T >= M`.
    public var bartlettApplies: Bool { entries == .gaussian && samples >= dimension }

    /// One draw of `F` with the same law as `sampleMatrix`, in O(M^3) whatever `T` is.
    ///
    /// `Z1 = (X + W)/sqrt 2` and `Z2 = (X - W)/sqrt 2` are independent Gaussian matrices with
    /// entry variances `s2 (1 + c)` and `s2 (1 - c)`, and `X W^T + W X^T = Z1 Z1^T - Z2 Z2^T`. Each
    /// `Z Z^T` is a white Wishart with T degrees of freedom, drawn exactly by Bartlett's
    /// decomposition `A A^T`: `A` lower triangular, `A_ii = sqrt(chi^2_{T - i + 1})` (i = 1..M),
    /// standard normals below the diagonal. So `F = (s2 (1 + c) A1 A1^T - s2 (1 - c) A2 A2^T) / 2T`.
    /// - Precondition: `bartlettApplies`.
    /// - Complexity: M^2 variates and two `dsyr2k` calls of `2 M^3` flops each.
    public func sampleMatrixBartlett(seed: UInt64, replica: Int = 0) -> SquareMatrix {
        precondition(bartlettApplies, "Bartlett's decomposition needs Gaussian entries and samples >= dimension")
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(replica))
        let m = dimension, t = Double(samples)
        var f = SquareMatrix(zeros: m)
        // A^T stored row-major (an M x M "rows x columns" block), so BLAS forms (A^T)^T A^T = A A^T.
        var at = [Double](repeating: 0, count: m * m)
        for (k, weight) in [(0, scale * (1 + correlation)), (1, -scale * (1 - correlation))] {
            for i in 0..<m {
                // Row i of A: normals in columns j < i, a chi variate on the diagonal.
                for j in 0..<i { at[j * m + i] = rng.normal() }
                at[i * m + i] = (2 * rng.gamma(shape: (t - Double(i)) / 2)).squareRoot()
            }
            // alpha (X^T W + W^T X) with X = W = A^T is 2 alpha A A^T.
            at.withUnsafeBufferPointer { a in
                Products.symmetricRank2k(a, a, rows: m, columns: m, alpha: weight / (4 * t), beta: k == 0 ? 0 : 1, into: &f)
            }
        }
        f.mirrorUpperToLower()
        return f
    }

    /// Eigenvalues of `replicas` independent draws, pooled and sorted ascending. `bartlett`
    /// draws them by `sampleMatrixBartlett` (same law, other variates) when it applies.
    public func sampleEigenvalues(seed: UInt64, replicas: Int = 1, bartlett: Bool = false) throws(LinearAlgebraError) -> [Double] {
        var pooled: [Double] = []
        for r in 0..<replicas {
            let matrix = bartlett && bartlettApplies ? sampleMatrixBartlett(seed: seed, replica: r) : sampleMatrix(seed: seed, replica: r)
            pooled += try SymmetricEigen.eigenvalues(of: matrix)
        }
        return pooled.sorted()
    }
}
