import Ensembles
import Foundation
import LinearDistillation
import Testing
import _TestSupport

/// Projection onto the span of the rows by Gram-Schmidt: an implementation independent of LAPACK.
func gramSchmidtProjection(_ x: [Double], rows n: Int, _ w: [Double]) -> [Double] {
    let d = w.count
    var basis: [[Double]] = []
    for r in 0..<n {
        var v = Array(x[(r * d)..<((r + 1) * d)])
        for _ in 0..<2 { for b in basis { let c = zip(v, b).map(*).reduce(0, +); for j in 0..<d { v[j] -= c * b[j] } } }
        let norm = sqrt(v.map { $0 * $0 }.reduce(0, +))
        if norm > 1e-10 { basis.append(v.map { $0 / norm }) }
    }
    var p = [Double](repeating: 0, count: d)
    for b in basis { let c = zip(w, b).map(*).reduce(0, +); for j in 0..<d { p[j] += c * b[j] } }
    return p
}

func gaussian(_ count: Int, seed: UInt64) -> [Double] {
    var rng = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in rng.normal() }
}

func distance(_ a: [Double], _ b: [Double]) -> Double { sqrt(zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)) }

@Suite struct LinearDistillationTests {
    /// The LAPACK projection agrees with Gram-Schmidt over shapes n < d, n = d, n > d, and is the
    /// teacher itself once n >= d (Theorem 1).
    @Test(arguments: [(5, 2), (12, 7), (8, 8), (6, 15), (30, 3)])
    func projectionMatchesGramSchmidt(d: Int, n: Int) throws {
        let w = gaussian(d, seed: UInt64(d * 100 + n))
        let x = gaussian(n * d, seed: UInt64(d * 1000 + n))
        let p = try LinearStudent.projection(inputs: x, rows: n, teacher: w)
        #expect(distance(p, gramSchmidtProjection(x, rows: n, w)) < 1e-10)
        if n >= d { #expect(distance(p, w) < 1e-10) }
        // The residual is orthogonal to every row.
        for r in 0..<n { #expect(abs((0..<d).map { x[r * d + $0] * (w[$0] - p[$0]) }.reduce(0, +)) < 1e-10) }
    }

    /// Gradient descent from zero actually reaches the projection (Theorem 1); a deep linear
    /// student from a small initialisation gets close, and closer as the initialisation shrinks
    /// (Theorem 2).
    @Test(.slow) func gradientDescentReachesTheProjection() throws {
        let d = 6, n = 3
        let w = gaussian(d, seed: 3), x = gaussian(n * d, seed: 4)
        let p = try LinearStudent.projection(inputs: x, rows: n, teacher: w)
        let shallow = LinearStudent.trainByGradientDescent(inputs: x, rows: n, teacher: w, depth: 1, hidden: 1, steps: 20_000,
                                                           learningRate: 0.5, initScale: 0, seed: 1)
        #expect(distance(shallow, p) < 1e-6 * distance(p, [Double](repeating: 0, count: d)))
        let coarse = LinearStudent.trainByGradientDescent(inputs: x, rows: n, teacher: w, depth: 3, hidden: 6, steps: 20_000,
                                                          learningRate: 0.2, initScale: 0.3, seed: 1)
        let fine = LinearStudent.trainByGradientDescent(inputs: x, rows: n, teacher: w, depth: 3, hidden: 6, steps: 20_000,
                                                        learningRate: 0.2, initScale: 0.01, seed: 1)
        let norm = distance(p, [Double](repeating: 0, count: d))
        #expect(distance(fine, p) < 0.05 * norm, "deep student \(distance(fine, p) / norm), coarse \(distance(coarse, p) / norm)")
        #expect(distance(fine, p) < distance(coarse, p))
    }

    /// Sampled angles follow each family's reverse CDF (Kolmogorov-Smirnov over a parameter grid).
    @Test(arguments: [TransferDistribution.isotropic, .margin(0.3), .margin(1.0), .polynomial(degree: 1), .polynomial(degree: 4)],
          [3, 20])
    func anglesFollowTheReverseCDF(family: TransferDistribution, d: Int) {
        var rng = Xoshiro256StarStar(seed: 77)
        let w = gaussian(d, seed: 9)
        let m = 4000
        let angles = TransferDistribution.acuteAngles(family.sample(count: m, teacher: w, using: &rng), rows: m, teacher: w)
        let ks = ksStatistic(angles) { 1 - family.reverseAngleCDF($0, dimension: d, teacher: w) }
        #expect(ks < ks1(m))
    }

    /// n >= d gives risk exactly 0 and bound 0, whatever the family.
    @Test(arguments: [TransferDistribution.isotropic, .margin(0.4), .polynomial(degree: 2)])
    func enoughPointsGiveZeroRisk(family: TransferDistribution) throws {
        let curve = try TransferCurve(dimension: 7, sizes: [7, 9], distribution: family, transferSets: 5, testPoints: 3000, seed: 2)
        for point in curve.points {
            #expect(point.risk == 0)
            #expect(point.bound == 0)
            #expect(point.angle < 1e-7)
        }
    }

    /// For isotropic inputs the Monte Carlo risk matches angle / pi within 4 standard errors, at
    /// several dimensions and sizes; the bound holds; adding points never raises the angle.
    @Test(arguments: [(10, [1, 3, 6, 9]), (40, [2, 10, 25, 39])])
    func isotropicRiskIsAngleOverPi(d: Int, sizes: [Int]) throws {
        let curve = try TransferCurve(dimension: d, sizes: sizes, distribution: .isotropic, transferSets: 30, testPoints: 20_000, seed: 11)
        for point in curve.points {
            let exact = try #require(point.closedFormRisk)
            #expect(abs(point.risk - exact) < 4 * point.riskSE + 1e-12, "n = \(point.samples)")
            #expect(point.risk <= point.bound + 4 * point.riskSE)
            #expect(point.riskSE > 0)
        }
        #expect(curve.monotonicityViolations == 0)
        #expect(zip(curve.points, curve.points.dropFirst()).allSatisfy { $0.angle >= $1.angle })
    }

    /// Theorem 3's bound holds for the margin and polynomial families, and with a wedge it is
    /// at most `p(margin)^n` (Corollary 1: taking beta = pi/2 - margin).
    @Test(.slow, arguments: [TransferDistribution.margin(0.5), .polynomial(degree: 1), .polynomial(degree: 3)])
    func boundHoldsOnAngleFamilies(family: TransferDistribution) throws {
        let d = 25
        let curve = try TransferCurve(dimension: d, sizes: [1, 2, 5, 12, 24], distribution: family, transferSets: 40, testPoints: 10_000, seed: 5)
        for point in curve.points {
            #expect(point.risk <= point.bound + 4 * point.riskSE, "n = \(point.samples)")
            #expect((0...1).contains(point.bound))
            if case let .margin(m) = family {
                let pm = family.reverseAngleCDF(m, dimension: d, teacher: curve.teacher)
                #expect(point.bound <= pow(pm, Double(point.samples)) + 1e-12)
            }
        }
        #expect(curve.monotonicityViolations == 0)
        // Risk falls with n: the largest set beats the smallest by far.
        #expect(curve.points.last!.risk < curve.points.first!.risk / 2)
    }

    /// On data the risk is exact (the rows are the population) and never increases with n.
    @Test func empiricalDataRiskIsExactAndMonotone() throws {
        let d = 6, rows = 300
        let x = gaussian(rows * d, seed: 21), w = gaussian(d, seed: 22)
        let curve = try TransferCurve(dimension: d, sizes: [1, 2, 3, 5, 6], distribution: .empirical(rows: rows, values: x), teacher: w,
                                      transferSets: 10, seed: 3)
        #expect(curve.monotonicityViolations == 0)
        #expect(curve.riskIncreases >= 0)
        #expect(curve.points.last!.risk == 0)
        for point in curve.points {
            #expect(point.riskSE == 0)
            let scaled = point.risk * Double(rows)
            #expect(abs(scaled * 10 - (scaled * 10).rounded()) < 1e-6)   // a mean of 10 exact counts
        }
    }

    /// Same seed, same bits.
    @Test func seeded() throws {
        let a = try TransferCurve(dimension: 8, sizes: [2, 4], distribution: .polynomial(degree: 2), transferSets: 3, testPoints: 500, seed: 8)
        let b = try TransferCurve(dimension: 8, sizes: [2, 4], distribution: .polynomial(degree: 2), transferSets: 3, testPoints: 500, seed: 8)
        #expect(a.points == b.points)
    }
}
