import ArrayIO
import Foundation
import LinearAlgebra
import MessagePassing
import NumericSupport
import Spectra
import Fitting

/// What a model logged: probabilities, or logits turned into probabilities at a temperature.
public enum OutputKind: String, Sendable {
    case probabilities, logits
}

/// A logged output file and how to read it.
public struct LoggedOutputs: Sendable {
    public var path: String
    public var kind: OutputKind
    public var temperature: Double

    public init(path: String, kind: OutputKind, temperature: Double = 1) {
        self.path = path
        self.kind = kind
        self.temperature = temperature
    }
}

/// `spectralkd spectrum`: H (and Hhat) from logged outputs, streamed in blocks of rows.
public struct SpectrumJob: Sendable {
    public var labels: String
    public var student: LoggedOutputs
    public var teacher: LoggedOutputs?
    public var outputFolder: String
    /// Rows per block; nil picks about 32 MiB of float64 per block (at least 256 rows).
    public var blockRows: Int?
    /// Values of gamma at which `Tr H(P_{gamma T}, Y)` is tabulated in the summary (docs/theory.md §5.4).
    /// gamma = 1 (the run's own trace) and gamma = 0 (the argmax trace) cost nothing; each other
    /// value costs one more softmax per row.
    public var gammas: [Double] = [1, 0]
    /// How CSV inputs are read (header and pandas index column).
    public var csv: CSVOptions = .auto
    /// Precision of the teacher product (`single`: float32 `ssyr2k` on shifted blocks).
    public var teacherPrecision: TeacherPrecision = .single
    public typealias TeacherPrecision = CrossCovarianceAccumulator.Precision
    /// Precision of the O(N C) softmax pass. `single`: the fused float32 kernel, used on inputs
    /// stored exactly in float32 (float32, float16, small integers) when no gamma strictly between
    /// 0 and 1 is asked, the teacher product is `single`, and probabilities are at temperature 1;
    /// every other input takes the float64 path. `double`: always the float64 path.
    public var softmaxPrecision: SoftmaxPrecision = .single
    public typealias SoftmaxPrecision = CrossCovarianceAccumulator.Precision
    /// Classes listed per vector in `outlier_vectors.csv`; 0 writes no vectors.
    public var vectorLoadings = 10
    /// Bulk eigenvalues below the outliers listed for comparison.
    public static let comparisonVectors = 3
    /// Above this many classes the vectors (one full O(C^3) decomposition) are skipped.
    public static let maximumVectorClasses = 4000
    /// Tolerance on probability row sums (docs/theory.md §1: rows of P sum to 1).
    public static let rowSumTolerance = 1e-3
    /// Splits every shard into segments of this many rows (nil: one segment per shard). Each
    /// segment is summed from zero and segments are added in order (docs/theory.md §1.7), so a
    /// file split into shards of R rows gives the bits of the whole file run with `shardRows = R`,
    /// and under `mpirun` the segments of one large file are spread across the ranks.
    public var shardRows: Int?
    /// The ranks of an `mpirun` launch; nil runs every segment in this process. Segment `i` is read
    /// by rank `i % size`; rank 0 adds the segments' sums in segment order and writes the files.
    public var communicator: Communicator?

    public init(labels: String, student: LoggedOutputs, teacher: LoggedOutputs? = nil,
                outputFolder: String = "spectrum-out", blockRows: Int? = nil) {
        self.labels = labels
        self.student = student
        self.teacher = teacher
        self.outputFolder = outputFolder
        self.blockRows = blockRows
    }

    /// The result: the covariance statistics, both spectra and the summary written to disk.
    public struct Result: Sendable {
        public let covariance: CrossCovariance
        /// `(gamma, Tr H(P_{gamma T}, Y))` for each requested gamma, largest first.
        public let gammaTraces: [(gamma: Double, trace: Double)]
        /// Likely mistakes in the inputs and what the readers decided, one line each.
        public let warnings: [String]
        public let spectrum: StructuralSpectrum
        public let teacherSpectrum: StructuralSpectrum?
        public let summary: SpectrumSummary
        public let files: [String]
    }

