import ArrayIO
import Distillation
import Foundation

/// `spectralkd predict`: the distilled accuracy of one configuration or of a grid, at the
/// gamma -> 0 limit (docs/theory.md §5.4): `g = 1`, and `chi` fitted on pilot runs (default when
/// `--pilots` is given) or from a zero-shot estimator with its measured error stated.
public struct PredictJob: Sendable {
    public enum GChoice: Sendable, Equatable {
        /// `g = 1`, the limit (default).
        case limit
        case given(Double)
        /// Diagnostic `Tr H(P_{gamma T}, Y) / Tr H(P_gamma, Y)` from the student's logs: a soft
        /// trace, not accuracy.
        case softTrace(gamma: Double)
        /// The old fit of one g per temperature plus chi on the pilots (comparison only).
        case perTemperature
    }

    public enum ChiChoice: Sendable, Equatable {
        case pilots, teacherMargin, argmaxAgreement
        case given(Double)
    }

    /// The task's class count and the accuracies the prediction starts from, when given as options.
    public var classes: Int?
    public var baselineAccuracy: Double?
    public var teacherAccuracy: Double?
    /// A runs file (sweep or published layout) whose distilled rows are the pilots.
    public var pilots: String?
    /// Which of the file's distilled configurations are pilots (nil: all of them). The others,
    /// when they are predicted, are shown beside their observed accuracy but never fitted on.
    public var pilotFilter: [GridPoint]?
    /// The configurations to predict; empty: every configuration of the pilots file.
    public var points: [GridPoint]
    public var form: FormulaForm
    public var g: GChoice
    /// nil: `pilots` when a runs file is given, else `teacherMargin`.
    public var chi: ChiChoice?
    public var model: PilotModel.Kind
    public var logs: LogEstimates?
    public var outputFolder: String

    public init(classes: Int? = nil, baselineAccuracy: Double? = nil, teacherAccuracy: Double? = nil, pilots: String? = nil,
                pilotFilter: [GridPoint]? = nil, points: [GridPoint], form: FormulaForm = .dual, g: GChoice = .limit, chi: ChiChoice? = nil,
                model: PilotModel.Kind = .softWeight, logs: LogEstimates? = nil, outputFolder: String = "predict-out") {
        self.classes = classes; self.baselineAccuracy = baselineAccuracy; self.teacherAccuracy = teacherAccuracy
        self.pilots = pilots; self.pilotFilter = pilotFilter; self.points = points; self.form = form; self.g = g; self.chi = chi; self.model = model
        self.logs = logs; self.outputFolder = outputFolder
    }

    /// One predicted configuration.
    public struct Row: Sendable {
        public let point: GridPoint
        public let predicted: Double
        public let lower: Double?
        public let upper: Double?
        public let flags: [PredictionFlag]
        public let g: Double
        public let chi: Double
        /// The observed accuracy when the runs file has this configuration.
        public let observed: Double?
        public let isPilot: Bool
        public let teacherGapFraction: Double?
    }

