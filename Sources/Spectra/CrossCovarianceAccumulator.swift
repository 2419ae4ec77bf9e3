import LinearAlgebra
import NumericSupport

/// Accumulates the sums that define `H = H(P, Y)` and `Hhat = H(P, Phat)` (docs/theory.md §1.1)
/// over blocks of rows, so that spectra of millions of rows need memory for the C x C
/// matrices and one block only.
///
/// State: `S = Y^T P` (row `k` is the sum of the student rows labelled `k`), the label counts,
/// and with a teacher `G = P^T Phat + Phat^T P` (upper triangle) and `sum_n Phat_n`. All are
/// sums over rows, so two accumulators over disjoint rows `merge` into the accumulator of
/// their union (sharding across processes).
///
/// - `S` is built by a scatter-add, O(N C), never by a GEMM with a dense one-hot `Y`.
/// - `G` is built by BLAS `dsyr2k`, O(N C^2): the one unavoidable product.
/// - The scatter-add is split across threads by label (`label % workers`), and every per-row
///   statistic is reduced in fixed blocks, so results are bit-identical for any thread count.
public struct CrossCovarianceAccumulator: Sendable {
    public let classes: Int
    public let hasTeacher: Bool
    public internal(set) var samples = 0
    /// `S = Y^T P`, row-major: `S[k, j] = sum over rows labelled k of P[n, j]`.
    public internal(set) var labelScatter: SquareMatrix
    public internal(set) var labelCounts: [Double]
    /// Upper triangle of `P^T Phat + Phat^T P` (teacher only).
    public internal(set) var teacherCross: SquareMatrix
    public internal(set) var teacherSums: [Double]
    /// `sum_n P[n, y_n]`, accumulated row by row, independently of `S`.
    public internal(set) var softCorrect = 0.0
    /// Argmax hits with ties split evenly (a row whose maximum is shared by `m` classes,
    /// the true one among them, counts `1/m`).
    public internal(set) var hardCorrect = 0.0
    public internal(set) var teacherSoftCorrect = 0.0
    public internal(set) var teacherHardCorrect = 0.0
    /// Rows where student and teacher argmax agree (ties split: `|S ∩ T| / (|S| |T|)`).
    public internal(set) var agreement = 0.0
    /// Column sums of the one-hot argmax `A` of the student (ties split evenly), and of the
    /// teacher: with them the gamma -> 0 traces `Tr H(A_s, Y)`, `Tr H(A_s, A_t)` cost nothing more.
    public internal(set) var studentArgmaxCounts: [Double]
    public internal(set) var teacherArgmaxCounts: [Double]

    /// Use several threads inside `add` (off when the caller already runs accumulators in parallel,
    /// as `simulate` does with replicas). Results are identical either way.
    public var parallel = true

    /// Precision of the O(N C^2) teacher product. `single`: each block is shifted by the first
    /// block's column means, multiplied by `ssyr2k` in float32 and added in float64 with the
    /// shift's correction, twice the speed of `double`; eigenvalues of Hhat agree with the
    /// double path to about 1e-8 of the largest (measured; docs/theory.md §1.1).
    public enum Precision: String, Sendable, CaseIterable { case single, double }
    public var teacherPrecision: Precision = .double
    /// The teacher product's shift (the first block's column means); internal for the float32 pass.
    var shift: (student: [Double], teacher: [Double])?
    private var scratch: (student: [Float], teacher: [Float], product: [Float]) = ([], [], [])

    /// Rows per block for per-row statistics; fixed, so reductions do not depend on threads.
    static let blockRows = 512

    public init(classes: Int, withTeacher: Bool) {
        precondition(classes >= 1, "classes must be positive")
        self.classes = classes
        hasTeacher = withTeacher
        labelScatter = SquareMatrix(zeros: classes)
        labelCounts = [Double](repeating: 0, count: classes)
        teacherCross = SquareMatrix(zeros: withTeacher ? classes : 0)
        teacherSums = [Double](repeating: 0, count: withTeacher ? classes : 0)
        studentArgmaxCounts = [Double](repeating: 0, count: classes)
        teacherArgmaxCounts = [Double](repeating: 0, count: withTeacher ? classes : 0)
    }

