import Distillation
import Fitting
import Spectra

/// `g(T)` and `chi(T)` from logged outputs (THEORY §5.3): the student's logits (a baseline
/// student), the teacher's logits and the labels, streamed through `SpectrumJob.covariance`.
public struct LogEstimates: Sendable {
    public enum GMethod: String, Sendable, CaseIterable { case trace, support }
    public let studentLogits: String
    public let teacherLogits: String?
    public let labels: String

    public init(studentLogits: String, teacherLogits: String?, labels: String) {
        self.studentLogits = studentLogits
        self.teacherLogits = teacherLogits
        self.labels = labels
    }

    /// `g(T)` by `trace` (`Tr H(P_T, Y) / Tr H(P_1, Y)`) or `support` (ratio of fitted GMP means).
    /// - Throws: input errors; `PipelineError` when a support fit is impossible.
    public func g(at temperature: Double, method: GMethod) throws -> Double {
        let at1 = try SpectrumJob(labels: labels, student: LoggedOutputs(path: studentLogits, kind: .logits, temperature: 1)).covariance()
        let atT = try SpectrumJob(labels: labels, student: LoggedOutputs(path: studentLogits, kind: .logits, temperature: temperature)).covariance()
        switch method {
        case .trace:
            return Estimators.gFromTraces(traceAtT: atT.traceH, traceAt1: at1.traceH)
        case .support:
            let bulkT = try StructuralSpectrum(of: atT.h).bulk, bulk1 = try StructuralSpectrum(of: at1.h).bulk
            let (g, reports) = Estimators.gFromSupports(bulkAtT: bulkT, bulkAt1: bulk1, q: at1.q)
            guard let g else {
                throw PipelineError(file: studentLogits, problem: "the support estimator could not fit a GMP at T = \(temperature) (\(reports.map(\.reason).joined(separator: "; ")))",
                                    fix: "use --g-estimator trace or give --g")
            }
            return g
        }
    }

    /// `chi(T)` by `agreement`: `Tr H(P_1, Phat_T) / Tr H(P_1, Y)`.
    public func chiByAgreement(at temperature: Double) throws -> Double {
        guard let teacherLogits else { throw PipelineError("the agreement estimator of chi needs --teacher-logits") }
        let cov = try SpectrumJob(labels: labels, student: LoggedOutputs(path: studentLogits, kind: .logits, temperature: 1),
                                  teacher: LoggedOutputs(path: teacherLogits, kind: .logits, temperature: temperature)).covariance()
        return Estimators.chiFromAgreement(traceStudentTeacher: cov.traceHhat!, traceStudentLabels: cov.traceH)
    }
}
