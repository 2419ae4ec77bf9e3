import CRowKernels
import LinearAlgebra
import NumericSupport

/// The float32 path of `CrossCovarianceAccumulator.add`: scores stored as float32 go through the
/// fused C kernel (`CRowKernels`: max, exp, sum, argmax and ties in one pass per row in L1) and
/// the probability rows stay float32, summed in float64. Measured against the float64 path in
/// docs/theory.md §1.1 (eigenvalues of H to about 1e-7 of the largest); argmax statistics are
/// exact, since they compare the stored float32 scores themselves.
public struct SinglePrecisionScores {
    /// `rows x classes` float32 scores, row-major.
    public var scores: UnsafeBufferPointer<Float>
    /// What the scores are. Probabilities are taken at temperature 1 only (`isSupported`).
    public var kind: ProbabilityRows.Scores
    public var temperature: Double

    public init(scores: UnsafeBufferPointer<Float>, kind: ProbabilityRows.Scores, temperature: Double) {
        self.scores = scores
        self.kind = kind
        self.temperature = temperature
    }

    /// Whether the fused kernel handles these scores: logits at any temperature, probabilities
    /// at temperature 1 (re-tempering needs `pow`, which the float64 path does).
    public static func isSupported(_ kind: ProbabilityRows.Scores, temperature: Double) -> Bool {
        if case .probabilities = kind { return temperature == 1 }
        return true
    }
}

/// Which input a refused row came from.
public enum ScoreSide: Sendable, Equatable { case student, teacher }

/// Reused buffers of the float32 pass: probability rows and per-row argmax results for each
/// side. Allocated once per job and grown to the largest block, so the hot loop allocates nothing.
public struct SinglePrecisionWorkspace {
    /// One input's rows after the kernel.
    struct Side {
        var probabilities: [Float] = [], first: [Int32] = [], ties: [Int32] = [], labelProbability: [Double] = []

        /// `keepProbabilities` false: the student without a teacher, whose rows never leave L1.
        mutating func reserve(rows: Int, classes c: Int, keepProbabilities: Bool) {
            if keepProbabilities, probabilities.count < rows * c { probabilities = [Float](repeating: 0, count: rows * c) }
            if first.count < rows {
                first = [Int32](repeating: 0, count: rows); ties = first; labelProbability = [Double](repeating: 0, count: rows)
            }
        }
    }
    var student = Side(), teacher = Side()
    var bad: [Int] = [], columnSums: [Double] = []
    public init() {}
}

extension CrossCovarianceAccumulator {
    /// Rows per task of the parallel softmax; per-row results do not depend on it.
    static let softmaxTaskRows = 128