    /// Adds a block of rows.
    ///
    /// - Parameters:
    ///   - probabilities: student `P_tau`, `rows x classes` row-major.
    ///   - scores: what the student's argmax is taken over (its raw logits or probabilities),
    ///     same shape; accuracy does not depend on the temperature.
    ///   - labels: `rows` class indices, already checked to lie in `0 ..< classes`.
    ///   - teacher: teacher probabilities and scores, same shape, when the accumulator has a teacher.
    /// - Complexity: O(rows x classes) without a teacher; plus one `dsyr2k` of
    ///   `2 rows classes^2` flops with one.
    public mutating func add(probabilities: UnsafeBufferPointer<Double>, scores: UnsafeBufferPointer<Double>,
                             labels: UnsafeBufferPointer<Int>,
                             teacher: (probabilities: UnsafeBufferPointer<Double>, scores: UnsafeBufferPointer<Double>)? = nil) {
        addStatistics(probabilities: probabilities, scores: scores, labels: labels, teacher: teacher)
        if let teacher { addTeacherProduct(student: probabilities, teacher: teacher.probabilities, rows: labels.count) }
    }

    /// The O(N C^2) half of `add` for a teacher: `G += P^T Phat + Phat^T P` by one `dsyr2k`.
    /// Exposed separately so pipelines can time it; `add` calls both halves.
    public mutating func addTeacherProduct(student: UnsafeBufferPointer<Double>, teacher: UnsafeBufferPointer<Double>, rows: Int) {
        precondition(hasTeacher, "accumulator has no teacher")
        if teacherPrecision == .double {
            Products.symmetricRank2k(student, teacher, rows: rows, columns: classes, into: &teacherCross)
            return
        }
        addTeacherProductSingle(student: student, teacher: teacher, rows: rows)
    }

    /// `G += P^T Phat + Phat^T P` as `A^T B + B^T A` (float32) plus the shift's correction
    /// `m sB^T + sA' m^T ...` (float64), with `A = P - 1 m^T`, `B = Phat - 1 mhat^T`:
    /// `P^T Phat = A^T B + m (sum Phat)^T + (sum P) mhat^T - rows m mhat^T`.
    mutating func addTeacherProductSingle(student: UnsafeBufferPointer<Double>, teacher: UnsafeBufferPointer<Double>, rows: Int) {
        let c = classes
        if rows == 0 { return }
        if shift == nil {
            var m = [Double](repeating: 0, count: c), mh = m
            for r in 0..<rows { for j in 0..<c { m[j] += student[r * c + j]; mh[j] += teacher[r * c + j] } }
            shift = (m.map { $0 / Double(rows) }, mh.map { $0 / Double(rows) })
        }
        let (m, mh) = shift!
        if scratch.student.count < rows * c { scratch.student = [Float](repeating: 0, count: rows * c); scratch.teacher = scratch.student }
        if scratch.product.count < c * c { scratch.product = [Float](repeating: 0, count: c * c) }
        // Shift and convert in parallel row blocks; column sums per block, merged in block order.
        let blockRows = Self.blockRows, blocks = (rows + blockRows - 1) / blockRows
        var partial = [Double](repeating: 0, count: blocks * 2 * c)
        let sp = student.baseAddress!, tp = teacher.baseAddress!
        partial.withUnsafeMutableBufferPointer { out in
            scratch.student.withUnsafeMutableBufferPointer { a in
                scratch.teacher.withUnsafeMutableBufferPointer { b in
                    let o = out.baseAddress!, ab = a.baseAddress!, bb = b.baseAddress!
                    m.withUnsafeBufferPointer { mp in mh.withUnsafeBufferPointer { mhp in
                        let mq = mp.baseAddress!, mhq = mhp.baseAddress!
                        ParallelRows.forEachBlock(rows: rows, blockSize: blockRows, parallel: parallel) { block, range in
                            let sums = o + block * 2 * c
                            for r in range {
                                for j in 0..<c {
                                    let p = sp[r * c + j], q = tp[r * c + j]
                                    sums[j] += p; sums[c + j] += q
                                    ab[r * c + j] = Float(p - mq[j]); bb[r * c + j] = Float(q - mhq[j])
                                }
                            }
                        }
                    } }
                }
            }
        }
        var sumP = [Double](repeating: 0, count: c), sumQ = sumP
        for block in 0..<blocks { for j in 0..<c { sumP[j] += partial[block * 2 * c + j]; sumQ[j] += partial[block * 2 * c + c + j] } }
        scratch.student.withUnsafeBufferPointer { a in
            scratch.teacher.withUnsafeBufferPointer { b in
                productOfShifted(a.baseAddress!, b.baseAddress!, rows: rows, sumP: sumP, sumQ: sumQ)
            }
        }
    }

