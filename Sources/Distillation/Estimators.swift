import Fitting
import Laws

/// Estimators of the temperature factor `g` and the hard/soft factor `chi` (THEORY §5.3).
/// These estimators are SpectralKD's, not the paper's (its appendix is missing).
public enum Estimators {
    /// `trace`: `g(T) = Tr H(P_T, Y) / Tr H(P_1, Y)` from the student's logged outputs.
    public static func gFromTraces(traceAtT: Double, traceAt1: Double) -> Double { traceAtT / traceAt1 }

    /// `support`: the ratio of the fitted GMP means `s2 c` of the spectra of `H(P_T, Y)` and
    /// `H(P_1, Y)` (the mean is a function of the fitted edges at known `q`).
    /// - Returns: nil when either spectrum cannot be fitted (the reason is in the reports).
    public static func gFromSupports(bulkAtT: [Double], bulkAt1: [Double], q: Double) -> (g: Double?, reports: [GMPFitReport]) {
        let fitter = GMPFitter(method: .distance)
        guard let atT = try? fitter.fit(bulkAtT, q: q), let at1 = try? fitter.fit(bulkAt1, q: q) else { return (nil, []) }
        guard let lawT = atT.law, let law1 = at1.law, law1.mean != 0 else { return (nil, [atT, at1]) }
        return (lawT.mean / law1.mean, [atT, at1])
    }

    /// `agreement`: `chi = Tr H(P_1, Phat_T) / Tr H(P_1, Y)` from logged student and teacher outputs.
    public static func chiFromAgreement(traceStudentTeacher: Double, traceStudentLabels: Double) -> Double {
        traceStudentTeacher / traceStudentLabels
    }

    /// `soft-only`: from an observed run with `alpha -> infinity`, where `R = g chi`: `chi = R_soft / g`.
    public static func chiFromSoftOnly(observedRatio: Double, g: Double) -> Double { observedRatio / g }
}
