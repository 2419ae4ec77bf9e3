import ArrayIO
import Fitting
import Foundation
import LinearAlgebra
import Laws
import NumericSupport

/// `spectralkd fit`: a generalised Marchenko-Pastur law fitted to eigenvalues (docs/theory.md §2.5).
public struct FitJob: Sendable {
    public enum Input: Sendable {
        /// `spectrum` output folders, pooled: q from their summaries (which must agree), the
        /// structural zero dropped. Several folders of one task (seeds) make a small-C spectrum
        /// fittable.
        case spectra([String], matrix: Matrix)
        /// Eigenvalue files (CSV column `eigenvalue` or the only column, or `.npy`), pooled; a
        /// structural zero is dropped when a file has one (and `keepZero` is off).
        case eigenvalues([String])

        /// One spectrum folder, H.
        public static func spectrum(_ folder: String) -> Input { .spectra([folder], matrix: .h) }
    }

    /// Which matrix of a spectrum folder: H (student against labels) or Hhat (against the teacher).
    public enum Matrix: String, Sendable, CaseIterable { case h, hhat }

    public enum QChoice: Sendable, Equatable {
        case known(Double)
        /// `(C - 1) / N`.
        case shape(classes: Int, samples: Int)
        case free
    }

    public var input: Input
    public var q: QChoice?
    public var method: FitMethod
    public var bootstrap: Int
    public var seed: UInt64
    public var outputFolder: String
    /// Keep an eigenvalue file's structural zero (off: drop it when there is one).
    public var keepZero = false
    /// Outlier eigenvalues set apart before the bulk is fitted (docs/theory.md §2.6).
    public var outliers: OutlierSeparation.Mode = .auto
    public var outlierMargin = OutlierSeparation.defaultMargin
    /// How bootstrap replicates are drawn (Bartlett by default; `direct` to check it).
    public var sampler: GMPFitter.Sampler = .bartlett
    /// Draw a progress bar for the bootstrap (on a terminal only).
    public var progress = true
    /// More replicates than this are refused before anything is allocated.
    public static let maximumBootstrap = 1_000_000

    public init(input: Input, q: QChoice? = nil, method: FitMethod = .distance, bootstrap: Int = 0, seed: UInt64 = 0,
                outputFolder: String = "fit-out") {
        self.input = input; self.q = q; self.method = method; self.bootstrap = bootstrap; self.seed = seed
        self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public let report: GMPFitReport
        public let summary: FitSummary
        public let files: [String]
    }

