import ArrayIO
import Distillation

/// `spectralkd predict`: the distilled accuracy for one setting (THEORY §5.3).
public struct PredictJob: Sendable {
    public enum GSource: Sendable { case given(Double), logs(LogEstimates, LogEstimates.GMethod) }
    public enum ChiSource: Sendable { case given(Double), agreement(LogEstimates) }

    public var classes: Int
    public var baselineAccuracy: Double
    public var teacherAccuracy: Double
    public var setting: DistillationSetting
    public var form: FormulaForm
    public var g: GSource
    public var chi: ChiSource
    public var outputFolder: String

    public init(classes: Int, baselineAccuracy: Double, teacherAccuracy: Double, setting: DistillationSetting,
                form: FormulaForm = .dual, g: GSource, chi: ChiSource, outputFolder: String = "predict-out") {
        self.classes = classes; self.baselineAccuracy = baselineAccuracy; self.teacherAccuracy = teacherAccuracy
        self.setting = setting; self.form = form; self.g = g; self.chi = chi; self.outputFolder = outputFolder
    }

    public func run() throws -> (prediction: DistilledAccuracyPrediction, summary: JSONValue) {
        let t = setting.temperature
        let (gValue, gName): (Double, String)
        switch g {
        case let .given(v): (gValue, gName) = (v, "given")
        case let .logs(logs, method): (gValue, gName) = (try logs.g(at: t, method: method), method.rawValue)
        }
        let (chiValue, chiName): (Double, String)
        switch chi {
        case let .given(v): (chiValue, chiName) = (v, "given")
        case let .agreement(logs): (chiValue, chiName) = (try logs.chiByAgreement(at: t), "agreement")
        }
        let prediction = DistilledAccuracyPrediction(classes: classes, baselineAccuracy: baselineAccuracy, setting: setting,
                                                     g: gValue, chi: chiValue, form: form, gEstimator: gName, chiEstimator: chiName)
        let summary = JSONValue.object([
            ("predicted_accuracy", .double(prediction.predictedAccuracy)),
            ("ratio", .double(prediction.ratio)),
            ("g", .double(gValue)),
            ("chi", .double(chiValue)),
            ("alpha", setting.alpha.isFinite ? .double(setting.alpha) : .string("inf")),
            ("hard_weight", .double(setting.hardWeight)),
            ("soft_weight", .double(setting.softWeight)),
            ("form", .string(form.rawValue)),
            ("g_estimator", .string(gName)),
            ("chi_estimator", .string(chiName)),
            ("temperature", .double(t)),
            ("classes", .int(classes)),
            ("baseline_accuracy", .double(baselineAccuracy)),
            ("teacher_accuracy", .double(teacherAccuracy)),
            ("dual_interpolation", .double(setting.hardWeight * baselineAccuracy + setting.softWeight * teacherAccuracy)),
        ])
        var transaction = OutputTransaction()
        transaction.add(outputFolder + "/prediction.json", Writers.json(summary))
        try transaction.commit()
        return (prediction, summary)
    }
}
