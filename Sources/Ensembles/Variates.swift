import Foundation

extension Xoshiro256StarStar {
    /// Fills `buffer` with standard normal variates.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Double>) {
        for i in buffer.indices { buffer[i] = normal() }
    }

    /// A Rademacher variate: -1 or +1 with probability 1/2 each.
    @inline(__always)
    public mutating func rademacher() -> Double { next() >> 63 == 0 ? -1 : 1 }
}

extension Xoshiro256StarStar {
    /// Exponential(1): `-log U`, `U` uniform on `(0, 1]`.
    @inline(__always)
    public mutating func exponential() -> Double { -Foundation.log(uniformPositive()) }

    /// Gumbel(0, 1): `-log(-log U)`, CDF `exp(-exp(-x))`.
    @inline(__always)
    public mutating func gumbel() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        return -Foundation.log(-Foundation.log(u))
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000, doi:10.1145/358407.358414); for shape < 1,
    /// `Gamma(shape + 1) U^(1/shape)`.
    /// - Precondition: `shape > 0`.
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive, got \(shape)")
        if shape < 1 {
            let g = gamma(shape: shape + 1)
            return g * Foundation.pow(uniformPositive(), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniformPositive()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// Beta(a, b) as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a), y = gamma(shape: b)
        return x / (x + y)
    }

    /// A uniformly random integer in `0 ..< n` (Lemire's nearly divisionless method via the
    /// standard library's `random(in:using:)`, which is deterministic for a given generator).
    @inline(__always)
    public mutating func integer(below n: Int) -> Int { Int.random(in: 0..<n, using: &self) }
}

extension Xoshiro256StarStar {
    /// The first `count` entries of a uniformly random permutation of `0..<n` (partial
    /// Fisher-Yates): a sample without replacement, in random order.
    public mutating func sample(_ count: Int, from n: Int) -> [Int] {
        precondition(count >= 0 && count <= n, "sample: count exceeds the population")
        var order = Array(0..<n)
        for i in 0..<count { order.swapAt(i, i + integer(below: n - i)) }
        return Array(order.prefix(count))
    }
}

extension Xoshiro256StarStar {
    /// A vector uniform on the unit sphere of the complement of `(1, ..., 1)` in `R^dimension`:
    /// a standard normal vector with its mean removed, normalised (the SLQ probes that leave out
    /// the structural zero of H, docs/theory.md §1.6).
    public mutating func unitVectorOrthogonalToOnes(dimension c: Int) -> [Double] {
        precondition(c >= 2, "the complement of the ones vector needs dimension >= 2")
        var v = [Double](repeating: 0, count: c)
        var norm = 0.0
        while norm < 1e-8 {
            v.withUnsafeMutableBufferPointer { fillNormal($0) }
            let mean = v.reduce(0, +) / Double(c)
            v = v.map { $0 - mean }
            norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        }
        return v.map { $0 / norm }
    }
}