    public struct Result: Sendable {
        public let rows: [Row]
        public let summary: PredictionSummary
        public let warnings: [String]
        public let files: [String]
        /// The recommended configuration (argmax of the prediction).
        /// The first configuration with the highest prediction.
        public var best: Row { rows.first { r in !rows.contains { $0.predicted > r.predicted } }! }
    }

    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "predict", summaryName: "prediction.json",
                            knownOutputs: ["prediction.json", "predictions.csv"]) { try predict(into: $0) }
    }

    func predict(into folder: RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: Result) {
        var warnings: [String] = []
        // 1. The task: from the pilots file, checked against any options given.
        var runs: RunsFile?
        var pilotRuns: [ObservedConfiguration] = [], fileRuns: [ObservedConfiguration] = []
        var c = classes, accB = baselineAccuracy, accT = teacherAccuracy
        if let pilots {
            let file = try RunsFile(path: pilots)
            runs = file
            warnings += file.warnings
            fileRuns = file.configurations
            pilotRuns = fileRuns
            if let pilotFilter {
                pilotRuns = fileRuns.filter { r in pilotFilter.contains { $0.setting == r.setting } }
                guard !pilotRuns.isEmpty else {
                    throw PipelineError(file: pilots, problem: "has none of the --pilot-filter configurations among its distilled runs",
                                        fix: "list configurations the file has (e.g. --pilot-filter \"T=4 alpha_h=0.1\")")
                }
            }
            let first = pilotRuns[0]
            if fileRuns.contains(where: { $0.classes != first.classes || abs($0.baselineAccuracy - first.baselineAccuracy) > 1e-12
                || abs($0.teacherAccuracy - first.teacherAccuracy) > 1e-12 }) {
                throw PipelineError(file: pilots, problem: "its runs have different classes, baselines or teachers",
                                    fix: "give the pilots of one teacher/student pair (one task) per predict; filter the table first")
            }
            for (name, given, fromFile) in [("--baseline-accuracy", accB, first.baselineAccuracy), ("--teacher-accuracy", accT, first.teacherAccuracy)] {
                if let given, abs(given - fromFile) > 0.005 {
                    throw PipelineError(file: pilots, problem: String(format: "has %@ %.4f but %@ is %.4f", name.dropFirst(2).replacingOccurrences(of: "-", with: " "), fromFile, name, given),
                                        fix: "omit \(name) (the pilots file gives it) or give the pilots of this run")
                }
            }
            if let given = c, given != first.classes {
                throw PipelineError(file: pilots, problem: "has \(first.classes) classes but --classes is \(given)", fix: "omit --classes or fix it")
            }
            c = first.classes; accB = first.baselineAccuracy; accT = first.teacherAccuracy
        }
        guard let c, let accB, let accT else {
            throw PipelineError("predict needs --pilots RUNS.csv, or --classes with --baseline-accuracy and --teacher-accuracy")
        }
        // One pass over the logs, shared by the consistency check and the argmax estimator.
        let traces = try logs.map { logs in
            let cov = try logs.limitTraces()
            try logs.check(cov, classes: c, baselineAccuracy: accB)
            return cov
        }
        let chiChoice = chi ?? (pilots != nil ? .pilots : .teacherMargin)
        if (chiChoice == .pilots || g == .perTemperature) && pilotRuns.isEmpty {
            throw PipelineError("chi from pilots needs --pilots RUNS.csv (distilled runs of this teacher/student pair)")
        }
        if case .softTrace = g, chiChoice == .pilots {
            throw PipelineError("--g-estimator soft-trace is a diagnostic for zero-shot chi; with pilots g is 1 (the limit)")
        }

        // 2. The predictor of each configuration.
        let context = { (p: GridPoint) in
            ObservedConfiguration(label: "", classes: c, setting: p.setting, alphaH: p.alphaH, baselineAccuracy: accB,
                                  teacherAccuracy: accT, distilledAccuracy: .nan)
        }
        var gName = "limit (g = 1)", chiName: String
        var fit: PilotFit?
        var calibration: Calibration?
        var predictOne: (GridPoint) throws -> (value: Double, lower: Double?, upper: Double?, g: Double, chi: Double)
        switch (g, chiChoice) {
        case (.perTemperature, _):
            calibration = try wrap { try Calibration(fitting: pilotRuns, form: form) }
            warnings.append(Calibration.warning)
            gName = "per-temperature"; chiName = "per-temperature"
            predictOne = { p in
                let gv = calibration!.g(at: p.setting.temperature)
                let v = DistilledAccuracyPrediction(classes: c, baselineAccuracy: accB, setting: p.setting, g: gv, chi: calibration!.chi,
                                                    form: form, gEstimator: gName, chiEstimator: chiName).predictedAccuracy
                return (v, nil, nil, gv, calibration!.chi)
            }
        case (_, .pilots):
            let gValue: Double
            if case let .given(v) = g { gValue = v; gName = "given" } else { gValue = 1 }
            let pilotModel = PilotModel(kind: model, g: model == .softWeight ? gValue : 1, form: model == .softWeight ? form : .dual)
            if model != .softWeight && (gValue != 1 || form != .dual) {
                throw PipelineError("--model \(model.rawValue) is defined at the limit (g = 1, dual form)")
            }
            fit = try wrap { try PilotFit(pilotModel, pilots: pilotRuns) }
            chiName = "pilots"
            predictOne = { p in
                let r = fit!.predict(context(p))
                return (r.value, r.lower, r.upper, gValue, fit!.chi)
            }
        case (_, let choice):
            let chiValue: Double
            switch choice {
            case .teacherMargin:
                chiValue = Estimators.chiFromTeacherMargin(teacherAccuracy: accT, baselineAccuracy: accB, classes: c)
                chiName = "teacher-margin"
                warnings.append(ZeroShotRecord.teacherMargin.statement)
            case .argmaxAgreement:
                guard let logs, let traces else { throw PipelineError("--chi-estimator argmax-agreement needs --student-logits, --teacher-logits and --labels") }
                chiValue = try logs.chiByArgmaxAgreement(traces)
                chiName = "argmax-agreement"
                warnings.append(ZeroShotRecord.argmaxAgreement.statement)
            case let .given(v):
                chiValue = v; chiName = "given"
            case .pilots:
                fatalError("handled above")
            }
            var gByT: [Double: Double] = [:]
            if case let .softTrace(gamma) = g {
                guard let logs else { throw PipelineError("--g-estimator soft-trace needs --student-logits and --labels") }
                for t in Set(points.map(\.setting.temperature)) { gByT[t] = try logs.gBySoftTrace(temperature: t, gamma: gamma) }
                gName = "soft-trace at gamma = \(formatNumber(gamma)) (soft trace, not accuracy)"
                warnings.append("g by soft-trace is a diagnostic: at gamma > 0 it measures how flat the outputs are at T (soft trace, not accuracy); the paper's accuracy is the gamma -> 0 limit, g = 1")
            } else if case let .given(v) = g {
                for t in Set(points.map(\.setting.temperature)) { gByT[t] = v }
                gName = "given"
            } else {
                for t in Set(points.map(\.setting.temperature)) { gByT[t] = 1 }
            }
            predictOne = { p in
                let gv = gByT[p.setting.temperature]!
                let v = DistilledAccuracyPrediction(classes: c, baselineAccuracy: accB, setting: p.setting, g: gv, chi: chiValue,
                                                    form: form, gEstimator: gName, chiEstimator: chiName).predictedAccuracy
                return (v, nil, nil, gv, chiValue)
            }
        }

        // 3. Every configuration, with its flags and the baselines fitted on the same pilots.
        var rows: [Row] = []
        let points = self.points.isEmpty ? fileRuns.map { GridPoint(setting: $0.setting, alphaH: $0.alphaH) } : self.points
        guard !points.isEmpty else { throw PipelineError("predict needs a configuration: --temperature with alpha, --grid, or --pilots") }
        for p in points {
            let r = try predictOne(p)
            let flags = PredictionGuard.flags(r.value, classes: c, baseline: accB, teacher: accT)
            let pilot = pilotRuns.first { $0.setting == p.setting }
            let seen = fileRuns.first { $0.setting == p.setting }
            let gap = pilotRuns.isEmpty ? nil : Baselines.teacherGapFraction(context(p), training: pilotRuns)
            rows.append(Row(point: p, predicted: PredictionGuard.clipped(r.value), lower: r.lower.map(PredictionGuard.clipped),
                            upper: r.upper.map(PredictionGuard.clipped), flags: flags, g: r.g, chi: r.chi,
                            observed: seen?.distilledAccuracy, isPilot: pilot != nil, teacherGapFraction: gap))
        }
        let flagged = rows.filter { !$0.flags.isEmpty }
        if !flagged.isEmpty {
            warnings.append("\(flagged.count) of \(rows.count) prediction(s) flagged: " + Set(flagged.flatMap(\.flags)).sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue) (\($0.explanation))" }.joined(separator: "; "))
        }
        if fit?.intervalSource == .unavailable {
            warnings.append("no interval: one parameter from \(pilotRuns.count) pilot run(s) without seed standard errors leaves no spread to measure; give a second pilot or seed-level rows")
        } else if fit?.intervalSource == .seedsOnly {
            warnings.append("intervals from the pilots' seed noise only (k = parameters): they leave out the model's own error (about 0.5 points on the committed sweeps) and are too narrow")
        }

        // Configurations the file observed but the fit never saw: their error, beside no change's.
        let heldOut = rows.filter { !$0.isPilot && $0.observed != nil }
        var heldOutSummary: PredictionSummary.HeldOut?
        if !heldOut.isEmpty {
            let observed = heldOut.map { $0.observed! }
            let formula = ErrorMetrics(predicted: heldOut.map(\.predicted), observed: observed)
            let none = ErrorMetrics(predicted: heldOut.map { _ in accB }, observed: observed)
            let dual = ErrorMetrics(predicted: heldOut.map { $0.point.setting.hardWeight * accB + $0.point.setting.softWeight * accT }, observed: observed)
            let gap = pilotRuns.isEmpty ? nil : ErrorMetrics(predicted: heldOut.map { $0.teacherGapFraction! }, observed: observed)
            heldOutSummary = .init(count: heldOut.count, formulaMaePoints: formula.mae, noChangeMaePoints: none.mae,
                                   dualInterpolationMaePoints: dual.mae, teacherGapFractionMaePoints: gap?.mae)
        }

        // 4. The recommendation and the outputs.
        let best = rows.first { r in !rows.contains { $0.predicted > r.predicted } }!
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        let single = rows.count == 1
        let summary = PredictionSummary(
            predictedAccuracy: single ? best.predicted : nil, lower: single ? finite(best.lower) : nil, upper: single ? finite(best.upper) : nil,
            flags: single ? best.flags.map(\.rawValue) : nil, configurations: rows.count, classes: c, baselineAccuracy: accB,
            teacherAccuracy: accT, form: form.rawValue, gEstimator: gName, chiEstimator: chiName,
            model: fit != nil ? model.rawValue : "formula", g: single || g == .limit ? best.g : nil, chi: best.chi,
            chiSe: finite(fit?.standardErrors?.first),
            parameters: fit.map { f in zip(f.model.parameterNames, f.parameters).map { .init(name: $0.0, value: $0.1) } },
            pilotCount: pilotRuns.count,
            pilots: pilotRuns.map { .init(label: $0.label, observed: $0.distilledAccuracy,
                                          configuration: .init(GridPoint(setting: $0.setting, alphaH: $0.alphaH))) },
            intervalSource: fit?.intervalSource.rawValue ?? "unavailable", intervalLevel: 0.95,
            expectedError: chiChoice == .teacherMargin ? .init(ZeroShotRecord.teacherMargin)
                : chiChoice == .argmaxAgreement ? .init(ZeroShotRecord.argmaxAgreement) : nil,
            recommended: .init(configuration: .init(best.point), predictedAccuracy: best.predicted, lower: finite(best.lower),
                               upper: finite(best.upper), beatsNoChange: best.lower.map { $0 > accB },
                               tiedWith: rows.filter { $0.predicted == best.predicted }.count - 1),
            flagged: flagged.count, heldOut: heldOutSummary, teacherQuality: try teacherContext(),
            inputs: .init(pilots: pilots, pilotsSkippedLines: runs?.skippedLines ?? [], studentLogits: logs?.studentLogits,
                          teacherLogits: logs?.teacherLogits, labels: logs?.labels),
            warnings: warnings, manifest: folder.manifest(files: ["predictions.csv", "prediction.json"]),
            provenance: try Provenance(inputs: [pilots, logs?.studentLogits, logs?.teacherLogits, logs?.labels].compactMap { $0 }).record)
        let header = ["temperature", "alpha_h", "alpha", "hard_weight", "soft_weight", "predicted_accuracy", "lower", "upper", "g", "chi",
                      "is_pilot", "observed", "no_change", "teacher", "dual_interpolation", "teacher_gap_fraction"]
        let columns: [[Double]] = [
            rows.map(\.point.setting.temperature), rows.map { $0.point.alphaH ?? .nan }, rows.map(\.point.setting.alpha),
            rows.map(\.point.setting.hardWeight), rows.map(\.point.setting.softWeight), rows.map(\.predicted),
            rows.map { $0.lower ?? .nan }, rows.map { $0.upper ?? .nan }, rows.map(\.g), rows.map(\.chi),
            rows.map { $0.isPilot ? 1 : 0 }, rows.map { $0.observed ?? .nan },
            rows.map { _ in accB }, rows.map { _ in accT },
            rows.map { $0.point.setting.hardWeight * accB + $0.point.setting.softWeight * accT }, rows.map { $0.teacherGapFraction ?? .nan },
        ]
        let files: [(name: String, bytes: [UInt8])] = [
            ("predictions.csv", Writers.csv(header: header + ["flag"], columns: columns, trailingText: rows.map { PredictionGuard.cell($0.flags) })),
            ("prediction.json", summary.bytes()),
        ]
        return (files, Result(rows: rows, summary: summary, warnings: warnings, files: files.map { folder.file($0.name) }))
    }

    /// A `CalibrationError` as a one-line pipeline error naming the pilots file.
    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CalibrationError {
            throw PipelineError(file: pilots ?? "predict", problem: e.description, fix: "see spectralkd predict --help")
        }
    }
}

extension PredictJob {
    /// The teacher's calibration and the student's risk variances (docs/teacher.md) from the logs,
    /// as context beside the prediction: not an input to it (no evaluation here has shown that
    /// they improve it; the committed sweeps each hold one teacher).
    func teacherContext() throws -> PredictionSummary.TeacherContext? {
        guard let logs, let teacher = logs.teacherLogits else { return nil }
        let (r, risk, _, _) = try TeacherJob.assess(labels: logs.labels, teacher: LoggedOutputs(path: teacher, kind: .logits),
                                                    student: LoggedOutputs(path: logs.studentLogits, kind: .logits), bins: 15)
        return .init(accuracy: r.accuracy, logLoss: r.logLoss, brier: r.brier, ece: r.ece, bins: 15, entropy: r.entropy,
                     studentRiskVarianceReduction: risk?.varianceReduction)
    }
}
