import Distillation
import Foundation
import Spectra

/// What logged test-set outputs say at the gamma -> 0 limit (docs/theory.md §5.4): the argmax traces of
/// a baseline student against the labels and the teacher, and the soft-trace diagnostic.
public struct LogEstimates: Sendable {
    public let studentLogits: String
    public let teacherLogits: String?
    public let labels: String

    public init(studentLogits: String, teacherLogits: String?, labels: String) {
        self.studentLogits = studentLogits
        self.teacherLogits = teacherLogits
        self.labels = labels
    }

    /// One O(N C) pass: accuracies and the argmax traces (teacher included when given).
    public func limitTraces() throws -> CrossCovariance {
        try SpectrumJob(labels: labels, student: LoggedOutputs(path: studentLogits, kind: .logits),
                        teacher: teacherLogits.map { LoggedOutputs(path: $0, kind: .logits) }).covariance()
    }

    /// `argmax-agreement`: `Tr H(A_s, A_t) / Tr H(A_s, Y)`, from the traces of `limitTraces()`.
    public func chiByArgmaxAgreement(_ cov: CrossCovariance) throws -> Double {
        guard teacherLogits != nil, let hhat = cov.argmaxTraceHhat else {
            throw PipelineError("the argmax-agreement estimator of chi needs --teacher-logits")
        }
        return Estimators.chiFromArgmaxAgreement(traceStudentTeacher: hhat, traceStudentLabels: cov.argmaxTraceH)
    }

    /// `soft-trace` (diagnostic): `Tr H(P_{gamma T}, Y) / Tr H(P_gamma, Y)`.
    public func gBySoftTrace(temperature: Double, gamma: Double) throws -> Double {
        func trace(_ tau: Double) throws -> Double {
            try SpectrumJob(labels: labels, student: LoggedOutputs(path: studentLogits, kind: .logits, temperature: tau)).covariance().traceH
        }
        return Estimators.gFromSoftTraces(traceAtGammaT: try trace(gamma * temperature), traceAtGamma: try trace(gamma))
    }

    /// Refuses a `--classes` or `--baseline-accuracy` that disagrees with the logs (more than 0.5
    /// points of accuracy): a prediction from one run's accuracy and another run's logits is wrong.
    /// `cov` is `limitTraces()`, read once and shared with the estimators.
    public func check(_ cov: CrossCovariance, classes: Int?, baselineAccuracy: Double?) throws {
        if let classes, classes != cov.classes {
            throw PipelineError(file: studentLogits, problem: "has \(cov.classes) classes but --classes is \(classes)",
                                fix: "give the class count of the logged model (or omit --classes)")
        }
        if let baselineAccuracy, abs(baselineAccuracy - cov.accuracy) > 0.005 {
            throw PipelineError(file: studentLogits, problem: String(format: "has accuracy %.4f on %@ but --baseline-accuracy is %.4f (more than 0.5 points apart)",
                                                                     cov.accuracy, labels, baselineAccuracy),
                                fix: "log the baseline student whose accuracy you give, or give its accuracy")
        }
    }
}
