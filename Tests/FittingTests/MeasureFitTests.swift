import Ensembles
import Fitting
import Laws
import Testing

/// The GMP law fitted to a spectral measure (an SLQ estimate's weighted nodes).
@Suite struct MeasureFitTests {
    /// Eigenvalues of generalised Wisharts as an equally weighted measure: both methods recover
    /// (s2, c) within 3% over a grid, keep the given mean exactly, and do not reject.
    @Test(.slow, arguments: [(0.25, 0.3), (0.5, 0.6), (0.1, 0.8)])
    func recoversThePlantedLaw(q: Double, c: Double) throws {
        let m = 400
        let values = try GeneralizedWishart(dimension: m, samples: Int(Double(m) / q), scale: 1.3, correlation: c)
            .sampleEigenvalues(seed: 7)
        let mean = values.reduce(0, +) / Double(values.count)
        let weights = [Double](repeating: 1, count: values.count)
        let range = values.max()! - values.min()!
        for method in [FitMethod.moments, .distance] {
            let report = try MeasureFit.fit(nodes: values, weights: weights, mean: mean, q: q, bound: 0.05 * range, method: method).report
            let law = try #require(report.law)
            #expect(abs(law.scale / 1.3 - 1) < 0.03, "\(method) s2 \(law.scale)")
            #expect(abs(law.correlation / c - 1) < 0.03, "\(method) c \(law.correlation)")
            #expect(abs(law.mean - mean) <= 1e-12 * abs(mean))
            #expect(report.verdict == .undecided && !report.adequate)
        }
    }

    /// A two-point spectrum is no GMP law: its W1 distance exceeds a fine bound and it is rejected.
    @Test func rejectsATwoPointSpectrum() throws {
        let nodes = [Double](repeating: 0.2, count: 50) + [Double](repeating: 1.8, count: 50)
        let report = try MeasureFit.fit(nodes: nodes, weights: [Double](repeating: 1, count: 100), mean: 1, q: 0.2, bound: 0.01 * 1.6,
                                        method: .distance).report
        #expect(report.verdict == .rejected)
    }

    /// W1 of a law with a point mass at its own mean is the mean absolute deviation (exact
    /// up to the 4096-cell midpoint rule).
    @Test func distanceIsTheWassersteinOne() throws {
        let law = try GeneralizedMarchenkoPastur(q: 0.3, scale: 1, correlation: 0.5)
        let grid = law.defaultGrid(points: 20001)
        let density = law.density(grid)
        let dx = grid[1] - grid[0]
        var mad = 0.0
        for (x, f) in zip(grid, density) { mad += abs(x - law.mean) * f * dx }
        mad += law.atom * abs(0 - law.mean)
        let w1 = MeasureFit.distances(law, nodes: [law.mean], weights: [1]).wasserstein1
        #expect(abs(w1 - mad) < 2e-3 * mad, "W1 \(w1) against mean absolute deviation \(mad)")
    }
}
