import ArrayIO
import Fitting
import Foundation
import Pipelines
import Spectra
import Testing
import _TestSupport

/// The matrix-free path against the exact spectrum at C = 1000 (N = 8000), where both fit.
@Suite struct MatrixFreeValidationTests {
    /// W1 between the SLQ estimate and the exact bulk is within the Chen-Trogdon-Ubaru budget
    /// `t (lambda_max - lambda_min)` at t = 0.1, the KS distance is small, and the moment fit's
    /// (s2, c) from the exact mean and the probe moments are within 1% of the moment fit of the
    /// exact eigenvalues.
    @Test(.slow) func meetsItsBudgetAgainstTheExactSpectrum() throws {
        let (n, c) = (8000, 1000)
        let folder = makeTemporaryFolder("spectralkd-mf-validate")
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 2.5, seed: 17)
        writeFile(folder + "/y.npy", Writers.npy(int64: y, shape: [n]))
        writeFile(folder + "/z.npy", Writers.npy(float64: z, shape: [n, c]))
        let student = LoggedOutputs(path: folder + "/z.npy", kind: .logits)
        let exact = try SpectrumJob(labels: folder + "/y.npy", student: student, outputFolder: folder + "/dense").run(progress: false)
        let bulk = exact.spectrum.bulk
        let t = 0.1
        let free = try MatrixFreeJob(labels: folder + "/y.npy", student: student, tolerance: t, failure: 0.01, seed: 1,
                                     outputFolder: folder + "/mf").run()
        let estimate = try MatrixFreeFolder(path: folder + "/mf")
        let measure = DiscreteMeasure(atoms: Array(zip(estimate.nodes, estimate.weights)))
        let (w1, ks) = measure.distances(to: DiscreteMeasure(eigenvalues: bulk))
        let range = bulk.last! - bulk.first!
        #expect(w1 <= t * range, "W1 \(w1) against the budget \(t * range)")
        #expect(ks < 0.1, "KS \(ks)")
        guard case let .fitted(_, s2, corr) = MomentFit.fit(bulk, q: Double(c - 1) / Double(n)),
              let fs2 = free.summary.momentFit.s2, let fc = free.summary.momentFit.c else {
            Issue.record("no moment fit"); return
        }
        #expect(abs(fs2 / s2 - 1) < 0.01, "s2 \(fs2) against \(s2)")
        #expect(abs(fc / corr - 1) < 0.01, "c \(fc) against \(corr)")
        #expect(abs(free.summary.mean / (bulk.reduce(0, +) / Double(c - 1)) - 1) < 1e-10)
    }
}
