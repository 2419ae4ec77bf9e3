import Foundation

/// How a model of distilled accuracy turns a configuration into a predicted gain over the
/// baseline, `acc_d - acc_b = offset + sum_j theta_j f_j`, with parameters `theta` fitted on pilot
/// runs (docs/theory.md §5.4, docs/distillation.md). Every model stays at the gamma -> 0 limit.
///
/// * `softWeight` (the default): the dual formula with `g` fixed (1 in the limit) and one free
///   `chi`. `R` is affine in `chi` for either form, so the fit is closed-form least squares.
///   With `g = 1`, dual form: `acc_d = acc_b + w_s (chi - 1)(acc_b - 1/C)`.
/// * `chiLogTemperature`: `chi(T) = chi_0 + chi_1 ln T` (two parameters, linear).
/// * `hardLabelBonus`: adds `eta w_s e_b` to every configuration that keeps some hard-label
///   weight (`w_h > 0`): a tiny hard weight corrects the teacher's mistakes out of proportion.
/// * `temperaturePower`: the soft weight `alpha / (T^p + alpha)` with `p` fitted beside `chi`
///   (`p = 1` is the dual weight; `p = 2` is `1 - alpha_H` in Hinton's parametrisation).
public struct PilotModel: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case softWeight = "soft-weight"
        case chiLogTemperature = "chi-log-t"
        case hardLabelBonus = "hard-label-bonus"
        case temperaturePower = "temperature-power"
    }

    public let kind: Kind
    /// `g` of the formula: 1 at the limit. Only `softWeight` accepts another value.
    public let g: Double
    public let form: FormulaForm

    public init(kind: Kind = .softWeight, g: Double = 1, form: FormulaForm = .dual) {
        precondition(kind == .softWeight || (g == 1 && form == .dual), "the richer models are defined for g = 1, dual form")
        self.kind = kind; self.g = g; self.form = form
    }

    /// Names of the fitted parameters, in order.
    public var parameterNames: [String] {
        switch kind {
        case .softWeight: ["chi"]
        case .chiLogTemperature: ["chi_0", "chi_1"]
        case .hardLabelBonus: ["chi", "eta"]
        case .temperaturePower: ["chi", "p"]
        }
    }

    public var parameterCount: Int { parameterNames.count }

    /// Parameters that enter linearly (all but `p` of `temperaturePower`).
    var linearCount: Int { kind == .temperaturePower ? 1 : parameterCount }

    /// `(offset, features)` of a configuration, in accuracy fractions; `power` is `p` for
    /// `temperaturePower` and ignored otherwise.
    func design(_ r: ObservedConfiguration, power: Double = 1) -> (offset: Double, features: [Double]) {
        let chance = 1 / Double(r.classes)
        let eb = r.baselineAccuracy - chance
        let ws = r.setting.softWeight
        switch kind {
        case .softWeight:
            // R = a + b chi: a = R(chi = 0), b = R(1) - R(0); exact because R is affine in chi.
            let a = form.ratio(r.setting, g: g, chi: 0), b = form.ratio(r.setting, g: g, chi: 1) - a
            return ((a - 1) * eb, [b * eb])
        case .chiLogTemperature:
            return (-ws * eb, [ws * eb, ws * eb * log(r.setting.temperature)])
        case .hardLabelBonus:
            return (-ws * eb, [ws * eb, r.setting.hardWeight > 0 ? ws * eb : 0])
        case .temperaturePower:
            let w = Self.poweredSoftWeight(r.setting, power: power)
            return (-w * eb, [w * eb])
        }
    }

    /// `alpha / (T^p + alpha)` (1 when `alpha` is infinite).
    static func poweredSoftWeight(_ s: DistillationSetting, power: Double) -> Double {
        s.alpha.isInfinite ? 1 : s.alpha / (pow(s.temperature, power) + s.alpha)
    }
}
