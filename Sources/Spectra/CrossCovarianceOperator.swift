import Foundation
import LinearAlgebra

/// `H(A, B) v = (dA^T (dB v) + dB^T (dA v)) / 2N` without forming the `C x C` matrix
/// (docs/theory.md §1.6): four matrix-vector products, O(NC) each, so a spectrum can be
/// estimated when `C^2` doubles do not fit in memory. Centring is applied to the vectors
/// (`dA v = A v - 1 (abar . v)`, `dA^T u = A^T u - abar (1 . u)`), never to the data.
public struct CrossCovarianceOperator: Sendable {
    /// One side of the product: dense rows (probabilities) or class labels (one-hot `Y`).
    public enum Factor: Sendable {
        case dense([Double])
        case labels([Int])
    }

    public let rows: Int
    public let classes: Int
    let a: Factor
    let b: Factor
    let meanA: [Double]
    let meanB: [Double]

    /// - Parameters: `a` and `b` with `rows` rows of `classes` columns (labels in `0..<classes`).
    public init(_ a: Factor, _ b: Factor, rows: Int, classes: Int) {
        precondition(rows >= 2 && classes >= 1, "operator: too small")
        self.a = a; self.b = b; self.rows = rows; self.classes = classes
        meanA = Self.columnMeans(a, rows: rows, classes: classes)
        meanB = Self.columnMeans(b, rows: rows, classes: classes)
    }

    static func columnMeans(_ f: Factor, rows n: Int, classes c: Int) -> [Double] {
        var m = [Double](repeating: 0, count: c)
        switch f {
        case let .dense(x):
            precondition(x.count == n * c, "operator: dense factor shape")
            Products.matrixVector(x, rows: n, columns: c, transpose: true, [Double](repeating: 1, count: n), alpha: 1 / Double(n), into: &m)
        case let .labels(y):
            precondition(y.count == n && y.allSatisfy { (0..<c).contains($0) }, "operator: labels shape")
            for k in y { m[k] += 1 / Double(n) }
        }
        return m
    }

    /// `dF v`, length N.
    func times(_ f: Factor, mean: [Double], _ v: [Double]) -> [Double] {
        let shift = zip(mean, v).map(*).reduce(0, +)
        switch f {
        case let .dense(x):
            var u = [Double](repeating: -shift, count: rows)
            Products.matrixVector(x, rows: rows, columns: classes, transpose: false, v, beta: 1, into: &u)
            return u
        case let .labels(y):
            return y.map { v[$0] - shift }
        }
    }

    /// `dF^T u`, length C.
    func transposeTimes(_ f: Factor, mean: [Double], _ u: [Double]) -> [Double] {
        let total = u.reduce(0, +)
        var w = mean.map { -$0 * total }
        switch f {
        case let .dense(x):
            Products.matrixVector(x, rows: rows, columns: classes, transpose: true, u, beta: 1, into: &w)
        case let .labels(y):
            for (n, k) in y.enumerated() { w[k] += u[n] }
        }
        return w
    }

    /// `Tr H = (1/N) sum_n <dA_n, dB_n> = (1/N) sum_n <A_n, B_n> - <abar, bbar>` (docs/theory.md §1.2),
    /// exactly, in one pass.
    public var trace: Double {
        var total = 0.0
        switch (a, b) {
        case let (.dense(x), .labels(y)), let (.labels(y), .dense(x)):
            for (n, k) in y.enumerated() { total += x[n * classes + k] }
        case let (.dense(x), .dense(z)):
            for i in x.indices { total += x[i] * z[i] }
        case let (.labels(y), .labels(z)):
            total = Double(zip(y, z).filter { $0 == $1 }.count)
        }
        return total / Double(rows) - zip(meanA, meanB).map(*).reduce(0, +)
    }

    /// `H V` for a block of `width` vectors, the columns of `V` (`C x width`, row-major): one pass
    /// over each dense factor for all of them (`dgemm`), so many probes cost about one.
    public func apply(block v: [Double], width m: Int) -> [Double] {
        precondition(v.count == classes * m && m >= 1, "operator: block shape")
        if m == 1 { return apply(v) }      // dgemv beats a one-column dgemm
        func times(_ f: Factor, _ mean: [Double]) -> [Double] {           // dF V, N x m
            var shift = [Double](repeating: 0, count: m)
            for j in 0..<classes { for k in 0..<m { shift[k] += mean[j] * v[j * m + k] } }
            var u: [Double]
            switch f {
            case let .dense(x): u = Products.times(x, rows: rows, inner: classes, v, columns: m)
            case let .labels(y):
                u = [Double](repeating: 0, count: rows * m)
                for (n, label) in y.enumerated() { for k in 0..<m { u[n * m + k] = v[label * m + k] } }
            }
            for n in 0..<rows { for k in 0..<m { u[n * m + k] -= shift[k] } }
            return u
        }
        func transposeTimes(_ f: Factor, _ mean: [Double], _ u: [Double]) -> [Double] {   // dF^T U, C x m
            var totals = [Double](repeating: 0, count: m)
            for n in 0..<rows { for k in 0..<m { totals[k] += u[n * m + k] } }
            var w: [Double]
            switch f {
            case let .dense(x): w = Products.transposedTimes(x, rows: rows, columns: classes, u, width: m)
            case let .labels(y):
                w = [Double](repeating: 0, count: classes * m)
                for (n, label) in y.enumerated() { for k in 0..<m { w[label * m + k] += u[n * m + k] } }
            }
            for j in 0..<classes { for k in 0..<m { w[j * m + k] -= mean[j] * totals[k] } }
            return w
        }
        let left = transposeTimes(a, meanA, times(b, meanB))
        let right = transposeTimes(b, meanB, times(a, meanA))
        let scale = 1 / (2 * Double(rows))
        return zip(left, right).map { ($0 + $1) * scale }
    }

    /// `H v`.
    public func apply(_ v: [Double]) -> [Double] {
        precondition(v.count == classes, "operator: vector length")
        let left = transposeTimes(a, mean: meanA, times(b, mean: meanB, v))
        let right = transposeTimes(b, mean: meanB, times(a, mean: meanA, v))
        let scale = 1 / (2 * Double(rows))
        return zip(left, right).map { ($0 + $1) * scale }
    }
}
