import ArrayIO
import Ensembles
import Foundation
import LinearAlgebra
import NumericSupport
import Spectra

/// `spectralkd simulate`: Monte Carlo of H (and Hhat) for planted classifiers (docs/theory.md §3), in
/// the layout of `spectrum` output so that `spectralkd fit --spectrum DIR` reads it.
///
/// Replicas run in parallel, each on its own random stream `(seed, replica)` and each streamed in
/// blocks of rows, so memory does not grow with N and the output bits do not depend on the thread count.
public struct SimulateJob: Sendable {
    public var classes: Int
    public var samples: Int
    public var planted: PlantedClassifier
    public var replicas: Int
    public var seed: UInt64
    public var outputFolder: String

    public init(classes: Int, samples: Int, planted: PlantedClassifier, replicas: Int, seed: UInt64, outputFolder: String = "simulate-out") {
        self.classes = classes; self.samples = samples; self.planted = planted; self.replicas = replicas; self.seed = seed
        self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public let summary: SimulationSummary
        public let files: [String]
        public let pooledBulk: [Double]
    }

    public func run(progress: Bool = true) throws -> Result {
        try RunFolder.write(outputFolder, command: "simulate", summaryName: "summary.json",
                            knownOutputs: ["eigenvalues.csv", "teacher_eigenvalues.csv", "replicas.csv", "summary.json"]) {
            try simulate(into: $0, progress: progress)
        }
    }

    func simulate(into folder: RunFolder, progress: Bool) throws -> (files: [(name: String, bytes: [UInt8])], result: Result) {
        let concurrent = min(replicas, ParallelRows.workerCount)
        try MemoryBudget.require(MemoryBudget.matrices((planted.teacherAccuracy == nil ? 5 : 10) * concurrent, order: classes),
                                 for: "\(concurrent) replicas of \(classes) x \(classes) matrices at once", file: "--classes \(classes)",
                                 fix: "use fewer classes, or SPECTRALKD_THREADS=1 to run one replica at a time")
        let bar = ProgressBar(label: "simulate", total: replicas, enabled: progress && isatty(2) == 1)
        defer { bar.finish() }
        let all = try PlantedReplica.replicas(planted, samples: samples, seed: seed, count: replicas, progress: { bar.update($0) })
        let pooled = all.flatMap(\.bulk).sorted()
        let teacherPooled = all.compactMap(\.teacherBulk).flatMap { $0 }.sorted()
        let covs = all.map(\.covariance)
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        var written: [(name: String, bytes: [UInt8])] = [("eigenvalues.csv", Writers.csv(header: ["eigenvalue"], columns: [pooled]))]
        if !teacherPooled.isEmpty {
            written.append(("teacher_eigenvalues.csv", Writers.csv(header: ["eigenvalue"], columns: [teacherPooled])))
        }
        let hasTeacher = planted.teacherAccuracy != nil
        var header = ["replica", "accuracy", "soft_accuracy", "trace_h", "mean_term", "identity_residual"]
        var columns: [[Double]] = [(0..<replicas).map(Double.init), covs.map(\.accuracy), covs.map(\.softAccuracy), covs.map(\.traceH),
                                   covs.map(\.meanTerm), covs.map(\.identityResidual)]
        if hasTeacher {
            header += ["teacher_accuracy", "agreement", "trace_hhat"]
            columns += [covs.map { $0.teacherAccuracy! }, covs.map { $0.agreement! }, covs.map { $0.traceHhat! }]
        }
        written.append(("replicas.csv", Writers.csv(header: header, columns: columns)))
        let summary = SimulationSummary(
            spikes: planted.spikes.map { .init(groups: $0.groups, size: $0.size, strength: $0.strength) },
            samples: samples, classes: classes, q: Double(classes - 1) / Double(samples), replicas: replicas,
            seed: Int(truncatingIfNeeded: seed), temperature: planted.temperature, targetAccuracy: planted.accuracy,
            accuracy: mean(covs.map(\.accuracy)), softAccuracy: mean(covs.map(\.softAccuracy)), traceH: mean(covs.map(\.traceH)),
            meanTerm: mean(covs.map(\.meanTerm)), identityResidual: covs.map(\.identityResidual).max()!,
            identityHolds: covs.allSatisfy(\.identityHolds),
            bulkMin: pooled.first!, bulkMax: pooled.last!, bulkMean: mean(pooled),
            teacherTemperature: hasTeacher ? planted.teacherTemperature : nil, targetTeacherAccuracy: planted.teacherAccuracy,
            targetAgreement: hasTeacher ? planted.agreement : nil,
            teacherAccuracy: hasTeacher ? mean(covs.map { $0.teacherAccuracy! }) : nil,
            agreement: hasTeacher ? mean(covs.map { $0.agreement! }) : nil,
            traceHhat: hasTeacher ? mean(covs.map { $0.traceHhat! }) : nil,
            manifest: folder.manifest(files: written.map(\.name) + ["summary.json"]),
            provenance: try Provenance(inputs: [], seed: seed).record)
        written.append(("summary.json", summary.bytes()))
        return (written, Result(summary: summary, files: written.map { folder.file($0.name) }, pooledBulk: pooled))
    }
}
