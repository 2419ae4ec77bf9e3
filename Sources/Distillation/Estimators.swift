/// Estimators of `g` and `chi` at the paper's gamma -> 0 limit (docs/theory.md §5.4, docs/distillation.md).
/// These estimators are SpectralKD's, not the paper's (its appendix is missing).
///
/// In the limit every row of `P_{gamma T}` is the one-hot argmax `A`, which does not depend on
/// `T`: so `g = 1` exactly, and only `chi` is left. `chi` is best fitted on pilot runs
/// (`PilotFit`); the zero-shot estimators below are offered with their measured error.
public enum Estimators {
    /// `teacher-margin` (zero-shot): `chi = e_t / e_b`, `e = accuracy - 1/C`. With `g = 1` and the
    /// dual form the prediction is exactly the dual-weight interpolation `w_h acc_b + w_s acc_t`.
    public static func chiFromTeacherMargin(teacherAccuracy: Double, baselineAccuracy: Double, classes: Int) -> Double {
        let chance = 1 / Double(classes)
        return (teacherAccuracy - chance) / (baselineAccuracy - chance)
    }

    /// `argmax-agreement` (diagnostic): `chi = Tr H(A_s, A_t) / Tr H(A_s, Y)`, the argmax traces of
    /// a baseline student against the teacher and against the labels, from test-set logs.
    public static func chiFromArgmaxAgreement(traceStudentTeacher: Double, traceStudentLabels: Double) -> Double {
        traceStudentTeacher / traceStudentLabels
    }

    /// `soft-trace` (diagnostic, "soft trace, not accuracy"): `g(gamma) = Tr H(P_{gamma T}, Y) /
    /// Tr H(P_gamma, Y)`. It tends to 1 as `gamma -> 0`; at `gamma = 1` it measures how flat the
    /// outputs are at `T` and falls like `1/T`.
    public static func gFromSoftTraces(traceAtGammaT: Double, traceAtGamma: Double) -> Double { traceAtGammaT / traceAtGamma }
}