    /// Reads, validates, accumulates, decomposes, then writes `eigenvalues.csv`,
    /// `summary.json` (and `teacher_eigenvalues.csv`) all or nothing.
    ///
    /// - Throws: `ArrayIOError` or `PipelineError` (one line naming the file and the fix) for
    ///   any bad input; nothing is written then.
    /// - Complexity: O(N C) without a teacher, plus O(N C^2) in `dsyr2k` with one, plus
    ///   O(C^3) for the eigenvalues. Memory: O(C^2 + blockRows C), independent of N.
    public func run(progress: Bool = true) throws -> Result {
        precondition((communicator?.rank ?? 0) == 0, "run() is for rank 0; other ranks call runOnRank()")
        return try runOnRank(progress: progress)!
    }

    /// `run()` on every rank of an `mpirun` launch: rank 0 returns the result, the other ranks
    /// send the sums of their segments to rank 0 and return nil.
    /// - Throws: on rank 0 the first error in segment order, whichever rank met it; on the other
    ///   ranks `OtherRankReports` when the run failed (rank 0 prints the line).
    public func runOnRank(progress: Bool = true) throws -> Result? {
        let timer = StageTimer()
        guard let sums = try accumulateOnRank(progress: progress, timer: timer) else { return nil }
        return try RunFolder.write(outputFolder, command: "spectrum", summaryName: "summary.json",
                            knownOutputs: ["eigenvalues.csv", "teacher_eigenvalues.csv", "outlier_vectors.csv", "summary.json"]) { folder in
            let (covariance, extraTraces, warnings) = (sums.covariance, sums.traces, sums.warnings)
            let provenance = Provenance(records: sums.inputs)
            let gammaTraces = gammas.sorted(by: >).map { g -> (gamma: Double, trace: Double) in
                (g, g == 1 ? covariance.traceH : g == 0 ? covariance.argmaxTraceH : extraTraces[g]!)
            }
            // H and Hhat on one core each (each solver runs on one BLAS thread for its bits).
            let matrices = [covariance.h] + (covariance.hhat.map { [$0] } ?? [])
            let spectra = try timer.time("eigenvalues") {
                try ParallelRows.map(matrices.count) { (i: Int) throws(LinearAlgebraError) in try StructuralSpectrum(of: matrices[i]) }
            }
            let spectrum = spectra[0], teacherSpectrum = spectra.count > 1 ? spectra[1] : nil
            var files: [(name: String, bytes: [UInt8])] = [("eigenvalues.csv", Writers.csv(header: ["eigenvalue"], columns: [spectrum.eigenvalues]))]
            // Outliers of the bulk (docs/theory.md §2.6) and the classes their eigenvectors load on.
            var separation: OutlierSeparation?
            if spectrum.bulk.count >= 10, spectrum.bulk.first != spectrum.bulk.last {
                let found = timer.time("outliers") {
                    OutlierSeparation(spectrum.bulk, q: covariance.q, mode: .auto, fitter: GMPFitter(method: .distance))
                }
                separation = found
                if vectorLoadings > 0, !found.outliers.isEmpty, covariance.classes <= Self.maximumVectorClasses {
                    let upper = found.outliers.filter { $0.side == "upper" }.map(\.value).sorted(by: >)
                    let lower = found.outliers.filter { $0.side == "lower" }.map(\.value).sorted()
                    let comparison = Array(found.bulk.sorted(by: >).prefix(Self.comparisonVectors))
                    let wanted = upper + lower + comparison
                    let leading = try timer.time("vectors") { try LeadingVectors(of: spectrum, eigenvalues: wanted, top: vectorLoadings) }
                    var rank: [Double] = [], value: [Double] = [], cls: [Double] = [], loading: [Double] = [], kind: [String] = []
                    for (i, v) in leading.vectors.enumerated() {
                        for l in v.loadings {
                            rank.append(Double(i + 1)); value.append(v.eigenvalue); cls.append(Double(l.classIndex)); loading.append(l.loading)
                            kind.append(i < upper.count + lower.count ? "outlier" : "bulk")
                        }
                    }
                    files.append(("outlier_vectors.csv", Writers.csv(header: ["rank", "eigenvalue", "class", "loading", "kind"],
                                                                     columns: [rank, value, cls, loading], trailingText: kind)))
                }
            }
            if let teacherSpectrum {
                files.append(("teacher_eigenvalues.csv", Writers.csv(header: ["eigenvalue"], columns: [teacherSpectrum.eigenvalues])))
            }
            let summary = self.summary(covariance, spectrum, teacherSpectrum, gammaTraces, outliers: separation, sums: sums,
                                       manifest: folder.manifest(files: files.map(\.name) + ["summary.json"]), provenance: provenance)
            files.append(("summary.json", summary.bytes()))
            timer.report()
            return (files, Result(covariance: covariance, gammaTraces: gammaTraces, warnings: warnings, spectrum: spectrum, teacherSpectrum: teacherSpectrum,
                                  summary: summary, files: files.map { folder.file($0.name) }))
        }
    }

