import ArrayIO
import Foundation
import Spectra

/// The float32 block loop of `spectralkd spectrum`: scores read straight into float32 buffers
/// and summed by `CrossCovarianceAccumulator.addSingle` (the fused kernel).
extension SpectrumJob {
    /// Whether a segment takes the float32 path (see `softmaxPrecision`).
    func usesSinglePass(student source: RowSource, teacher teacherSource: RowSource?, gammas: [Double]) -> Bool {
        guard softmaxPrecision == .single, gammas.isEmpty, source.elementType.isExactInSingle,
              SinglePrecisionScores.isSupported(Self.scores(student), temperature: student.temperature) else { return false }
        guard let teacherSource, let teacher else { return true }
        return teacherPrecision == .single && teacherSource.elementType.isExactInSingle
            && SinglePrecisionScores.isSupported(Self.scores(teacher), temperature: teacher.temperature)
    }

    static func scores(_ outputs: LoggedOutputs) -> ProbabilityRows.Scores {
        outputs.kind == .logits ? .logits : .probabilities(rowSumTolerance: rowSumTolerance)
    }

    /// Reads and sums `rows` in blocks of `rowsPerBlock` on the float32 path. An `.npy` float32
    /// file is read in place (a memory map of each block), other inputs into a float32 buffer.
    /// - Throws: `PipelineError` naming the file and row of the first refused row.
    func accumulateSingle(rows: Range<Int>, rowsPerBlock: Int, labels labelSource: RowSource, student studentSource: RowSource,
                          teacher teacherSource: RowSource?, into accumulator: inout CrossCovarianceAccumulator,
                          warnings: inout [String], progress: Bool, timer: StageTimer) throws {
        let c = studentSource.columns, n = rows.count
        var studentBuffer = [Float](), teacherBuffer = [Float]()
        var labelValues = [Double](repeating: 0, count: min(rowsPerBlock, n))
        var labelBlock = [Int](repeating: 0, count: min(rowsPerBlock, n))
        var workspace = SinglePrecisionWorkspace()
        let bar = ProgressBar(label: "spectrum", total: n, enabled: progress && isatty(2) == 1)
        var start = rows.lowerBound
        while start < rows.upperBound {
            let range = start ..< min(rows.upperBound, start + rowsPerBlock)
            try Self.readLabels(labelSource, range: range, classes: c, values: &labelValues, into: &labelBlock)
            let blockStart = DispatchTime.now().uptimeNanoseconds
            var passSeconds = 0.0
            let refused = try Self.withScores(studentSource, range, buffer: &studentBuffer) { scores in
                let z = scores!
                return try Self.withScores(teacherSource, range, buffer: &teacherBuffer) { tz in
                    if range.lowerBound == rows.lowerBound {
                        let head = min(range.count, 1000)
                        if let w = Self.probabilitiesAsLogits(studentSource, student, z.prefix(head * c).map(Double.init), rows: head, columns: c) {
                            warnings.append(w)
                        }
                        if let teacherSource, let teacher, let tz,
                           let w = Self.probabilitiesAsLogits(teacherSource, teacher, tz.prefix(head * c).map(Double.init), rows: head, columns: c) {
                            warnings.append(w)
                        }
                    }
                    let passStart = DispatchTime.now().uptimeNanoseconds
                    defer { passSeconds = Double(DispatchTime.now().uptimeNanoseconds - passStart) / 1e9 }
                    return labelBlock.withUnsafeBufferPointer { y in
                        accumulator.addSingle(student: SinglePrecisionScores(scores: z, kind: Self.scores(student), temperature: student.temperature),
                                              labels: UnsafeBufferPointer(rebasing: y[0..<range.count]),
                                              teacher: teacher.map { SinglePrecisionScores(scores: tz!, kind: Self.scores($0), temperature: $0.temperature) },
                                              workspace: &workspace)
                    }
                }
            }
            // "read" is what the block took besides the pass: mapping, unmapping, a buffered read.
            timer.add("read", seconds: Double(DispatchTime.now().uptimeNanoseconds - blockStart) / 1e9 - passSeconds)
            timer.add("fused_pass", seconds: passSeconds)
            if let (side, defect) = refused {
                throw Self.error(defect, file: side == .student ? studentSource.name : teacherSource!.name, firstRow: range.lowerBound)
            }
            start = range.upperBound
            bar.update(start - rows.lowerBound)
        }
        bar.finish()
    }

    /// Calls `body` with rows `range` of `source` as float32: in place when the file stores them
    /// so, else read into `buffer` (grown on first use). A nil source gives nil.
    static func withScores<T>(_ source: RowSource?, _ range: Range<Int>, buffer: inout [Float],
                              _ body: (UnsafeBufferPointer<Float>?) throws -> T) throws -> T {
        guard let source else { return try body(nil) }
        if let result = try source.withStoredFloatRows(range, { try body($0) }) { return result }
        let count = range.count * source.columns
        if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        try buffer.withUnsafeMutableBufferPointer { try source.readRows(range, into: UnsafeMutableBufferPointer(rebasing: $0[0..<count])) }
        return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }
}