    /// - Throws: `ArrayIOError` / `PipelineError` for unreadable input, a missing q, or unusable
    ///   eigenvalues (fewer than 10, all equal). Data that are merely not GMP-like are not an
    ///   error: the result says `adequate: false` and why.
    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "fit", summaryName: "fit.json", knownOutputs: ["fit.json", "density.csv"]) { folder in
            try fit(into: folder)
        }
    }

    /// The relative size below which an eigenvalue of a file is taken for the structural zero:
    /// float32 products (SpectralKD's default teacher path, and other tools' float32 pipelines)
    /// leave it near 1e-8 of the largest; a bulk eigenvalue that close to 0 is rare (about
    /// 2e-6 C for a bulk that straddles 0), and the count is reported.
    static let zeroTolerance = 1e-6

    func fit(into folder: RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: Result) {
        if case let .spectra(folders, matrix) = input, let first = folders.first, try MatrixFreeFolder.isMatrixFree(first) {
            return try fitMatrixFree(folders, matrix: matrix, into: folder)
        }
        var values: [Double] = []
        var sources: [String] = []
        var qFromInput: Double?
        var droppedZeros = 0
        var fittedTo: (runID: String?, matrix: String?)?
        let pooled: Int
        switch input {
        case let .spectra(folders, matrix):
            var qs: [Double] = []
            var count = 0
            for path in folders {
                let spectrum = try SpectrumFolder(path: path)
                if folders.count == 1 { fittedTo = (spectrum.runID, matrix.rawValue) }
                let bulk: [Double]
                switch matrix {
                case .h: bulk = spectrum.bulk
                case .hhat:
                    guard let t = spectrum.teacherBulk else {
                        throw PipelineError(file: path, problem: "has no teacher spectrum", fix: "run spectrum with --teacher-logits, or fit --matrix h")
                    }
                    bulk = t
                }
                values += bulk
                let name = matrix == .h ? "eigenvalues.csv" : "teacher_eigenvalues.csv"
                sources.append((path as NSString).appendingPathComponent(name))
                qs.append(spectrum.summary.q)
                count += spectrum.summary.pooledReplicas
            }
            if let first = qs.first, qs.contains(where: { abs($0 - first) > 1e-12 * first }) {
                throw PipelineError(file: folders.joined(separator: ", "), problem: "have different q = (C-1)/N (\(qs.map { shortNumber($0) }.joined(separator: ", ")))",
                                    fix: "pool spectra of one task and one test-set size only")
            }
            qFromInput = qs.first
            pooled = count
        case let .eigenvalues(files):
            for file in files {
                var column: String?
                if file.lowercased().hasSuffix(".csv"), try CSVTable.read(path: file).columnNames.contains("eigenvalue") { column = "eigenvalue" }
                var v = try VectorInput(path: file, column: column).values
                // A structural zero (docs/theory.md §1.3) is exactly 0 up to rounding: far below every bulk eigenvalue.
                if !keepZero, let largest = v.map(abs).max(), largest > 0,
                   let i = v.indices.min(by: { abs(v[$0]) < abs(v[$1]) }), abs(v[i]) <= Self.zeroTolerance * largest {
                    v.remove(at: i)
                    droppedZeros += 1
                }
                values += v
                sources.append(file)
            }
            pooled = files.count
            if files.count == 1 { fittedTo = (nil, nil) }
        }
        if values.count < 10 {
            throw PipelineError(file: sources.joined(separator: ", "), problem: "has \(values.count) bulk eigenvalue(s); a fit needs at least 10",
                                fix: "for C <= 10 (MNIST, CIFAR-10) pool several spectra of the same task: fit --spectrum D1 --spectrum D2 ... (e.g. one per seed), or --eigenvalues F1 --eigenvalues F2 ...")
        }
        let q: Double?
        switch self.q {
        case let .known(value)?: q = value
        case let .shape(c, n)?: q = Double(c - 1) / Double(n)
        case .free?: q = nil
        case nil:
            guard let fromInput = qFromInput else {
                throw PipelineError("no q for \(sources.joined(separator: ", ")): give --q Q, --classes C --samples N, or --q free")
            }
            q = fromInput
        }
        if bootstrap > Self.maximumBootstrap {
            throw PipelineError("--bootstrap \(bootstrap) is more than \(Self.maximumBootstrap) replicates; the Monte Carlo standard error of a p-value near 0.05 is already 0.0007 at 100000: give fewer")
        }
        if bootstrap > 0 {
            // Each replicate is a generalised Wishart of the observed size (one spectrum's
            // dimension): its matrix, LAPACK's copy and workspace, for each replicate running at once.
            let dimension = max(2, values.count / max(pooled, 1))
            let concurrent = min(bootstrap, ParallelRows.workerCount)
            try MemoryBudget.require(MemoryBudget.matrices(3 * concurrent, order: dimension), for: "a bootstrap at dimension \(dimension)",
                                     file: sources.joined(separator: ", "),
                                     fix: "give one --eigenvalues file per spectrum (they are pooled), or --bootstrap 0")
        }
        let report: GMPFitReport
        let timer = StageTimer()
        do {
            let bar = ProgressBar(label: "bootstrap", total: bootstrap, unit: "replicates", enabled: progress && bootstrap > 0 && isatty(2) == 1)
            report = try timer.time("fit") {
                var fitter = GMPFitter(method: method, bootstrap: bootstrap, seed: seed, pooledSpectra: pooled, progress: { bar.update($0) })
                fitter.outliers = outliers
                fitter.outlierMargin = outlierMargin
                fitter.sampler = sampler
                return try fitter.fit(values, q: q)
            }
            if bootstrap > 0 { bar.finish() }
        } catch {
            throw PipelineError("\(sources.joined(separator: ", ")): \(error)")
        }
        timer.report()
        return try written(report, q: q, sources: sources, pooled: pooled, droppedZeros: droppedZeros, fittedTo: fittedTo, into: folder)
    }

    /// `fit.json` (and the fitted `density.csv`) for a report.
    func written(_ report: GMPFitReport, q: Double?, sources: [String], pooled: Int, droppedZeros: Int, fittedTo: (runID: String?, matrix: String?)?,
                 matrixFree: FitSummary.MatrixFreeFit? = nil, into folder: RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: Result) {
        let provenance = try Provenance(inputs: sources, seed: bootstrap > 0 ? seed : nil)
        var written: [(name: String, bytes: [UInt8])] = []
        if let law = report.law { written.append(("density.csv", law.densityCSV(law.defaultGrid(points: 1000)))) }
        let separation = report.separation
        var summary = FitSummary(
            qFitted: report.qWasFitted, method: report.method.rawValue,
            n: report.n, ks: report.ks, ksCritical5: report.ksCritical5, cramerVonMises: report.cramerVonMises,
            pValue: report.pValue, pValueSe: report.pValueStandardError, bootstrap: report.bootstrapReplicates,
            bootstrapSampler: sampler.rawValue, failedReplicates: report.failedReplicates, verdict: report.verdict.rawValue,
            seed: Int(truncatingIfNeeded: seed), adequate: report.adequate, reason: report.reason, inputs: sources, pooledSpectra: pooled,
            outlierMode: { switch outliers { case .none: "none"; case .auto: "auto"; case let .count(k): String(k) } }(),
            outliers: (separation?.outliers ?? []).map(\.value),
            outlierDetails: (separation?.outliers ?? []).map { .init(value: $0.value, twDistance: $0.twDistance, side: $0.side) },
            outlierSequence: separation?.sequence ?? [], outlierMarginTw: separation == nil ? nil : outlierMargin,
            twUnits: separation?.edgeUnits.map { .init(lower: $0.lower, upper: $0.upper) },
            droppedStructuralZeros: droppedZeros,
            // The one eigenvalue file fitted, by the digest provenance computes anyway.
            fittedTo: fittedTo.map { .init(runID: $0.runID, matrix: $0.matrix, eigenvaluesSha256: provenance.inputs[0].sha256) },
            matrixFree: matrixFree, manifest: folder.manifest(files: written.map(\.name) + ["fit.json"]), provenance: provenance.record)
        summary.record(report.law, q: q)
        written.append(("fit.json", summary.bytes()))
        return (written, Result(report: report, summary: summary, files: written.map { folder.file($0.name) }))
    }

    /// A `spectrum --matrix-free` folder: the GMP law fitted to its SLQ measure, with the exact mean
    /// kept and the verdict against the estimate's W1 bound (`MeasureFit`, docs/theory.md §1.6).
    func fitMatrixFree(_ folders: [String], matrix: Matrix, into folder: RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: Result) {
        guard folders.count == 1, matrix == .h else {
            throw PipelineError(file: folders.joined(separator: ", "), problem: "a matrix-free folder is fitted alone and holds H only",
                                fix: "give one --spectrum folder and --matrix h")
        }
        // No bootstrap: the verdict comes from the estimate's W1 bound (`bootstrap` is 0 in fit.json).
        let measure = try MatrixFreeFolder(path: folders[0])
        let q: Double
        switch self.q {
        case let .known(value)?: q = value
        case let .shape(c, n)?: q = Double(c - 1) / Double(n)
        case .free?: throw PipelineError(file: folders[0], problem: "q cannot be fitted to a matrix-free estimate", fix: "drop --q free (q = (C-1)/N comes from the summary)")
        case nil: q = measure.q
        }
        let fitted: (report: GMPFitReport, wasserstein1: Double)
        do {
            fitted = try MeasureFit.fit(nodes: measure.nodes, weights: measure.weights, mean: measure.mean, q: q, bound: measure.bound, method: method,
                                        moments: measure.moments)
        } catch {
            throw PipelineError("\(measure.nodesFile): \(error)")
        }
        let report = fitted.report
        return try written(report, q: q, sources: [measure.nodesFile], pooled: 1, droppedZeros: 0,
                           fittedTo: (measure.runID, "h"),
                           matrixFree: .init(wasserstein1: fitted.wasserstein1, wasserstein1Bound: measure.bound, exactMean: measure.mean),
                           into: folder)
    }
}