    /// Reads, validates and accumulates the inputs: H and Hhat with the accuracy statistics,
    /// without eigenvalues or files (the predictors' log-based estimators need only this).
    /// - Throws: `ArrayIOError` or `PipelineError` for any bad input.
    public func covariance(progress: Bool = false) throws -> CrossCovariance {
        precondition(communicator == nil, "covariance() runs in one process")
        return try accumulateOnRank(progress: progress, timer: StageTimer())!.covariance
    }

    /// Nil when the dense path fits this machine's memory (`SPECTRALKD_MEMORY_LIMIT` or physical
    /// memory) for `classes` classes, else why it does not: `spectrum` then estimates the density
    /// matrix-free instead of refusing (docs/theory.md §1.6).
    public static func denseDoesNotFit(classes: Int, teacher: Bool) -> String? {
        let bytes = MemoryBudget.matrices(teacher ? 10 : 5, order: classes)
        guard bytes > MemoryBudget.limit else { return nil }
        return "the dense C x C matrices for C = \(classes) need about \(MemoryBudget.gigabytes(bytes)) but this machine has \(MemoryBudget.gigabytes(MemoryBudget.limit))"
    }

    /// One unit of summation: rows `lower ..< upper` of one shard (every row when nil).
    struct Segment: Codable, Sendable {
        let shard: ShardList.Shard
        let lower: Int?, upper: Int?
        var rows: Range<Int>? { lower.map { $0 ..< upper! } }
    }

    /// A segment's sums, computed by whichever rank read it.
    struct SegmentSums {
        var accumulator: CrossCovarianceAccumulator
        var softTraces: [SoftTraceAccumulator]
        var warnings: [String]
        /// Hashes of the shard's files, from the segment that starts the shard.
        var inputs: [Provenance.Input]
        /// The softmax precision each of the summed segments used.
        var softmaxPrecisions: Set<SoftmaxPrecision>
    }

    /// Everything the files are written from.
    struct Totals {
        let covariance: CrossCovariance
        let traces: [Double: Double]
        let warnings: [String]
        let inputs: [Provenance.Input]
        let shards: Int, segments: Int
        let softmaxPrecisions: Set<SoftmaxPrecision>
    }

    /// The gammas strictly between 0 and 1, whose traces cost a softmax each.
    var extraGammas: [Double] { Array(Set(gammas.filter { $0 > 0 && $0 < 1 })).sorted(by: >) }

    /// The shards, each split into `shardRows`-row segments when asked.
    func plan() throws -> (shards: Int, segments: [Segment]) {
        let list = try ShardList(labels: labels, student: student.path, teacher: teacher?.path)
        guard let shardRows else { return (list.shards.count, list.shards.map { Segment(shard: $0, lower: nil, upper: nil) }) }
        var segments: [Segment] = []
        for shard in list.shards {
            let rows = try ArrayFile.open(shard.student, csv: csv).rows
            if rows == 0 { throw ArrayIOError.empty(file: shard.student) }
            for lower in stride(from: 0, to: rows, by: shardRows) {
                segments.append(Segment(shard: shard, lower: lower, upper: min(rows, lower + shardRows)))
            }
        }
        return (list.shards.count, segments)
    }