    /// Adds a block of float32 scores: the student's fused softmax and scatter-add `S[y_n] += P_n`
    /// split across workers by class (each class row receives its rows in row order, so the bits
    /// do not depend on the thread count), the teacher's softmax in parallel row tasks, the
    /// per-row statistics in row order, and with a teacher the float32 product on the probability
    /// rows shifted in place.
    ///
    /// - Returns: nil, or the first refused row (in row order, student before teacher) with
    ///   what is wrong with it; the accumulator is then partly updated and must be discarded.
    /// - Precondition: the accumulator's teacher precision is `single` when there is a teacher;
    ///   `SinglePrecisionScores.isSupported` for both kinds.
    public mutating func addSingle(student: SinglePrecisionScores, labels: UnsafeBufferPointer<Int>,
                                   teacher: SinglePrecisionScores?, workspace: inout SinglePrecisionWorkspace) -> (ScoreSide, ProbabilityRows.Defect)? {
        let rows = labels.count, c = classes
        precondition((teacher != nil) == hasTeacher, "teacher scores must be given exactly when the accumulator has a teacher")
        precondition(teacher == nil || teacherPrecision == .single, "the float32 pass computes the teacher product in float32")
        precondition(student.scores.count >= rows * c && (teacher?.scores.count ?? rows * c) >= rows * c, "score block too small")
        if rows == 0 { return nil }
        workspace.student.reserve(rows: rows, classes: c, keepProbabilities: teacher != nil)
        if teacher != nil { workspace.teacher.reserve(rows: rows, classes: c, keepProbabilities: true) }
        if let defect = softmaxAndScatter(student, labels: labels, keepProbabilities: teacher != nil, into: &workspace.student) {
            return (.student, defect)
        }
        if let teacher, let defect = Self.softmax(teacher, labels: labels, rows: rows, columns: c, parallel: parallel,
                                                  into: &workspace.teacher, bad: &workspace.bad) {
            return (.teacher, defect)
        }
        for n in 0..<rows { labelCounts[labels[n]] += 1 }
        let z = student.scores.baseAddress!
        Self.addAccuracies(workspace.student, scores: z, labels: labels, columns: c,
                           soft: &softCorrect, hard: &hardCorrect, argmaxCounts: &studentArgmaxCounts)
        if let teacher {
            let tz = teacher.scores.baseAddress!
            Self.addAccuracies(workspace.teacher, scores: tz, labels: labels, columns: c,
                               soft: &teacherSoftCorrect, hard: &teacherHardCorrect, argmaxCounts: &teacherArgmaxCounts)
            for n in 0..<rows {
                let sFirst = Int(workspace.student.first[n]), sTies = Int(workspace.student.ties[n])
                let tFirst = Int(workspace.teacher.first[n]), tTies = Int(workspace.teacher.ties[n])
                if sTies == 1 && tTies == 1 {
                    if sFirst == tFirst { agreement += 1 }
                } else {
                    let sMax = z[n * c + sFirst], tMax = tz[n * c + tFirst]
                    var both = 0
                    for j in 0..<c where z[n * c + j] == sMax && tz[n * c + j] == tMax { both += 1 }
                    agreement += Double(both) / Double(sTies * tTies)
                }
            }
            addShiftedTeacherProduct(rows: rows, workspace: &workspace)
        }
        samples += rows
        return nil
    }

    /// Fused softmax of one input (the teacher's) in parallel tasks; the first refused row in row order.
    static func softmax(_ input: SinglePrecisionScores, labels: UnsafeBufferPointer<Int>, rows: Int, columns c: Int, parallel: Bool,
                        into side: inout SinglePrecisionWorkspace.Side, bad: inout [Int]) -> ProbabilityRows.Defect? {
        let tasks = (rows + softmaxTaskRows - 1) / softmaxTaskRows
        if bad.count < tasks { bad = [Int](repeating: -1, count: tasks) }
        let (kind, tolerance) = kernelKind(input.kind)
        let inverse = Float(1 / input.temperature)
        let z = input.scores.baseAddress!, y = labels.baseAddress!
        side.probabilities.withUnsafeMutableBufferPointer { pp in side.first.withUnsafeMutableBufferPointer { fp in
            side.ties.withUnsafeMutableBufferPointer { tp in side.labelProbability.withUnsafeMutableBufferPointer { lp in
            bad.withUnsafeMutableBufferPointer { bp in
                let pb = pp.baseAddress!, fb = fp.baseAddress!, tb = tp.baseAddress!, lb = lp.baseAddress!, bb = bp.baseAddress!
                ParallelRows.forEachBlock(rows: rows, blockSize: softmaxTaskRows, parallel: parallel) { task, range in
                    let lo = range.lowerBound
                    let refused = skd_softmax_rows_f32(z + lo * c, pb + lo * c, range.count, c, kind, inverse, tolerance,
                                                       y + lo, lb + lo, fb + lo, tb + lo)
                    bb[task] = refused < 0 ? -1 : lo + refused
                }
            } } }
        } }
        guard let row = bad[0..<tasks].first(where: { $0 >= 0 }) else { return nil }
        return describe(input, row: row, columns: c)
    }