    /// `G += A^T B + B^T A + correction` for shifted float32 blocks `A = P - 1 m^T`,
    /// `B = Phat - 1 mhat^T` (`m`, `mhat` the stored shift), `sumP` and `sumQ` the column sums
    /// of the unshifted blocks.
    mutating func productOfShifted(_ ab: UnsafePointer<Float>, _ bb: UnsafePointer<Float>, rows: Int, sumP: [Double], sumQ: [Double]) {
        let c = classes
        let (m, mh) = shift!
        let parallel = self.parallel
        // Fixed chunks of rows, each by a one-thread ssyr2k into its own float32 matrix, added in
        // float64 in chunk order: threaded ssyr2k's bits depend on the core count, these do not.
        let chunkRows = Self.teacherChunkRows, chunks = (rows + chunkRows - 1) / chunkRows
        if scratch.product.count < chunks * c * c { scratch.product = [Float](repeating: 0, count: chunks * c * c) }
        scratch.product.withUnsafeMutableBufferPointer { g in
            let gb = g.baseAddress!
            BLASThreads.singleThreaded {
                ParallelRows.forEachBlock(rows: rows, blockSize: chunkRows, parallel: parallel) { chunk, range in
                    Products.symmetricRank2kSingle(UnsafeBufferPointer(start: ab + range.lowerBound * c, count: range.count * c),
                                                   UnsafeBufferPointer(start: bb + range.lowerBound * c, count: range.count * c),
                                                   rows: range.count, columns: c,
                                                   into: UnsafeMutableBufferPointer(start: gb + chunk * c * c, count: c * c))
                }
            }
        }
        let n = Double(rows)
        scratch.product.withUnsafeBufferPointer { g in
            teacherCross.elements.withUnsafeMutableBufferPointer { t in
                for i in 0..<c {
                    for j in i..<c {
                        // Upper triangle of P^T Phat + Phat^T P.
                        let correction = m[i] * sumQ[j] + sumP[i] * mh[j] - n * m[i] * mh[j]
                            + m[j] * sumQ[i] + sumP[j] * mh[i] - n * m[j] * mh[i]
                        var product = 0.0
                        for chunk in 0..<chunks { product += Double(g[chunk * c * c + i * c + j]) }
                        t[i * c + j] += product + correction
                    }
                }
            }
        }
    }

    /// Rows per float32 teacher-product chunk: fixed, so the sums do not depend on threads.
    static let teacherChunkRows = 1024

    /// The O(N C) half of `add`: scatter-add, label counts, accuracies, agreement, teacher sums.
    public mutating func addStatistics(probabilities: UnsafeBufferPointer<Double>, scores: UnsafeBufferPointer<Double>,
                                       labels: UnsafeBufferPointer<Int>,
                                       teacher: (probabilities: UnsafeBufferPointer<Double>, scores: UnsafeBufferPointer<Double>)? = nil) {
        let rows = labels.count
        let c = classes
        precondition(probabilities.count >= rows * c && scores.count >= rows * c, "student block too small")
        precondition((teacher != nil) == hasTeacher, "teacher block must be given exactly when the accumulator has a teacher")
        if rows == 0 { return }
        let p = probabilities.baseAddress!, z = scores.baseAddress!, y = labels.baseAddress!

        // Scatter-add S[y_n, :] += P_n; worker w owns the rows of S with label % workers == w.
        let workers = parallel ? min(ParallelRows.workerCount, c) : 1
        labelScatter.elements.withUnsafeMutableBufferPointer { s in
            let sBase = s.baseAddress!
            ParallelRows.forEachBlock(rows: workers, blockSize: 1) { w, _ in
                for n in 0..<rows where y[n] % workers == w {
                    let target = sBase + y[n] * c
                    let source = p + n * c
                    for j in 0..<c { target[j] += source[j] }
                }
            }
        }
        for n in 0..<rows { labelCounts[y[n]] += 1 }

        // Per-row statistics in fixed blocks, merged in block order.
        let blocks = (rows + Self.blockRows - 1) / Self.blockRows
        var partial = [Double](repeating: 0, count: blocks * 5)
        // Each row's first argmax and its tie count (student, then teacher), for the argmax counts.
        var argmax = [Int](repeating: 0, count: rows * (teacher == nil ? 2 : 4))
        let tp = teacher?.probabilities.baseAddress, tz = teacher?.scores.baseAddress
        partial.withUnsafeMutableBufferPointer { out in
          argmax.withUnsafeMutableBufferPointer { am in
            let o = out.baseAddress!, a = am.baseAddress!
            ParallelRows.forEachBlock(rows: rows, blockSize: Self.blockRows, parallel: parallel) { b, range in
                var soft = 0.0, hard = 0.0, tSoft = 0.0, tHard = 0.0, agree = 0.0
                for n in range {
                    let label = y[n]
                    soft += p[n * c + label]
                    let (sMax, sTies, sFirst) = Self.maximum(z + n * c, c)
                    a[2 * n] = sFirst; a[2 * n + 1] = sTies
                    if z[n * c + label] == sMax { hard += 1 / Double(sTies) }
                    if let tp, let tz {
                        tSoft += tp[n * c + label]
                        let (tMax, tTies, tFirst) = Self.maximum(tz + n * c, c)
                        a[2 * rows + 2 * n] = tFirst; a[2 * rows + 2 * n + 1] = tTies
                        if tz[n * c + label] == tMax { tHard += 1 / Double(tTies) }
                        var both = 0
                        for j in 0..<c where z[n * c + j] == sMax && tz[n * c + j] == tMax { both += 1 }
                        agree += Double(both) / Double(sTies * tTies)
                    }
                }
                o[b * 5] = soft; o[b * 5 + 1] = hard; o[b * 5 + 2] = tSoft; o[b * 5 + 3] = tHard; o[b * 5 + 4] = agree
            }
          }
        }
        Self.addArgmaxCounts(argmax, offset: 0, rows: rows, scores: z, columns: c, into: &studentArgmaxCounts)
        if let tz { Self.addArgmaxCounts(argmax, offset: 2 * rows, rows: rows, scores: tz, columns: c, into: &teacherArgmaxCounts) }
        for b in 0..<blocks {
            softCorrect += partial[b * 5]; hardCorrect += partial[b * 5 + 1]
            teacherSoftCorrect += partial[b * 5 + 2]; teacherHardCorrect += partial[b * 5 + 3]
            agreement += partial[b * 5 + 4]
        }

        if let teacher { Products.addColumnSums(teacher.probabilities, rows: rows, columns: c, into: &teacherSums) }
        samples += rows
    }

