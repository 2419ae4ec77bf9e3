/// The two forms of the distilled-accuracy formula (docs/theory.md §5.3).
public enum FormulaForm: String, Sendable, CaseIterable {
    /// `R = (T + alpha g)(T + alpha chi) / (T + alpha)^2`: the expansion of §5.2 with
    /// `Tr H(P_T, Y) = g e_b`, `Tr H(P_1, Phat_T) = chi e_b`, `Tr H(P_T, Phat_T) = g chi e_b`.
    /// `R(0) = 1`, `R(infinity) = g chi`. The default.
    case dual
    /// `R = T (1 + alpha g)(1 + alpha chi) / (T + alpha)^2`, as published. `R(0) = 1/T`, wrong for
    /// `T != 1`: kept for comparison only.
    case printed

    /// The ratio `R = e_d / e_b` with `e = accuracy - 1/C`.
    public func ratio(_ setting: DistillationSetting, g: Double, chi: Double) -> Double {
        let t = setting.temperature, a = setting.alpha
        switch self {
        case .dual:
            if a.isInfinite { return g * chi }
            return (t + a * g) * (t + a * chi) / ((t + a) * (t + a))
        case .printed:
            // T (1 + a g)(1 + a chi)/(T + a)^2 -> T g chi as a -> infinity.
            if a.isInfinite { return t * g * chi }
            return t * (1 + a * g) * (1 + a * chi) / ((t + a) * (t + a))
        }
    }
}