    /// The student's fused softmax and `S[y_n] += P_n` in one pass: each worker owns a
    /// contiguous range of classes holding about an equal share of the block's rows, and adds
    /// each of its rows to `S` right after its softmax, while the row is in L1. Each class row of
    /// `S` receives its rows in row order whoever owns it, so ownership changes only the speed,
    /// never the bits. The probability rows are kept (for the teacher product) only when asked.
    mutating func softmaxAndScatter(_ input: SinglePrecisionScores, labels: UnsafeBufferPointer<Int>, keepProbabilities: Bool,
                                    into side: inout SinglePrecisionWorkspace.Side) -> ProbabilityRows.Defect? {
        let c = classes, rows = labels.count
        let workers = parallel ? min(ParallelRows.workerCount, c) : 1
        var start = [Int](repeating: 0, count: c + 1)
        for n in 0..<rows { start[labels[n] + 1] += 1 }
        for k in 0..<c { start[k + 1] += start[k] }
        // Worker w starts at the first class with at least w / workers of the rows before it.
        var bounds = [0]
        for w in 1..<workers { bounds.append(min(c, max(bounds.last!, start.firstIndex { $0 >= rows * w / workers } ?? c))) }
        bounds.append(c)
        let (kind, tolerance) = Self.kernelKind(input.kind)
        let inverse = Float(1 / input.temperature)
        var scratch = [Float](repeating: 0, count: keepProbabilities ? 0 : workers * c)
        var refused = [Int](repeating: -1, count: workers)
        let z = input.scores.baseAddress!, y = labels.baseAddress!
        labelScatter.elements.withUnsafeMutableBufferPointer { s in
            side.probabilities.withUnsafeMutableBufferPointer { pp in side.first.withUnsafeMutableBufferPointer { fp in
                side.ties.withUnsafeMutableBufferPointer { tp in side.labelProbability.withUnsafeMutableBufferPointer { lp in
                    scratch.withUnsafeMutableBufferPointer { sc in refused.withUnsafeMutableBufferPointer { rp in
                        let sb = s.baseAddress!, pb = keepProbabilities ? pp.baseAddress! : nil
                        let fb = fp.baseAddress!, tb = tp.baseAddress!, lb = lp.baseAddress!, scb = sc.baseAddress, rb = rp.baseAddress!
                        ParallelRows.forEachBlock(rows: workers, blockSize: 1) { w, _ in
                            rb[w] = skd_softmax_scatter_rows_f32(z, pb, scb.map { $0 + w * c }, rows, c, kind, inverse, tolerance,
                                                                 y, lb, fb, tb, sb, bounds[w], bounds[w + 1])
                        }
                    } }
                } }
            } }
        }
        guard let row = refused.filter({ $0 >= 0 }).min() else { return nil }
        return Self.describe(input, row: row, columns: c)
    }

    /// The kernel's `kind` and row-sum tolerance for a kind of scores.
    static func kernelKind(_ kind: ProbabilityRows.Scores) -> (Int32, Double) {
        switch kind {
        case .logits: (0, 0)
        case let .probabilities(rowSumTolerance): (1, rowSumTolerance)
        }
    }

    /// Why row `row` of `input` was refused.
    static func describe(_ input: SinglePrecisionScores, row: Int, columns c: Int) -> ProbabilityRows.Defect {
        let values = (0..<c).map { Double(input.scores[row * c + $0]) }
        return values.withUnsafeBufferPointer { ProbabilityRows.describe($0, row: row, kind: input.kind) }
    }