    /// Adds the sums of another accumulator over disjoint rows.
    /// - Precondition: same `classes` and teacher setting.
    public mutating func merge(_ other: CrossCovarianceAccumulator) {
        precondition(other.classes == classes && other.hasTeacher == hasTeacher, "merging accumulators of different shapes")
        for i in labelScatter.elements.indices { labelScatter.elements[i] += other.labelScatter.elements[i] }
        for i in labelCounts.indices { labelCounts[i] += other.labelCounts[i] }
        for i in teacherCross.elements.indices { teacherCross.elements[i] += other.teacherCross.elements[i] }
        for i in teacherSums.indices { teacherSums[i] += other.teacherSums[i] }
        samples += other.samples
        softCorrect += other.softCorrect
        hardCorrect += other.hardCorrect
        teacherSoftCorrect += other.teacherSoftCorrect
        teacherHardCorrect += other.teacherHardCorrect
        agreement += other.agreement
        for i in studentArgmaxCounts.indices { studentArgmaxCounts[i] += other.studentArgmaxCounts[i] }
        for i in teacherArgmaxCounts.indices { teacherArgmaxCounts[i] += other.teacherArgmaxCounts[i] }
    }

    /// Every sum the accumulator holds, flat, for another process: `init(packed:)` on the other
    /// side rebuilds an accumulator whose `merge` adds exactly these values (no rounding: the
    /// counts are whole numbers far below 2^53). Layout: a header `[1, classes, teacher,
    /// samples, soft, hard, teacher soft, teacher hard, agreement]`, then `S`, the label counts,
    /// the upper triangle of `G` (full matrix), the teacher sums and both argmax counts.
    public var packed: [Double] {
        var out: [Double] = [1, Double(classes), hasTeacher ? 1 : 0, Double(samples), softCorrect, hardCorrect,
                             teacherSoftCorrect, teacherHardCorrect, agreement]
        out.reserveCapacity(out.count + labelScatter.elements.count + teacherCross.elements.count + 5 * classes)
        out += labelScatter.elements
        out += labelCounts
        out += teacherCross.elements
        out += teacherSums
        out += studentArgmaxCounts
        out += teacherArgmaxCounts
        return out
    }

    /// Rebuilds an accumulator from `packed`.
    /// - Throws: `SpectraError.tooSmall` when the array is not a packed accumulator.
    public init(packed values: [Double]) throws {
        guard values.count >= 9, values[0] == 1, values[1] >= 1, values[1] == values[1].rounded(), values[1] < 1e7 else {
            throw SpectraError.tooSmall("not a packed accumulator (bad header)")
        }
        let c = Int(values[1]), teacher = values[2] == 1
        let expected = 9 + c * c + c + (teacher ? c * c + c : 0) + c + (teacher ? c : 0)
        guard values.count == expected else {
            throw SpectraError.tooSmall("packed accumulator has \(values.count) values, expected \(expected) for \(c) classes")
        }
        self.init(classes: c, withTeacher: teacher)
        samples = Int(values[3])
        softCorrect = values[4]; hardCorrect = values[5]
        teacherSoftCorrect = values[6]; teacherHardCorrect = values[7]; agreement = values[8]
        var offset = 9
        func take(_ count: Int) -> [Double] {
            defer { offset += count }
            return Array(values[offset ..< offset + count])
        }
        labelScatter.elements = take(c * c)
        labelCounts = take(c)
        if teacher {
            teacherCross.elements = take(c * c)
            teacherSums = take(c)
        }
        studentArgmaxCounts = take(c)
        if teacher { teacherArgmaxCounts = take(c) }
    }

