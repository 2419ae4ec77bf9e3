/// A predicted distilled accuracy, with everything that produced it.
public struct DistilledAccuracyPrediction: Sendable {
    public let predictedAccuracy: Double
    public let ratio: Double
    public let g: Double
    public let chi: Double
    public let setting: DistillationSetting
    public let form: FormulaForm
    /// Which estimator produced `g` and `chi` (`support`, `trace`, `given`, `calibrated`, ...).
    public let gEstimator: String
    public let chiEstimator: String

    /// `acc_d = 1/C + R (acc_b - 1/C)` (docs/theory.md §5.3).
    public init(classes: Int, baselineAccuracy: Double, setting: DistillationSetting, g: Double, chi: Double,
                form: FormulaForm = .dual, gEstimator: String, chiEstimator: String) {
        let chance = 1 / Double(classes)
        let r = form.ratio(setting, g: g, chi: chi)
        predictedAccuracy = chance + r * (baselineAccuracy - chance)
        ratio = r
        self.g = g
        self.chi = chi
        self.setting = setting
        self.form = form
        self.gEstimator = gEstimator
        self.chiEstimator = chiEstimator
    }
}
