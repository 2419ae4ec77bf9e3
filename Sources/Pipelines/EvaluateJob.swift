import ArrayIO
import Distillation
import Foundation

/// `spectralkd evaluate`: the formula against observed runs, beside the baselines of THEORY §5.3.
public struct EvaluateJob: Sendable {
    public enum GChoice: Sendable, Equatable { case trace, support, given(Double), calibrated }
    public enum ChiChoice: Sendable, Equatable { case agreement, softOnly, given(Double), calibrated }

    public var runs: String
    public var form: FormulaForm
    public var g: GChoice?
    public var chi: ChiChoice?
    public var logs: LogEstimates?
    public var outputFolder: String

    public init(runs: String, form: FormulaForm = .dual, g: GChoice? = nil, chi: ChiChoice? = nil, logs: LogEstimates? = nil,
                outputFolder: String = "evaluate-out") {
        self.runs = runs; self.form = form; self.g = g; self.chi = chi; self.logs = logs; self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public let configurations: [ObservedConfiguration]
        public let formula: [Double]
        public let metrics: JSONValue
        public let files: [String]
    }

    /// Default estimators: from logs (`trace`, `agreement`) when logged outputs are given, else
    /// `calibrated` with leave-one-out: runs that carry no logs (published tables) have no g or chi to read off.
    public func run() throws -> Result {
        let file = try RunsFile(path: runs)
        let configs = file.configurations
        guard configs.count >= 2 else {
            throw PipelineError(file: runs, problem: "has \(configs.count) distilled configuration", fix: "evaluation needs at least 2")
        }
        let gChoice = g ?? (logs != nil ? .trace : .calibrated)
        let chiChoice = chi ?? (logs != nil ? .agreement : .calibrated)
        if (gChoice == .trace || gChoice == .support || chiChoice == .agreement) && logs == nil {
            throw PipelineError("\(runs): the trace, support and agreement estimators need --student-logits, --teacher-logits and --labels")
        }
        if (gChoice == .calibrated) != (chiChoice == .calibrated) {
            throw PipelineError("calibrated fits g and chi together: use it for both estimators or for neither")
        }
        let temperatures = Array(Set(configs.map(\.setting.temperature))).sorted()
        var gByT: [Double: Double] = [:], chiByT: [Double: Double] = [:]
        var usedForEstimation = [Bool](repeating: false, count: configs.count)
        if gChoice != .calibrated {
            for t in temperatures {
                switch gChoice {
                case .trace: gByT[t] = try logs!.g(at: t, method: .trace)
                case .support: gByT[t] = try logs!.g(at: t, method: .support)
                case let .given(v): gByT[t] = v
                case .calibrated: break
                }
                switch chiChoice {
                case .agreement: chiByT[t] = try logs!.chiByAgreement(at: t)
                case let .given(v): chiByT[t] = v
                case .softOnly:
                    guard let i = configs.firstIndex(where: { $0.setting.temperature == t && $0.setting.alpha.isInfinite }) else {
                        throw PipelineError(file: runs, problem: "has no soft-labels-only run (alpha_H = 0) at T = \(t)",
                                            fix: "use --chi-estimator agreement or give --chi")
                    }
                    chiByT[t] = Estimators.chiFromSoftOnly(observedRatio: configs[i].observedRatio, g: gByT[t]!)
                    usedForEstimation[i] = true
                case .calibrated: break
                }
            }
        }
        // Leave-one-out predictions for everything fitted on the runs themselves.
        var formula: [Double] = [], calibrated: [Double] = [], gap: [Double] = []
        var gUsed: [Double] = [], chiUsed: [Double] = []
        for (i, r) in configs.enumerated() {
            let others = configs.indices.filter { $0 != i }.map { configs[$0] }
            let calibration = Calibration(fitting: others, form: form)
            let cal = DistilledAccuracyPrediction(classes: r.classes, baselineAccuracy: r.baselineAccuracy, setting: r.setting,
                                                  g: calibration.g(at: r.setting.temperature), chi: calibration.chi, form: form,
                                                  gEstimator: "calibrated", chiEstimator: "calibrated")
            calibrated.append(cal.predictedAccuracy)
            gap.append(Baselines.teacherGapFraction(r, training: others))
            if gChoice == .calibrated {
                formula.append(cal.predictedAccuracy); gUsed.append(cal.g); chiUsed.append(cal.chi)
            } else {
                let t = r.setting.temperature
                let p = DistilledAccuracyPrediction(classes: r.classes, baselineAccuracy: r.baselineAccuracy, setting: r.setting,
                                                    g: gByT[t]!, chi: chiByT[t]!, form: form,
                                                    gEstimator: Self.name(gChoice), chiEstimator: Self.name(chiChoice))
                formula.append(p.predictedAccuracy); gUsed.append(p.g); chiUsed.append(p.chi)
            }
        }
        let noChange = configs.map(Baselines.noChange), teacher = configs.map(Baselines.teacher)
        let dual = configs.map(Baselines.dualInterpolation)
        let observed = configs.map(\.distilledAccuracy)
        let evaluated = configs.indices.filter { !usedForEstimation[$0] }
        func pick(_ v: [Double]) -> [Double] { evaluated.map { v[$0] } }
        func metrics(_ v: [Double]) -> JSONValue {
            let m = ErrorMetrics(predicted: pick(v), observed: pick(observed))
            return .object([("mae", .double(m.mae)), ("rmse", .double(m.rmse)), ("bias", .double(m.bias)), ("count", .int(m.count))])
        }
        let predictors: [(String, [Double])] = [("no_change", noChange), ("teacher", teacher), ("dual_interpolation", dual),
                                                ("teacher_gap_fraction", gap), ("calibrated", calibrated)]
        let gName = gChoice == .calibrated ? "calibrated (leave-one-out)" : Self.name(gChoice)
        let chiName = chiChoice == .calibrated ? "calibrated (leave-one-out)" : Self.name(chiChoice)
        var note = "errors in accuracy points (100 x fraction); bias = mean(predicted - observed)"
        if logs == nil { note += "; these runs carry no logged outputs, so g and chi cannot be read off logs: the formula uses the calibrated estimator with leave-one-out" }
        if usedForEstimation.contains(true) { note += "; soft-only runs used to estimate chi are left out of the metrics" }
        note += "; teacher_gap_fraction and calibrated are leave-one-out"
        var pairs: [(String, JSONValue)] = [
            ("runs", .string(runs)), ("layout", .string(file.layout.rawValue)), ("configurations", .int(configs.count)),
            ("evaluated", .int(evaluated.count)), ("form", .string(form.rawValue)),
            ("g_estimator", .string(gName)), ("chi_estimator", .string(chiName)), ("note", .string(note)),
            ("formula", metrics(formula)),
        ]
        pairs += predictors.map { ($0.0, metrics($0.1)) }
        pairs.append(("formula_beats", .object(predictors.map {
            ($0.0, .double(shareBetter(pick(formula), than: pick($0.1), observed: pick(observed))))
        })))
        if gChoice != .calibrated {
            pairs.append(("estimates", .object([
                ("g", .object(temperatures.map { (formatNumber($0), .double(gByT[$0]!)) })),
                ("chi", .object(temperatures.map { (formatNumber($0), .double(chiByT[$0]!)) })),
            ])))
        }
        pairs.append(("files", .object([("predictions", .string("predictions.csv")), ("metrics", .string("metrics.json"))])))
        let metricsJSON = JSONValue.object(pairs)

        let header = ["label", "classes", "temperature", "alpha_h", "alpha", "hard_weight", "soft_weight", "baseline", "teacher_accuracy",
                      "observed", "observed_se", "seeds", "g", "chi", "formula", "no_change", "teacher", "dual_interpolation",
                      "teacher_gap_fraction", "calibrated", "used_for_estimation", "residual_formula", "residual_no_change",
                      "residual_teacher", "residual_dual_interpolation", "residual_teacher_gap_fraction", "residual_calibrated"]
        var columns: [[Double]] = [
            configs.map { Double($0.classes) }, configs.map(\.setting.temperature), configs.map { $0.alphaH ?? .nan },
            configs.map(\.setting.alpha), configs.map(\.setting.hardWeight), configs.map(\.setting.softWeight),
            configs.map(\.baselineAccuracy), configs.map(\.teacherAccuracy), observed, configs.map { $0.distilledStandardError ?? .nan },
            configs.map { Double($0.seeds) }, gUsed, chiUsed, formula, noChange, teacher, dual, gap, calibrated,
            usedForEstimation.map { $0 ? 1 : 0 },
        ]
        for v in [formula, noChange, teacher, dual, gap, calibrated] { columns.append(zip(v, observed).map { $0 - $1 }) }
        var transaction = OutputTransaction()
        transaction.add(outputFolder + "/predictions.csv", Writers.csv(header: header, text: configs.map(\.label), columns: columns))
        transaction.add(outputFolder + "/metrics.json", Writers.json(metricsJSON))
        try transaction.commit()
        return Result(configurations: configs, formula: formula, metrics: metricsJSON, files: transaction.paths)
    }

    static func name(_ g: GChoice) -> String {
        switch g { case .trace: "trace"; case .support: "support"; case .given: "given"; case .calibrated: "calibrated" }
    }

    static func name(_ chi: ChiChoice) -> String {
        switch chi { case .agreement: "agreement"; case .softOnly: "soft-only"; case .given: "given"; case .calibrated: "calibrated" }
    }
}
