import ArrayIO
import Fitting
import Foundation
import LinearAlgebra
import Laws

/// `spectralkd fit`: a generalised Marchenko-Pastur law fitted to eigenvalues (THEORY §2.5).
public struct FitJob: Sendable {
    public enum Input: Sendable {
        /// A `spectrum` output folder: q from its summary, the structural zero dropped.
        case spectrum(String)
        /// Eigenvalue files (CSV column `eigenvalue` or the only column, or `.npy`), pooled.
        case eigenvalues([String])
    }

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
        public let summary: JSONValue
        public let files: [String]
    }

    /// - Throws: `ArrayIOError` / `PipelineError` for unreadable input, a missing q, or unusable
    ///   eigenvalues (fewer than 10, all equal). Data that are merely not GMP-like are not an
    ///   error: the result says `adequate: false` and why.
    public func run() throws -> Result {
        var values: [Double] = []
        var sources: [String] = []
        var qFromInput: Double?
        switch input {
        case let .spectrum(folder):
            let vector = try VectorInput(path: folder)
            values = vector.values
            sources = [vector.file]
            let summaryPath = (folder as NSString).appendingPathComponent("summary.json")
            qFromInput = (try? JSONValue.read(path: summaryPath))?["q"]?.number
            if qFromInput == nil && q == nil {
                throw PipelineError(file: summaryPath, problem: "has no q", fix: "give --q, or --classes and --samples")
            }
        case let .eigenvalues(files):
            for file in files {
                let column: String? = file.lowercased().hasSuffix(".csv") && ((try? CSVTable.read(path: file))?.columnNames.contains("eigenvalue") ?? false)
                    ? "eigenvalue" : nil
                values += try VectorInput(path: file, column: column).values
                sources.append(file)
            }
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
        let pooled: Int
        switch input {
        case let .eigenvalues(files): pooled = files.count
        case let .spectrum(folder):
            // A `simulate` folder pools its replicas' bulks.
            pooled = (try? JSONValue.read(path: (folder as NSString).appendingPathComponent("summary.json")))?["replicas"]?.number.map { Int($0) } ?? 1
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
                try GMPFitter(method: method, bootstrap: bootstrap, seed: seed, pooledSpectra: pooled, progress: { bar.update($0) }).fit(values, q: q)
            }
            if bootstrap > 0 { bar.finish() }
        } catch {
            throw PipelineError("\(sources.joined(separator: ", ")): \(error)")
        }
        timer.report()
        var pairs: [(String, JSONValue)]
        if let law = report.law {
            pairs = law.summaryPairs
        } else {
            pairs = ["q", "scale", "correlation", "mean", "variance", "third_central_moment", "support", "atom"].map { ($0, .null) }
            if let q { pairs[0] = ("q", .double(q)) }
        }
        pairs += [
            ("q_fitted", .bool(report.qWasFitted)),
            ("method", .string(report.method.rawValue)),
            ("n", .int(report.n)),
            ("ks", report.ks.map { .double($0) } ?? .null),
            ("ks_critical_5", .double(report.ksCritical5)),
            ("cramer_von_mises", report.cramerVonMises.map { .double($0) } ?? .null),
            ("p_value", report.pValue.map { .double($0) } ?? .null),
            ("p_value_se", report.pValueStandardError.map { .double($0) } ?? .null),
            ("bootstrap", .int(report.bootstrapReplicates)),
            ("failed_replicates", .int(report.failedReplicates)),
            ("verdict", .string(report.verdict.rawValue)),
            ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("adequate", .bool(report.adequate)),
            ("reason", .string(report.reason)),
            ("inputs", .array(sources.map { .string($0) })),
        ]
        var transaction = OutputTransaction()
        var files: [(String, JSONValue)] = [("fit", .string("fit.json"))]
        if let law = report.law {
            transaction.add(outputFolder + "/density.csv", law.densityCSV(law.defaultGrid(points: 1000)))
            files.append(("density", .string("density.csv")))
        }
        pairs.append(("files", .object(files)))
        let summary = JSONValue.object(pairs)
        transaction.add(outputFolder + "/fit.json", Writers.json(summary))
        try transaction.commit()
        return Result(report: report, summary: summary, files: transaction.paths)
    }
}