    /// Sums every segment and adds them in segment order: `total = ((s0 + s1) + s2) + ...`, one
    /// element-wise addition per segment, so the bits depend on the segments and not on which
    /// process read them (docs/theory.md §1.7). Under MPI, rank 0 plans and sends the plan to the
    /// other ranks, reads its own segments and receives the others' in segment order; it alone
    /// returns the totals.
    func accumulateOnRank(progress: Bool, timer: StageTimer) throws -> Totals? {
        let rank = communicator?.rank ?? 0, size = communicator?.size ?? 1
        var planned: (shards: Int, segments: [Segment])
        if rank == 0 {
            let outcome = Swift.Result { try plan() }
            if let communicator {
                let message = ShardMessage.plan(outcome.map(\.segments).mapError { ShardMessage.Failure("\($0)") })
                for r in 1..<size { communicator.send(message, to: r, tag: ShardMessage.planTag) }
            }
            planned = try outcome.get()
        } else {
            guard let segments = try ShardMessage.decodePlan(communicator!.receive(from: 0, tag: ShardMessage.planTag)) else {
                throw OtherRankReports()
            }
            planned = (0, segments)
        }
        let segments = planned.segments
        let gammasInside = extraGammas

        if let communicator, rank != 0 {
            var failed = false
            for (i, segment) in segments.enumerated() where i % size == rank {
                var message: [UInt8]
                if failed {
                    message = ShardMessage.skipped()
                } else {
                    do {
                        message = ShardMessage.sums(try accumulateSegment(segment, gammas: gammasInside, progress: false, timer: timer))
                    } catch {
                        failed = true
                        message = ShardMessage.failure("\(error)")
                    }
                }
                communicator.send(message, to: 0, tag: ShardMessage.sumsTag)
            }
            if communicator.broadcast(0) != 0 || failed { throw OtherRankReports() }
            return nil
        }

        var total: SegmentSums?
        var firstError: Error?
        for (i, segment) in segments.enumerated() {
            let owner = i % size
            do {
                var sums: SegmentSums?
                if owner == 0 {
                    if firstError == nil { sums = try accumulateSegment(segment, gammas: gammasInside, progress: progress, timer: timer) }
                } else {
                    sums = try ShardMessage.decodeSums(communicator!.receive(from: owner, tag: ShardMessage.sumsTag), gammas: gammasInside,
                                                        temperature: student.temperature, logits: student.kind == .logits)
                }
                if let sums, firstError == nil { total = try Self.add(sums, to: total, segment: segment) }
            } catch {
                firstError = firstError ?? error
            }
        }
        _ = communicator?.broadcast(firstError == nil ? 0 : 1)
        if let firstError { throw firstError }
        guard let total else { throw PipelineError(file: labels, problem: "names no rows", fix: "give at least one shard with rows") }

        let labelName = planned.shards == 1 ? segments[0].shard.labels : labels
        var warnings: [String] = []
        for w in total.warnings where !warnings.contains(w) { warnings.append(w) }
        let c = total.accumulator.classes
        let traces = Dictionary(uniqueKeysWithValues: zip(gammasInside, total.softTraces.map(\.trace)))
        let covariance = timer.time("finish") { total.accumulator.finish() }
        let seen = covariance.labelFrequencies.filter { $0 > 0 }.count
        if seen == 1 {
            let k = covariance.labelFrequencies.firstIndex { $0 > 0 }!
            throw PipelineError(file: labelName, problem: "every label is class \(k): H is 0 and there is no spectrum",
                                fix: "check the labels file (a wrong column, or labels of a single batch)")
        }
        if seen < c {
            warnings.append("\(labelName): \(c - seen) of \(c) classes never occur in the labels (their rows and columns of H are zero and add \(c - seen) zero eigenvalues)")
        }
        return Totals(covariance: covariance, traces: traces, warnings: warnings, inputs: total.inputs,
                      shards: planned.shards, segments: segments.count, softmaxPrecisions: total.softmaxPrecisions)
    }