    /// Soft and argmax accuracy sums and the argmax column counts of one side, in row order.
    static func addAccuracies(_ side: SinglePrecisionWorkspace.Side, scores z: UnsafePointer<Float>, labels: UnsafeBufferPointer<Int>,
                              columns c: Int, soft: inout Double, hard: inout Double, argmaxCounts: inout [Double]) {
        for n in 0..<labels.count {
            soft += side.labelProbability[n]
            let first = Int(side.first[n]), ties = Int(side.ties[n])
            if z[n * c + labels[n]] == z[n * c + first] { hard += 1 / Double(ties) }
            addArgmax(row: z + n * c, first: first, ties: ties, columns: c, into: &argmaxCounts)
        }
    }

    /// Adds one row's argmax to `counts` (a tie of `m` classes adds `1/m` to each).
    static func addArgmax(row: UnsafePointer<Float>, first: Int, ties: Int, columns c: Int, into counts: inout [Double]) {
        if ties == 1 { counts[first] += 1; return }
        let best = row[first], share = 1 / Double(ties)
        for j in first..<c where row[j] == best { counts[j] += share }
    }

    /// The teacher sums and `G += P^T Phat + Phat^T P` from the float32 probability rows: column
    /// sums in fixed tasks merged in order, both blocks shifted in place by the first block's
    /// column means (rounded to float32, and the correction uses exactly those values), then
    /// `productOfShifted`.
    mutating func addShiftedTeacherProduct(rows: Int, workspace: inout SinglePrecisionWorkspace) {
        let c = classes, taskRows = Self.teacherChunkRows
        let tasks = (rows + taskRows - 1) / taskRows
        if workspace.columnSums.count < tasks * 2 * c { workspace.columnSums = [Double](repeating: 0, count: tasks * 2 * c) }
        let parallel = self.parallel
        workspace.student.probabilities.withUnsafeBufferPointer { a in workspace.teacher.probabilities.withUnsafeBufferPointer { b in
            workspace.columnSums.withUnsafeMutableBufferPointer { sums in
                let ab = a.baseAddress!, bb = b.baseAddress!, sb = sums.baseAddress!
                ParallelRows.forEachBlock(rows: rows, blockSize: taskRows, parallel: parallel) { task, range in
                    let out = sb + task * 2 * c
                    for j in 0..<(2 * c) { out[j] = 0 }
                    skd_column_sums_f32(ab + range.lowerBound * c, range.count, c, out)
                    skd_column_sums_f32(bb + range.lowerBound * c, range.count, c, out + c)
                }
            }
        } }
        var sumP = [Double](repeating: 0, count: c), sumQ = sumP
        for task in 0..<tasks {
            for j in 0..<c { sumP[j] += workspace.columnSums[task * 2 * c + j]; sumQ[j] += workspace.columnSums[task * 2 * c + c + j] }
        }
        for j in 0..<c { teacherSums[j] += sumQ[j] }
        if shift == nil {
            shift = (sumP.map { Double(Float($0 / Double(rows))) }, sumQ.map { Double(Float($0 / Double(rows))) })
        }
        let m = shift!.student.map(Float.init), mh = shift!.teacher.map(Float.init)
        workspace.student.probabilities.withUnsafeMutableBufferPointer { a in workspace.teacher.probabilities.withUnsafeMutableBufferPointer { b in
            m.withUnsafeBufferPointer { mp in mh.withUnsafeBufferPointer { mhp in
                let ab = a.baseAddress!, bb = b.baseAddress!, mb = mp.baseAddress!, mhb = mhp.baseAddress!
                ParallelRows.forEachBlock(rows: rows, blockSize: taskRows, parallel: parallel) { _, range in
                    skd_shift_rows_f32(ab + range.lowerBound * c, range.count, c, mb)
                    skd_shift_rows_f32(bb + range.lowerBound * c, range.count, c, mhb)
                }
            } }
        } }
        workspace.student.probabilities.withUnsafeBufferPointer { a in workspace.teacher.probabilities.withUnsafeBufferPointer { b in
            productOfShifted(a.baseAddress!, b.baseAddress!, rows: rows, sumP: sumP, sumQ: sumQ)
        } }
    }
}
