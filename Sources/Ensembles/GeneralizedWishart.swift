import Foundation
import Laws
import LinearAlgebra

/// The generalised (cross) Wishart ensemble of THEORY §2: `F = (X W^T + W X^T) / 2T` for
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

    /// Eigenvalues of `replicas` independent draws, pooled and sorted ascending.
    public func sampleEigenvalues(seed: UInt64, replicas: Int = 1) throws(LinearAlgebraError) -> [Double] {
        var pooled: [Double] = []
        for r in 0..<replicas { pooled += try SymmetricEigen.eigenvalues(of: sampleMatrix(seed: seed, replica: r)) }
        return pooled.sorted()
    }
}