    /// `total + sums`, refusing a segment whose class count differs from the first one's.
    static func add(_ sums: SegmentSums, to total: SegmentSums?, segment: Segment) throws -> SegmentSums {
        guard var total else { return sums }
        guard sums.accumulator.classes == total.accumulator.classes, sums.accumulator.hasTeacher == total.accumulator.hasTeacher else {
            throw PipelineError(file: segment.shard.student,
                                problem: "has \(sums.accumulator.classes) classes but the first shard has \(total.accumulator.classes)",
                                fix: "every shard must be logged by the same model over the same class list")
        }
        total.accumulator.merge(sums.accumulator)
        for k in total.softTraces.indices { total.softTraces[k].merge(sums.softTraces[k]) }
        total.warnings += sums.warnings
        total.inputs += sums.inputs
        total.softmaxPrecisions.formUnion(sums.softmaxPrecisions)
        return total
    }

    /// Reads, validates and sums one segment: H (and Hhat) sums with the accuracy statistics.
    func accumulateSegment(_ segment: Segment, gammas extraGammas: [Double], progress: Bool, timer: StageTimer) throws -> SegmentSums {
        // Hashed alongside the pass; joined (and any error thrown) before the sums are returned.
        let hashing = (segment.lower ?? 0) == 0
            ? Provenance.Pending(paths: [segment.shard.labels, segment.shard.student] + (segment.shard.teacher.map { [$0] } ?? [])) : nil
        func inputs() throws -> [Provenance.Input] { try timer.time("hash_wait") { try hashing?.wait() ?? [] } }
        // A bad input ends the pass early: the hash must still finish before the error reaches
        // exit(), whose OpenSSL clean-up would pull the digest's tables from under the thread.
        defer { _ = try? hashing?.wait() }
        let labelSource = try ArrayFile.open(segment.shard.labels, csv: csv)
        let studentSource = try ArrayFile.open(segment.shard.student, csv: csv)
        let teacherSource = try segment.shard.teacher.map { try ArrayFile.open($0, csv: csv) }
        var warnings = labelSource.notes + studentSource.notes + (teacherSource?.notes ?? [])
        if labelSource.elementType == .bool {
            warnings.append("\(labelSource.name): labels are booleans, read as classes 0 (False) and 1 (True); fine for a binary task, else save the class indices")
        }
        let c = studentSource.columns
        try Self.checkShapes(labels: labelSource, student: studentSource, teacher: teacherSource)
        let rows = segment.rows ?? 0 ..< studentSource.rows
        guard rows.upperBound <= studentSource.rows else {
            throw PipelineError(file: studentSource.name, problem: "has \(studentSource.rows) rows, fewer than the \(rows.upperBound) planned",
                                fix: "the file changed during the run; run again")
        }
        let n = rows.count
        // Accumulators, H (and Hhat) and LAPACK's working copies: about 5 C x C matrices each.
        try MemoryBudget.require(MemoryBudget.matrices(teacherSource == nil ? 5 : 10, order: c), for: "the C x C matrices for C = \(c) classes",
                                 file: studentSource.name,
                                 fix: "if its rows are classes and its columns samples, save the transpose; else run on a machine with more memory")

        // About 32 MiB of float64 per block; above 2048 rows a multiple of 2048, so both workers get
        // whole 1024-row chunks of the float32 teacher product (measured at 200000 x 1000: 4.04 s
        // for its product against 4.90 s with 4194-row blocks).
        let target = (1 << 22) / max(c, 1)
        let rowsPerBlock = max(1, blockRows ?? (target >= 2048 ? target / 2048 * 2048 : max(256, target)))
        var accumulator = CrossCovarianceAccumulator(classes: c, withTeacher: teacherSource != nil)
        accumulator.teacherPrecision = teacherPrecision
        if usesSinglePass(student: studentSource, teacher: teacherSource, gammas: extraGammas) {
            try accumulateSingle(rows: rows, rowsPerBlock: rowsPerBlock, labels: labelSource, student: studentSource, teacher: teacherSource,
                                 into: &accumulator, warnings: &warnings, progress: progress, timer: timer)
            return SegmentSums(accumulator: accumulator, softTraces: [], warnings: warnings, inputs: try inputs(), softmaxPrecisions: [.single])
        }
        let blockCapacity = min(rowsPerBlock, n) * c
        var studentScores = [Double](repeating: 0, count: blockCapacity)
        var studentProbabilities = [Double](repeating: 0, count: blockCapacity)
        var teacherScores = [Double](repeating: 0, count: teacherSource == nil ? 0 : blockCapacity)
        var teacherProbabilities = [Double](repeating: 0, count: teacherSource == nil ? 0 : blockCapacity)
        var labelValues = [Double](repeating: 0, count: min(rowsPerBlock, n))
        var labelBlock = [Int](repeating: 0, count: min(rowsPerBlock, n))
        var softTraces = extraGammas.map {
            SoftTraceAccumulator(classes: c, temperature: $0 * student.temperature, logits: student.kind == .logits)
        }
        var scratch = [Double](repeating: 0, count: extraGammas.isEmpty ? 0 : blockCapacity)
        let bar = ProgressBar(label: "spectrum", total: n, enabled: progress && isatty(2) == 1)
        let first = rows.lowerBound

        var start = first
        while start < rows.upperBound {
            let range = start ..< min(rows.upperBound, start + rowsPerBlock)
            let count = range.count * c
            try Self.readLabels(labelSource, range: range, classes: c, values: &labelValues, into: &labelBlock)
            try Self.load(studentSource, student, range: range, columns: c, scores: &studentScores,
                          probabilities: &studentProbabilities, timer: timer)
            if start == first, let w = Self.probabilitiesAsLogits(studentSource, student, studentScores, rows: range.count, columns: c) { warnings.append(w) }
            if let teacherSource, let teacher {
                try Self.load(teacherSource, teacher, range: range, columns: c, scores: &teacherScores,
                              probabilities: &teacherProbabilities, timer: timer)
                if start == first, let w = Self.probabilitiesAsLogits(teacherSource, teacher, teacherScores, rows: range.count, columns: c) { warnings.append(w) }
            }
            timer.time("accumulate") {
            studentProbabilities.withUnsafeBufferPointer { p in
                studentScores.withUnsafeBufferPointer { z in
                    labelBlock.withUnsafeBufferPointer { y in
                        let yBlock = UnsafeBufferPointer(rebasing: y[0..<range.count])
                        let pBlock = UnsafeBufferPointer(rebasing: p[0..<count])
                        let zBlock = UnsafeBufferPointer(rebasing: z[0..<count])
                        if teacherSource != nil {
                            teacherProbabilities.withUnsafeBufferPointer { tp in
                                teacherScores.withUnsafeBufferPointer { tz in
                                    let tpBlock = UnsafeBufferPointer(rebasing: tp[0..<count])
                                    accumulator.addStatistics(probabilities: pBlock, scores: zBlock, labels: yBlock,
                                                              teacher: (tpBlock, UnsafeBufferPointer(rebasing: tz[0..<count])))
                                    timer.time("teacher_product") {
                                        accumulator.addTeacherProduct(student: pBlock, teacher: tpBlock, rows: range.count)
                                    }
                                }
                            }
                        } else {
                            accumulator.add(probabilities: pBlock, scores: zBlock, labels: yBlock)
                        }
                    }
                }
            }
            }
            if !softTraces.isEmpty {
                timer.time("gamma_traces") {
                    studentScores.withUnsafeBufferPointer { z in
                        labelBlock.withUnsafeBufferPointer { y in
                            scratch.withUnsafeMutableBufferPointer { s in
                                for i in softTraces.indices {
                                    softTraces[i].add(scores: UnsafeBufferPointer(rebasing: z[0..<count]),
                                                      labels: UnsafeBufferPointer(rebasing: y[0..<range.count]), scratch: s)
                                }
                            }
                        }
                    }
                }
            }
            start = range.upperBound
            bar.update(start - first)
        }
        bar.finish()
        return SegmentSums(accumulator: accumulator, softTraces: softTraces, warnings: warnings, inputs: try inputs(), softmaxPrecisions: [.double])
    }

