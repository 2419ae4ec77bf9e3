import NumericSupport
import Foundation
import Testing

@Suite struct NelderMeadTests {
    /// Rosenbrock's banana valley from the classic start (-1.2, 1): the minimum (1, 1).
    @Test func rosenbrock() {
        let f: ([Double]) -> Double = { p in 100 * pow(p[1] - p[0] * p[0], 2) + pow(1 - p[0], 2) }
        let best = NelderMead.minimize(f, start: [-1.2, 1], step: [0.1, 0.1], tolerance: 1e-16, maxEvaluations: 4000)
        #expect(abs(best.point[0] - 1) < 1e-4 && abs(best.point[1] - 1) < 1e-4, "\(best.point)")
        #expect(best.value < 1e-8)
    }

    /// A rotated, badly scaled quadratic in 3-d: the known minimiser.
    @Test func scaledQuadratic() {
        let target = [0.3, -2.0, 5.0]
        let f: ([Double]) -> Double = { p in
            let d = zip(p, target).map { $0 - $1 }
            return 1e4 * d[0] * d[0] + (d[1] + d[2]) * (d[1] + d[2]) + 0.01 * (d[1] - d[2]) * (d[1] - d[2])
        }
        let best = NelderMead.minimize(f, start: [0, 0, 0], step: [0.5, 0.5, 0.5], tolerance: 1e-18, maxEvaluations: 20000)
        for (x, t) in zip(best.point, target) { #expect(abs(x - t) < 1e-3, "\(best.point)") }
    }
}