    /// The largest entry of a row, how many entries equal it, and the first index holding it.
    @inline(__always)
    static func maximum(_ row: UnsafePointer<Double>, _ count: Int) -> (Double, Int, Int) {
        var best = row[0], ties = 1, first = 0
        for j in 1..<count {
            let v = row[j]
            if v > best { best = v; ties = 1; first = j } else if v == best { ties += 1 }
        }
        return (best, ties, first)
    }

    /// Adds each row's argmax to `counts` in row order (a tie of `m` classes adds `1/m` to each),
    /// serially, so the sums do not depend on the thread count.
    static func addArgmaxCounts(_ argmax: [Int], offset: Int, rows: Int, scores: UnsafePointer<Double>, columns c: Int,
                                into counts: inout [Double]) {
        for n in 0..<rows {
            let first = argmax[offset + 2 * n], ties = argmax[offset + 2 * n + 1]
            if ties == 1 { counts[first] += 1; continue }
            let row = scores + n * c, best = row[first], share = 1 / Double(ties)
            for j in first..<c where row[j] == best { counts[j] += share }
        }
    }

    /// The matrices and scalar statistics (docs/theory.md §1.1-1.2).
    /// - Precondition: at least one row was added.
    public func finish() -> CrossCovariance {
        precondition(samples > 0, "no rows accumulated")
        let c = classes
        let n = Double(samples)
        // Column sums of P are the column sums of S, since every row has exactly one label.
        var studentSums = [Double](repeating: 0, count: c)
        for k in 0..<c {
            for j in 0..<c { studentSums[j] += labelScatter.elements[k * c + j] }
        }
        // H = (M + M^T) / 2N with M = dY^T dP = S - counts sums^T / N, in 64 x 64 tiles so the
        // transposed reads stay in cache (a column walk over the 8 MB S cost about 10 ms at C = 1000).
        var h = SquareMatrix(zeros: c)
        let tile = 64
        labelScatter.elements.withUnsafeBufferPointer { s in h.elements.withUnsafeMutableBufferPointer { out in
            for k0 in stride(from: 0, to: c, by: tile) {
                for j0 in stride(from: k0, to: c, by: tile) {
                    for k in k0 ..< min(k0 + tile, c) {
                        for j in max(k, j0) ..< min(j0 + tile, c) {
                            let mkj = s[k * c + j] - labelCounts[k] * studentSums[j] / n
                            let mjk = s[j * c + k] - labelCounts[j] * studentSums[k] / n
                            let v = (mkj + mjk) / (2 * n)
                            out[k * c + j] = v
                            out[j * c + k] = v
                        }
                    }
                }
            }
        } }
        var meanTerm = 0.0
        for k in 0..<c { meanTerm += (labelCounts[k] / n) * (studentSums[k] / n) }
        var hhat: SquareMatrix? = nil
        if hasTeacher {
            var g = SquareMatrix(zeros: c)
            for k in 0..<c {
                for j in k..<c {
                    let v = (teacherCross[k, j] - (studentSums[k] * teacherSums[j] + teacherSums[k] * studentSums[j]) / n) / (2 * n)
                    g[k, j] = v
                    g[j, k] = v
                }
            }
            hhat = g
        }
        return CrossCovariance(samples: samples, classes: c, h: h, hhat: hhat,
                               softAccuracy: softCorrect / n, accuracy: hardCorrect / n, meanTerm: meanTerm,
                               labelFrequencies: labelCounts.map { $0 / n }, studentMeans: studentSums.map { $0 / n },
                               teacherSoftAccuracy: hasTeacher ? teacherSoftCorrect / n : nil,
                               teacherAccuracy: hasTeacher ? teacherHardCorrect / n : nil,
                               agreement: hasTeacher ? agreement / n : nil,
                               studentArgmaxMeans: studentArgmaxCounts.map { $0 / n },
                               teacherArgmaxMeans: hasTeacher ? teacherArgmaxCounts.map { $0 / n } : nil)
    }
}