    /// A warning when `--logits` rows look like probabilities (non-negative, each summing to 1):
    /// softmax of probabilities is nearly flat, so H would measure nothing.
    static func probabilitiesAsLogits(_ source: RowSource, _ outputs: LoggedOutputs, _ scores: [Double], rows: Int, columns c: Int) -> String? {
        guard outputs.kind == .logits,
              scores.withUnsafeBufferPointer({ ProbabilityRows.lookLikeProbabilities($0, rows: rows, columns: c, tolerance: rowSumTolerance) })
        else { return nil }
        return "\(source.name): passed as logits, but its rows are non-negative and sum to 1: these look like probabilities; pass them with --probs (softmax of probabilities is nearly flat)"
    }

    static func checkShapes(labels: RowSource, student: RowSource, teacher: RowSource?) throws {
        let n = student.rows, c = student.columns
        if n == 0 { throw ArrayIOError.empty(file: student.name) }
        if c < 2 {
            throw PipelineError(file: student.name, problem: "has \(c) column(s); a classifier's outputs need at least 2 classes",
                                fix: "save the N x C matrix of outputs, one row per sample")
        }
        if labels.columns != 1 {
            throw PipelineError(file: labels.name, problem: "labels have shape \(labels.rows) x \(labels.columns)",
                                fix: "save a 1-d vector of class indices (labels.argmax(axis=1) for one-hot labels)")
        }
        if labels.rows != n {
            throw PipelineError(file: labels.name, problem: "\(labels.rows) labels for \(n) rows in \(student.name)",
                                fix: "log labels and outputs for the same samples")
        }
        if let teacher, teacher.rows != n || teacher.columns != c {
            throw PipelineError(file: teacher.name,
                                problem: "teacher outputs are \(teacher.rows) x \(teacher.columns) but student outputs are \(n) x \(c)",
                                fix: "log teacher and student on the same samples and classes")
        }
    }

