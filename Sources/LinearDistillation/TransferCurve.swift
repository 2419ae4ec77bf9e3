import Ensembles
import Foundation
import LinearAlgebra

/// The transfer risk of linear distillation as the transfer set grows (docs/companions.md §1):
/// `transferSets` seeded nested sequences of inputs; at each size `n` on the grid, the student
/// `w^` (projection of `w*` on the first `n` inputs), its angle to `w*`, the risk
/// `P_x[sign(w*.x) != sign(w^.x)]` by Monte Carlo on one common test sample (exact on data),
/// the isotropic closed form `angle / pi`, and the Theorem 3 bound.
public struct TransferCurve: Sendable {
    public struct Point: Sendable, Equatable {
        public let samples: Int
        /// Mean over transfer sets of the Monte Carlo risk (exact for data).
        public let risk: Double
        /// Its standard error: `sqrt(var_sets / R + var_test / M)` over transfer sets and test
        /// points (the two-way "pigeonhole" estimate; the binomial one when R = 1, 0 for data).
        public let riskSE: Double
        /// A 95% upper confidence limit of the risk: `risk + 1.96 SE`, or, when no test decision at
        /// all was wrong (where the SE is 0), the rule of three `3 / (R M)`; the risk itself for data.
        public let upper95: Double
        /// Mean angle between `w*` and `w^`, radians.
        public let angle: Double
        /// Mean of `angle / pi`: the exact risk for isotropic inputs (nil otherwise).
        public let closedFormRisk: Double?
        public let bound: Double
    }

    public let dimension: Int
    public let distribution: TransferDistribution
    public let teacher: [Double]
    public let points: [Point]
    public let transferSets: Int
    public let testPoints: Int
    /// Times, over all sets and consecutive sizes, that adding points raised the angle to `w*`
    /// by more than 1e-9. Strong monotonicity (the projection onto a larger span is closer to
    /// `w*`) says never; for every synthetic family here the risk is an increasing function of
    /// that angle, so it never rises either.
    public let monotonicityViolations: Int
    /// For data only: times the exact risk rose when points were added. Nothing forbids it (the
    /// risk of an asymmetric population need not follow the angle); it is counted, not hidden.
    public let riskIncreases: Int

    /// - Parameters:
    ///   - sizes: transfer-set sizes, ascending.
    ///   - teacher: `w*`, or nil for a seeded standard normal direction.
    public init(dimension d: Int, sizes: [Int], distribution: TransferDistribution, teacher: [Double]? = nil,
                transferSets: Int = 50, testPoints testCount: Int = 20_000, seed: UInt64) throws {
        precondition(d >= 1 && !sizes.isEmpty && sizes == sizes.sorted() && sizes[0] >= 1 && transferSets >= 1, "bad curve settings")
        var teacherRNG = Xoshiro256StarStar(seed: seed, stream: 0)
        let w = teacher ?? (0..<d).map { _ in teacherRNG.normal() }
        precondition(w.count == d, "teacher length differs from the dimension")
        let nMax = sizes.last!
        // The test sample: common to every set and size (exact population for data).
        let test: [Double], m: Int
        if case let .empirical(rows, values) = distribution { test = values; m = rows } else {
            var rng = Xoshiro256StarStar(seed: seed, stream: 1)
            test = distribution.sample(count: testCount, teacher: w, using: &rng); m = testCount
        }
        let teacherSigns = Self.signs(test, rows: m, w)
        var risks = [[Double]](repeating: [], count: sizes.count)        // [size][set]
        var angles = risks
        var testHits = [[Double]](repeating: [Double](repeating: 0, count: m), count: sizes.count)
        for r in 0..<transferSets {
            let pool = Self.transferPool(distribution, teacher: w, count: nMax, seed: seed, set: r)
            // All students of this set as the columns of a d x K matrix, then one product with the test sample.
            var students = [Double](repeating: 0, count: d * sizes.count)
            for (k, n) in sizes.enumerated() {
                let student = try LinearStudent.projection(inputs: Array(pool[0..<(n * d)]), rows: n, teacher: w)
                angles[k].append(Self.angle(w, student))
                for j in 0..<d { students[j * sizes.count + k] = student[j] }
            }
            let scores = Products.times(test, rows: m, inner: d, students, columns: sizes.count)
            for k in sizes.indices {
                var wrong = 0.0
                for i in 0..<m where (scores[i * sizes.count + k] > 0) != teacherSigns[i] { wrong += 1; testHits[k][i] += 1 }
                risks[k].append(wrong / Double(m))
            }
        }
        var violations = 0, increases = 0
        for r in 0..<transferSets {
            for k in 1..<max(1, sizes.count) {
                if angles[k][r] > angles[k - 1][r] + 1e-9 { violations += 1 }
                if case .empirical = distribution, risks[k][r] > risks[k - 1][r] + 1e-12 { increases += 1 }
            }
        }
        let isotropic = distribution == .isotropic
        let p = distribution.reverseAngleCDF(dimension: d, teacher: w)
        let generalPosition: Bool = { if case .empirical = distribution { return false }; return true }()
        points = sizes.enumerated().map { k, n in
            let mean = risks[k].reduce(0, +) / Double(transferSets)
            var se = 0.0
            if case .empirical = distribution {} else {
                let perTest = testHits[k].map { $0 / Double(transferSets) }
                let testVariance = Self.variance(perTest)
                let setVariance = transferSets > 1 ? Self.variance(risks[k]) : 0
                se = sqrt(setVariance / Double(transferSets) + testVariance / Double(m))
            }
            let meanAngle = angles[k].reduce(0, +) / Double(transferSets)
            let bound = TransferBound(samples: n, dimension: d, generalPosition: generalPosition, candidates: distribution.kinks, p: p)
            var upper = mean
            if case .empirical = distribution {} else {
                upper = mean == 0 ? min(1, 3 / (Double(transferSets) * Double(m))) : min(1, mean + 1.96 * se)
            }
            return Point(samples: n, risk: mean, riskSE: se, upper95: upper, angle: meanAngle,
                         closedFormRisk: isotropic ? meanAngle / .pi : nil, bound: bound.value)
        }
        dimension = d; self.distribution = distribution; self.teacher = w
        self.transferSets = transferSets; testPoints = m; monotonicityViolations = violations; riskIncreases = increases
    }

