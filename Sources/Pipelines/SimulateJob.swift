import ArrayIO
import Ensembles
import Foundation
import LinearAlgebra
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

    struct Replica: Sendable {
        var covariance: CrossCovariance
        var bulk: [Double]
        var teacherBulk: [Double]?
    }

    /// One replica's covariance and bulk spectra.
    func replica(_ r: Int) throws -> Replica {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(r))
        let c = classes, hasTeacher = planted.teacherAccuracy != nil
        let labels = LabelSampler(classes: c)
        var accumulator = CrossCovarianceAccumulator(classes: c, withTeacher: hasTeacher)
        accumulator.parallel = replicas < 2  // replicas already run in parallel
        let blockRows = max(64, (1 << 16) / c)  // about 512 KiB per buffer: stays in L2, no page faults per replica
        var p = [Double](repeating: 0, count: blockRows * c), z = p
        var tp = hasTeacher ? p : [], tz = hasTeacher ? p : []
        var y = [Int](repeating: 0, count: blockRows)
        var start = 0
        while start < samples {
            let rows = min(blockRows, samples - start)
            p.withUnsafeMutableBufferPointer { pp in z.withUnsafeMutableBufferPointer { zz in
                tp.withUnsafeMutableBufferPointer { tpp in tz.withUnsafeMutableBufferPointer { tzz in
                    for i in 0..<rows {
                        y[i] = labels.sample(using: &rng)
                        let (s, t) = planted.topClasses(label: y[i], using: &rng)
                        planted.fillRow(top: s, temperature: planted.temperature, row: pp.baseAddress! + i * c,
                                        scores: zz.baseAddress! + i * c, label: y[i], using: &rng)
                        if let t {
                            planted.fillRow(top: t, temperature: planted.teacherTemperature, row: tpp.baseAddress! + i * c,
                                            scores: tzz.baseAddress! + i * c, label: y[i], using: &rng)
                        }
                    }
                } }
            } }
            let n = rows * c
            p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in y.withUnsafeBufferPointer { yy in
                let pb = UnsafeBufferPointer(rebasing: pp[0..<n]), zb = UnsafeBufferPointer(rebasing: zz[0..<n])
                let yb = UnsafeBufferPointer(rebasing: yy[0..<rows])
                if hasTeacher {
                    tp.withUnsafeBufferPointer { tpp in tz.withUnsafeBufferPointer { tzz in
                        accumulator.add(probabilities: pb, scores: zb, labels: yb,
                                        teacher: (UnsafeBufferPointer(rebasing: tpp[0..<n]), UnsafeBufferPointer(rebasing: tzz[0..<n])))
                    } }
                } else {
                    accumulator.add(probabilities: pb, scores: zb, labels: yb)
                }
            } } }
            start += rows
        }
        let covariance = accumulator.finish()
        return Replica(covariance: covariance, bulk: try StructuralSpectrum(of: covariance.h).bulk,
                      teacherBulk: try covariance.hhat.map { try StructuralSpectrum(of: $0).bulk })
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
        let lock = NSLock()
        var slots = [Replica?](repeating: nil, count: replicas)
        var failure: Error?
        var done = 0
        let job = self
        func runAll() {
            ParallelRows.forEachBlock(rows: replicas, blockSize: 1) { r, _ in
                do {
                    let value = try job.replica(r)
                    lock.lock(); slots[r] = value; done += 1; bar.update(done); lock.unlock()
                } catch {
                    lock.lock(); failure = failure ?? error; lock.unlock()
                }
            }
        }
        // Replicas are the parallel unit; a threaded BLAS inside each would only contend.
        if replicas > 1 { BLASThreads.singleThreaded(runAll) } else { runAll() }
        bar.finish()
        if let failure { throw failure }
        let all = slots.map { $0! }
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