    /// Labels of rows `range`, each checked to be a class index.
    static func readLabels(_ source: RowSource, range: Range<Int>, classes c: Int, values: inout [Double], into labels: inout [Int]) throws {
        try values.withUnsafeMutableBufferPointer { try source.readRows(range, into: $0) }
        for i in 0..<range.count {
            labels[i] = try label(values[i], row: range.lowerBound + i, classes: c, file: source.name)
        }
    }

    /// A label read as `Double`, checked to be a class index.
    @inline(__always)
    static func label(_ value: Double, row: Int, classes: Int, file: String) throws -> Int {
        guard value.isFinite, value == value.rounded() else {
            throw PipelineError(file: file, problem: "label at row \(row) is \(value), not a whole number",
                                fix: "labels must be integer class indices 0 to \(classes - 1)")
        }
        guard value >= 0, value < Double(classes) else {
            throw PipelineError(file: file, problem: "label \(Int(value)) at row \(row) is outside 0..<\(classes)",
                                fix: "labels must be class indices 0 to \(classes - 1) (the outputs have \(classes) columns)")
        }
        return Int(value)
    }

    /// Reads a block, then turns it into probabilities at the requested temperature, checking
    /// every row (`ProbabilityRows`); the raw scores are kept for the argmax.
    static func load(_ source: RowSource, _ outputs: LoggedOutputs, range: Range<Int>, columns c: Int,
                     scores: inout [Double], probabilities: inout [Double], timer: StageTimer) throws {
        try timer.time("read") { try scores.withUnsafeMutableBufferPointer { try source.readRows(range, into: $0) } }
        let kind: ProbabilityRows.Scores = outputs.kind == .logits ? .logits : .probabilities(rowSumTolerance: rowSumTolerance)
        let defect = timer.time("softmax") {
            probabilities.withUnsafeMutableBufferPointer { p in
                scores.withUnsafeBufferPointer { z in
                    ProbabilityRows.convert(z, into: p, rows: range.count, columns: c, kind: kind, temperature: outputs.temperature)
                }
            }
        }
        if let defect { throw error(defect, file: source.name, firstRow: range.lowerBound) }
    }

