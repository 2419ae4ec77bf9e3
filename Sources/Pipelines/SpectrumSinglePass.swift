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

    /// Reads and sums `rows` in blocks of `rowsPerBlock` on the float32 path.
    /// - Throws: `PipelineError` naming the file and row of the first refused row.
    func accumulateSingle(rows: Range<Int>, rowsPerBlock: Int, labels labelSource: RowSource, student studentSource: RowSource,
                          teacher teacherSource: RowSource?, into accumulator: inout CrossCovarianceAccumulator,
                          warnings: inout [String], progress: Bool, timer: StageTimer) throws {
        let c = studentSource.columns, n = rows.count
        let capacity = min(rowsPerBlock, n) * c
        var studentScores = [Float](repeating: 0, count: capacity)
        var teacherScores = [Float](repeating: 0, count: teacherSource == nil ? 0 : capacity)
        var labelValues = [Double](repeating: 0, count: min(rowsPerBlock, n))
        var labelBlock = [Int](repeating: 0, count: min(rowsPerBlock, n))
        var workspace = SinglePrecisionWorkspace()
        let bar = ProgressBar(label: "spectrum", total: n, enabled: progress && isatty(2) == 1)
        var start = rows.lowerBound
        while start < rows.upperBound {
            let range = start ..< min(rows.upperBound, start + rowsPerBlock)
            try Self.readLabels(labelSource, range: range, classes: c, values: &labelValues, into: &labelBlock)
            try timer.time("read") {
                try studentScores.withUnsafeMutableBufferPointer { try studentSource.readRows(range, into: $0) }
                if let teacherSource { try teacherScores.withUnsafeMutableBufferPointer { try teacherSource.readRows(range, into: $0) } }
            }
            if start == rows.lowerBound {
                let head = min(range.count, 1000)
                if let w = Self.probabilitiesAsLogits(studentSource, student, studentScores.prefix(head * c).map(Double.init), rows: head, columns: c) {
                    warnings.append(w)
                }
                if let teacherSource, let teacher,
                   let w = Self.probabilitiesAsLogits(teacherSource, teacher, teacherScores.prefix(head * c).map(Double.init), rows: head, columns: c) {
                    warnings.append(w)
                }
            }
            let count = range.count * c
            let refused = timer.time("fused_pass") {
                studentScores.withUnsafeBufferPointer { z in teacherScores.withUnsafeBufferPointer { tz in
                    labelBlock.withUnsafeBufferPointer { y in
                        accumulator.addSingle(student: SinglePrecisionScores(scores: UnsafeBufferPointer(rebasing: z[0..<count]),
                                                                             kind: Self.scores(student), temperature: student.temperature),
                                              labels: UnsafeBufferPointer(rebasing: y[0..<range.count]),
                                              teacher: teacher.map { SinglePrecisionScores(scores: UnsafeBufferPointer(rebasing: tz[0..<count]),
                                                                                           kind: Self.scores($0), temperature: $0.temperature) },
                                              workspace: &workspace)
                    }
                } }
            }
            if let (side, defect) = refused {
                throw Self.error(defect, file: side == .student ? studentSource.name : teacherSource!.name, firstRow: range.lowerBound)
            }
            start = range.upperBound
            bar.update(start - rows.lowerBound)
        }
        bar.finish()
    }
}