    /// Transfer set `set` of a seed (`count x d`, row-major): its first `n` rows are the set of
    /// size `n`, so the sets of one seed are nested. Rows of data are drawn without replacement.
    public static func transferPool(_ distribution: TransferDistribution, teacher w: [Double], count: Int, seed: UInt64, set: Int) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed, stream: 2 + UInt64(set))
        guard case let .empirical(rows, values) = distribution else { return distribution.sample(count: count, teacher: w, using: &rng) }
        precondition(count <= rows, "more transfer points than rows")
        let d = w.count
        return rng.sample(count, from: rows).flatMap { values[($0 * d)..<(($0 + 1) * d)] }
    }

    /// The angle between two vectors, in `[0, pi]`, as `2 atan2(|a^ - b^|, |a^ + b^|)` of the unit
    /// vectors (Kahan): accurate to round-off near 0, where `acos` of the cosine gives ~1e-8.
    public static func angle(_ a: [Double], _ b: [Double]) -> Double {
        let na = sqrt(a.map { $0 * $0 }.reduce(0, +)), nb = sqrt(b.map { $0 * $0 }.reduce(0, +))
        if na == 0 || nb == 0 { return .pi / 2 }
        var minus = 0.0, plus = 0.0
        for (x, y) in zip(a, b) {
            let u = x / na, v = y / nb
            minus += (u - v) * (u - v); plus += (u + v) * (u + v)
        }
        return 2 * atan2(minus.squareRoot(), plus.squareRoot())
    }

    static func signs(_ x: [Double], rows m: Int, _ w: [Double]) -> [Bool] {
        Products.times(x, rows: m, inner: w.count, w, columns: 1).map { $0 > 0 }
    }

    static func variance(_ v: [Double]) -> Double {
        guard v.count > 1 else { return 0 }
        let mean = v.reduce(0, +) / Double(v.count)
        return v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)
    }

    /// Transfer-set sizes for a curve ending at `samples`: about `count` geometrically spaced
    /// integers from 1, with `dimension - 1` and `dimension` included when they lie in range.
    public static func sizes(upTo samples: Int, dimension d: Int, count: Int = 24) -> [Int] {
        var set = Set<Int>([1, samples])
        for i in 0..<count { set.insert(max(1, Int((pow(Double(samples), Double(i) / Double(count - 1))).rounded()))) }
        for k in [d - 1, d] where k >= 1 && k <= samples { set.insert(k) }
        return set.sorted()
    }
}
