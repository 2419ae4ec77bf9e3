/// The weight `alpha(T)` of the distillation loss and its dual weights (docs/theory.md §5.1).
///
/// `L = [CE(P_1 | Y) + alpha KL(P_T | Phat_T)] / (1 + alpha/T)` trains like targets
/// `(T Y + alpha Phat_T)/(T + alpha)`: hard weight `w_h = T/(T + alpha)`, soft `w_s = alpha/(T + alpha)`.
/// `alpha = +infinity` is the soft-labels-only limit (`w_h = 0`, `w_s = 1`).
public struct DistillationSetting: Sendable, Equatable {
    public let temperature: Double
    public let alpha: Double

    /// - Precondition: `temperature > 0`, `alpha >= 0` (may be `+infinity`).
    public init(temperature: Double, alpha: Double) {
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive")
        precondition(alpha >= 0, "alpha must be non-negative")
        self.temperature = temperature
        self.alpha = alpha
    }

    /// Hinton's parametrisation: `alpha(T) = (1 - alpha_H) T^2 / alpha_H`, `alpha_H` the weight of
    /// the hard-label cross-entropy (`alpha_H = 1`: the baseline; `alpha_H = 0`: soft only).
    public init(temperature: Double, hintonAlpha alphaH: Double) {
        precondition(alphaH >= 0 && alphaH <= 1, "alpha_H must lie in [0, 1]")
        self.init(temperature: temperature, alpha: alphaH == 0 ? .infinity : (1 - alphaH) * temperature * temperature / alphaH)
    }

    /// A training script's weights: `alpha = kl_weight T^2 / ce_weight` when the KL term is
    /// multiplied by `T^2`, else `kl_weight / ce_weight` (`ce_weight = 0`: soft only).
    public init(temperature: Double, ceWeight: Double, klWeight: Double, klTimesTSquared: Bool) {
        precondition(ceWeight >= 0 && klWeight >= 0 && ceWeight + klWeight > 0, "weights must be non-negative, not both 0")
        let kl = klTimesTSquared ? klWeight * temperature * temperature : klWeight
        self.init(temperature: temperature, alpha: ceWeight == 0 ? .infinity : kl / ceWeight)
    }

    public var hardWeight: Double { alpha.isInfinite ? 0 : temperature / (temperature + alpha) }
    public var softWeight: Double { alpha.isInfinite ? 1 : alpha / (temperature + alpha) }
}
