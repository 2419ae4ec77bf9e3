import ArrayIO
import Ensembles
import Fitting
import Foundation
import Spectra

/// `spectralkd spectrum --matrix-free`: the spectral density of `H` without the `C x C` matrix
/// (docs/theory.md §1.6), for class counts whose dense work does not fit: stochastic Lanczos
/// quadrature over the O(NC) product `H v`, seeded sphere probes orthogonal to the structural
/// zero's vector, steps and probes from the Chen-Trogdon-Ubaru budget.
public struct MatrixFreeJob: Sendable {
    public var labels: String
    public var student: LoggedOutputs
    public var tolerance: Double
    public var failure: Double
    public var seed: UInt64
    public var gridPoints: Int
    public var outputFolder: String
    /// Why the matrix-free path runs when the user did not ask for it (recorded in the summary).
    public var reason: String?

    public init(labels: String, student: LoggedOutputs, tolerance: Double = 0.05, failure: Double = 0.01, seed: UInt64 = 0,
                gridPoints: Int = 512, outputFolder: String) {
        self.labels = labels; self.student = student; self.tolerance = tolerance; self.failure = failure; self.seed = seed
        self.gridPoints = gridPoints; self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public let summary: MatrixFreeSummary
        public let files: [String]
    }

    static let outputs = ["summary.json", "density.csv", "slq_nodes.csv"]

    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "spectrum", summaryName: "summary.json", knownOutputs: Self.outputs + ["eigenvalues.csv", "teacher_eigenvalues.csv", "outlier_vectors.csv"]) { folder in
            let (p, c) = try TeacherJob.probabilities(student)
            let n = p.count / c
            let labelSource = try ArrayFile.open(labels)
            guard labelSource.columns == 1, labelSource.rows == n else {
                throw PipelineError(file: labelSource.name, problem: "has \(labelSource.rows) x \(labelSource.columns) labels for \(n) rows of \(student.path)",
                                    fix: "log labels and outputs for the same samples (a 1-d vector of class indices)")
            }
            let y = try labelSource.readAll().enumerated().map { try SpectrumJob.label($0.element, row: $0.offset, classes: c, file: labelSource.name) }
            guard c >= 3, n >= 2 else { throw PipelineError(file: student.path, problem: "has \(n) rows and \(c) classes", fix: "a matrix-free spectrum needs C >= 3") }
            let op = CrossCovarianceOperator(.dense(p), .labels(y), rows: n, classes: c)
            let budget = StochasticLanczos.Budget(tolerance: tolerance, failure: failure, dimension: c - 1)
            var rng = Xoshiro256StarStar(seed: seed, stream: 0x51C0)
            let probes = (0..<budget.probes).map { _ in rng.unitVectorOrthogonalToOnes(dimension: c) }
            let slq = try StochasticLanczos(probes: probes, steps: budget.steps) { op.apply(block: $0, width: $1) }
            let measure = slq.measure
            let low = slq.nodes.compactMap { $0.min() }.min()!, high = slq.nodes.compactMap { $0.max() }.max()!
            let range = max(high - low, 1e-300)
            let h = tolerance * range
            let grid = (0..<gridPoints).map { low - 3 * h + (range + 6 * h) * Double($0) / Double(gridPoints - 1) }
            let band = slq.density(on: grid, bandwidth: h)
            let trace = op.trace     // exact, beside the SLQ estimate
            let slqMoments = measure.centralMoments
            // The mean is exact (the trace over the C - 1 non-structural eigenvalues); the variance
            // and third moment come from Hutchinson probes drawn until the variance's standard
            // error is 0.5% of it (ProbeMoments; SLQ's own few probes give them to a few %).
            let mean = trace / Double(c - 1)
            var momentStream = Xoshiro256StarStar(seed: seed, stream: 0x3011)
            let probeMoments = ProbeMoments(dimension: c, mean: mean, draw: { momentStream.unitVectorOrthogonalToOnes(dimension: c) },
                                            apply: { op.apply(block: $0, width: $1) })
            let moments = probeMoments.central(mean: mean)
            let fit = MomentFit.fit(mean: mean, variance: moments.variance, thirdCentral: moments.third, q: Double(c - 1) / Double(n))
            let momentFit: MatrixFreeSummary.MomentFitResult
            switch fit {
            case let .fitted(q, scale, correlation): momentFit = .init(q: q, s2: scale, c: correlation, failed: nil)
            case let .notGMPLike(reason): momentFit = .init(q: nil, s2: nil, c: nil, failed: reason)
            }
            let names = Self.outputs.sorted()
            let provenance = try Provenance(inputs: [labels, student.path], seed: seed)
            let summary = MatrixFreeSummary(
                matrixFreeReason: reason, samples: n, classes: c, temperature: student.temperature, traceH: trace,
                traceHSlq: measure.mean * Double(c - 1), tolerance: tolerance, failureProbability: failure,
                lanczosSteps: budget.steps, probes: budget.probes, bulkMin: low, bulkMax: high,
                wasserstein1Bound: tolerance * range, bandwidth: h, mean: mean, meanSlq: measure.mean,
                variance: moments.variance, varianceSe: probeMoments.secondError, thirdCentralMoment: moments.third,
                momentProbes: probeMoments.probes, varianceSlq: slqMoments.variance, thirdCentralMomentSlq: slqMoments.third,
                momentFit: momentFit, seed: Int(seed), manifest: folder.manifest(files: names), provenance: provenance.record)
            let density = Writers.csv(header: ["x", "density", "lower", "upper"], columns: [grid, band.density, band.lower, band.upper])
            let rows = slq.nodes.indices.flatMap { k in slq.nodes[k].indices.map { (k, slq.nodes[k][$0], slq.weights[k][$0]) } }
            let nodes = Writers.csv(header: ["probe", "node", "weight"], leadingText: [rows.map { String($0.0) }], columns: [rows.map(\.1), rows.map(\.2)])
            let files: [(name: String, bytes: [UInt8])] = [("density.csv", density), ("slq_nodes.csv", nodes), ("summary.json", summary.bytes())]
            return (files, Result(summary: summary, files: files.map { folder.file($0.name) }))
        }
    }
}