    /// A refused row as one line naming the file, the row (counted in the whole file) and the fix.
    static func error(_ defect: ProbabilityRows.Defect, file: String, firstRow: Int) -> PipelineError {
        switch defect {
        case let .nonFinite(row, column, value):
            PipelineError(file: file, problem: "row \(firstRow + row), column \(column) is \(value)",
                          fix: "remove or fix non-finite values before logging (they usually mean a diverged model)")
        case let .overflow(row):
            PipelineError(file: file, problem: "row \(firstRow + row) has logits so large that their sum overflows",
                          fix: "rescale the logits (softmax is unchanged by subtracting each row's maximum)")
        case let .negative(row, column, value):
            PipelineError(file: file, problem: "row \(firstRow + row) has a negative probability \(value) at column \(column)",
                          fix: "these look like logits: pass them with --logits")
        case let .rowSum(row, total):
            PipelineError(file: file, problem: "row \(firstRow + row) sums to \(total), not 1 (tolerance \(rowSumTolerance))",
                          fix: "if these are logits pass them with --logits; if probabilities, log softmax outputs in float32 or float64")
        }
    }

    /// The summary before the outliers, sharding facts and manifest are known.
    func summary(_ cov: CrossCovariance, _ spectrum: StructuralSpectrum, _ teacherSpectrum: StructuralSpectrum?,
                 _ gammaTraces: [(gamma: Double, trace: Double)], outliers: OutlierSeparation?, sums: Totals,
                 manifest: RunManifest, provenance: Provenance) -> SpectrumSummary {
        func mean(_ s: StructuralSpectrum) -> Double { s.bulk.isEmpty ? .nan : s.bulk.reduce(0, +) / Double(s.bulk.count) }
        let t = teacherSpectrum
        return SpectrumSummary(
            samples: cov.samples, classes: cov.classes, q: cov.q, input: student.kind.rawValue, temperature: student.temperature,
            softmaxPrecision: sums.softmaxPrecisions.count == 1 ? sums.softmaxPrecisions.first!.rawValue : "mixed",
            accuracy: cov.accuracy, softAccuracy: cov.softAccuracy, traceH: cov.traceH, meanTerm: cov.meanTerm,
            meanTermBalanced: 1 / Double(cov.classes), identityResidual: cov.identityResidual, identityTolerance: cov.identityTolerance,
            identityHolds: cov.identityHolds, argmaxTraceH: cov.argmaxTraceH,
            gammaLimit: gammaTraces.map { GammaTrace(gamma: $0.gamma, temperature: $0.gamma * student.temperature, traceH: $0.trace,
                                                     ratioToArgmax: $0.trace / cov.argmaxTraceH) },
            structuralZero: spectrum.structuralZero, structuralLeak: spectrum.structuralLeak,
            bulkMin: spectrum.bulk.first ?? .nan, bulkMax: spectrum.bulk.last ?? .nan, bulkMean: mean(spectrum),
            // The covariance's teacher statistics are nil without a teacher, like the teacher itself.
            teacherInput: teacher?.kind.rawValue, teacherTemperature: teacher?.temperature,
            teacherAccuracy: cov.teacherAccuracy, teacherSoftAccuracy: cov.teacherSoftAccuracy,
            agreement: cov.agreement, traceHhat: cov.traceHhat, teacherPrecision: teacher.map { _ in teacherPrecision.rawValue },
            argmaxTraceHhat: cov.argmaxTraceHhat, teacherArgmaxTraceH: cov.teacherArgmaxTraceH,
            teacherStructuralZero: t?.structuralZero, teacherStructuralLeak: t?.structuralLeak,
            teacherBulkMin: t.map { $0.bulk.first ?? .nan }, teacherBulkMax: t.map { $0.bulk.last ?? .nan }, teacherBulkMean: t.map(mean),
            labelsFile: labels, studentFile: student.path, teacherFile: teacher?.path,
            outliers: outliers.map { $0.outliers.map(\.value) }, outlierTwDistances: outliers.map { $0.outliers.map(\.twDistance) },
            shards: sums.shards, segments: sums.segments, shardRows: shardRows, ranks: communicator?.size ?? 1,
            warnings: sums.warnings, manifest: manifest, provenance: provenance.record)
    }
}
