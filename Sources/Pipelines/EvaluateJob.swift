import ArrayIO
import Distillation
import Foundation

/// `spectralkd evaluate`: the formula against observed runs it was not fitted on, beside the
/// baselines of docs/theory.md §5.5, by leave-one-out (always) and k-pilot reduction (`reduction`).
public struct EvaluateJob: Sendable {
    /// Calibrate within groups of a published table (never one pool across tasks).
    public enum GroupBy: String, Sendable, CaseIterable { case source, dataset, pair }

    public var runs: String
    public var form: FormulaForm
    public var g: PredictJob.GChoice
    /// nil: `pilots` (the formula's one parameter fitted on the other runs).
    public var chi: PredictJob.ChiChoice?
    public var model: PilotModel.Kind
    public var logs: LogEstimates?
    /// k of the k-pilot reduction; nil for leave-one-out only.
    public var reduction: Int?
    /// Random pilot sets instead of all k-subsets.
    public var subsets: Int?
    public var seed: UInt64
    public var groupBy: GroupBy?
    public var outputFolder: String
    /// All k-subsets are enumerated up to this many; beyond it `subsets` is required.
    public static let exhaustiveLimit = 20000

    public init(runs: String, form: FormulaForm = .dual, g: PredictJob.GChoice = .limit, chi: PredictJob.ChiChoice? = nil,
                model: PilotModel.Kind = .softWeight, logs: LogEstimates? = nil, reduction: Int? = nil, subsets: Int? = nil,
                seed: UInt64 = 1, groupBy: GroupBy? = nil, outputFolder: String = "evaluate-out") {
        self.runs = runs; self.form = form; self.g = g; self.chi = chi; self.model = model; self.logs = logs
        self.reduction = reduction; self.subsets = subsets; self.seed = seed; self.groupBy = groupBy; self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public let configurations: [ObservedConfiguration]
        /// Leave-one-out predictions of the formula (NaN where it could not be fitted).
        public let formula: [Double]
        public let metrics: EvaluationMetrics
        public let reductions: [(group: String, reduction: PilotReduction)]
        public let warnings: [String]
        public let files: [String]
    }

    /// The formula as a held-out predictor: fitted on the pilots (chi = pilots) or zero-shot.
    func formulaPredictor(gByT: [Double: Double], chiValue: Double?) -> HeldOutPredictor {
        let form = form, g = g, model = model
        if g == .perTemperature { return .perTemperature(form: form, name: "formula") }
        if let chiValue {
            return HeldOutPredictor(name: "formula") { _, heldOut in
                heldOut.map { r in
                    let chi = chiValue.isNaN ? Estimators.chiFromTeacherMargin(teacherAccuracy: r.teacherAccuracy, baselineAccuracy: r.baselineAccuracy,
                                                                               classes: r.classes) : chiValue
                    return PredictionGuard.clipped(DistilledAccuracyPrediction(classes: r.classes, baselineAccuracy: r.baselineAccuracy, setting: r.setting,
                                                                              g: gByT[r.setting.temperature] ?? 1, chi: chi, form: form,
                                                                              gEstimator: "", chiEstimator: "").predictedAccuracy)
                }
            }
        }
        var gValue = 1.0
        if case let .given(v) = g { gValue = v }
        return .model(PilotModel(kind: model, g: gValue, form: model == .softWeight ? form : .dual), name: "formula")
    }

    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "evaluate", summaryName: "metrics.json",
                            knownOutputs: ["metrics.json", "predictions.csv", "reduction.csv"]) { try evaluate(into: $0) }
    }

    func evaluate(into folder: RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: Result) {
        let file = try RunsFile(path: runs)
        var warnings = file.warnings
        let configs = file.configurations
        let chiChoice = chi ?? .pilots
        if model != .softWeight && (chiChoice != .pilots || g != .limit || form != .dual) {
            throw PipelineError("--model \(model.rawValue) is fitted on pilots at the limit (g = 1, dual form, chi from pilots)")
        }
        if case .softTrace = g, chiChoice == .pilots {
            throw PipelineError("--g-estimator soft-trace is a diagnostic for zero-shot chi (teacher-margin, argmax-agreement or a number)")
        }
        // Zero-shot chi: a number, or NaN meaning "teacher margin of each configuration".
        var chiValue: Double?
        var gByT: [Double: Double] = [:]
        switch chiChoice {
        case .pilots: break
        case .teacherMargin: chiValue = .nan
        case let .given(v): chiValue = v
        case .argmaxAgreement:
            guard let logs else { throw PipelineError("\(runs): --chi-estimator argmax-agreement needs --student-logits, --teacher-logits and --labels") }
            let traces = try logs.limitTraces()
            try logs.check(traces, classes: configs[0].classes, baselineAccuracy: configs[0].baselineAccuracy)
            chiValue = try logs.chiByArgmaxAgreement(traces)
        }
        let temperatures = Array(Set(configs.map(\.setting.temperature))).sorted()
        for t in temperatures {
            switch g {
            case .limit, .perTemperature: gByT[t] = 1
            case let .given(v): gByT[t] = v
            case let .softTrace(gamma):
                guard let logs else { throw PipelineError("\(runs): --g-estimator soft-trace needs --student-logits and --labels") }
                gByT[t] = try logs.gBySoftTrace(temperature: t, gamma: gamma)
                if t == temperatures.first { warnings.append("g by soft-trace at gamma = \(formatNumber(gamma)) is a diagnostic (soft trace, not accuracy)") }
            }
        }

        // Groups.
        let groupNames: [String] = try configs.map { c in
            guard let groupBy else { return "all" }
            let name: String? = switch groupBy { case .source: c.source; case .dataset: c.dataset; case .pair: c.pair }
            guard let name else {
                throw PipelineError(file: runs, problem: "line \(c.lines.first ?? 0) has no \(groupBy.rawValue) to group by",
                                    fix: groupBy == .pair ? "give teacher and student columns, or drop --group-by" : "give a \(groupBy.rawValue) column, or drop --group-by")
            }
            return name
        }
        var order: [String] = []
        for n in groupNames where !order.contains(n) { order.append(n) }
        if groupBy == nil, file.layout == .published {
            let tasks = Set(configs.compactMap { $0.dataset ?? $0.source })
            if tasks.count > 1 {
                warnings.append("\(runs) mixes \(tasks.count) datasets/sources calibrated as one pool; use --group-by dataset or --group-by source to calibrate within each")
            }
        }
        let predictors = [formulaPredictor(gByT: gByT, chiValue: chiValue)] + HeldOutPredictor.baselines
            + [.perTemperature(form: form, name: "per_temperature")]

        // Leave-one-out within each group.
        let evaluation = LeaveOneOut(configs, groups: groupNames, predictors: predictors)
        let (loo, flags, evaluated, observed) = (evaluation.predictions, evaluation.flags, evaluation.evaluated, evaluation.observed)
        guard !evaluated.isEmpty else {
            throw PipelineError(file: runs, problem: "no configuration could be predicted from the others (groups of one configuration, or too few runs for \(chiChoice == .pilots ? model.rawValue : "the formula"))",
                                fix: "evaluation needs at least 2 configurations per group")
        }
        let gName: String = {
            switch g { case .limit: "limit (g = 1)"; case .given: "given"; case .perTemperature: "per-temperature"
            case let .softTrace(gamma): "soft-trace at gamma = \(formatNumber(gamma)) (soft trace, not accuracy)" }
        }()
        let chiName: String = {
            if g == .perTemperature { return "per-temperature" }
            switch chiChoice { case .pilots: return "pilots (leave-one-out)"; case .teacherMargin: return "teacher-margin"
            case .argmaxAgreement: return "argmax-agreement"; case .given: return "given" }
        }()
        if chiChoice == .teacherMargin { warnings.append("teacher-margin chi with g = 1 is the dual-weight interpolation baseline, number for number") }
        if g == .perTemperature { warnings.append(Calibration.warning) }
        let flagged = evaluated.filter { !flags[$0].isEmpty }
        if !flagged.isEmpty { warnings.append("\(flagged.count) leave-one-out prediction(s) of the formula flagged (see the flag column)") }
        let seSet = configs.compactMap(\.distilledStandardError)
        let noiseFloor = seSet.isEmpty ? nil : 100 * seSet.reduce(0, +) / Double(seSet.count)

        var summary = EvaluationMetrics(
            runs: runs, layout: file.layout.rawValue, configurations: configs.count, evaluated: evaluated.count, form: form.rawValue,
            gEstimator: gName, chiEstimator: chiName, model: chiChoice == .pilots && g != .perTemperature ? model.rawValue : "formula",
            groupBy: groupBy?.rawValue, groups: order,
            note: "errors in accuracy points (100 x fraction); bias = mean(predicted - observed); every fitted predictor (the formula with chi from pilots, teacher_gap_fraction, per_temperature) is fitted on the other configurations of its group (leave-one-out)",
            noiseFloorPoints: noiseFloor, formulaBeats: .init(), flagged: flagged.count,
            skippedRows: .init(count: file.skippedLines.count, lines: Array(file.skippedLines.prefix(20))),
            warnings: [], manifest: folder.manifest(files: []), provenance: try Provenance(inputs: []).record)
        for (j, p) in predictors.enumerated() { summary.set(p.name, evaluation.metrics(j), wins: evaluation.firstWins(against: j)) }

        // k-pilot reduction.
        var reductions: [(group: String, reduction: PilotReduction)] = []
        var written: [(name: String, bytes: [UInt8])] = []
        if let k = reduction {
            var reductionPredictors = predictors
            if chiChoice == .pilots && g == .limit && form == .dual {
                for kind in PilotModel.Kind.allCases where kind != model {
                    reductionPredictors.append(.model(PilotModel(kind: kind), name: "model:" + kind.rawValue))
                }
            }
            for name in order {
                let members = configs.indices.filter { groupNames[$0] == name }.map { configs[$0] }
                guard members.count > k else {
                    warnings.append("group '\(name)' has \(members.count) configuration(s), too few for \(k) pilots and one held out; skipped in the reduction")
                    continue
                }
                let all = PilotReduction.count(members.count, k)
                if subsets == nil && all > Self.exhaustiveLimit {
                    throw PipelineError(file: runs, problem: "group '\(name)' has \(all) pilot sets of size \(k)", fix: "sample them with --subsets S --seed N")
                }
                reductions.append((name, PilotReduction(configurations: members, k: k, predictors: reductionPredictors, subsets: subsets, seed: seed)))
            }
            guard !reductions.isEmpty else {
                throw PipelineError(file: runs, problem: "no group has more than \(k) configurations", fix: "use a smaller --reduction")
            }
            summary.reduction = EvaluationMetrics.Reduction(
                k: k, exhaustive: subsets == nil, subsets: subsets, seed: subsets == nil ? nil : Int(seed),
                pilotSets: reductions.map(\.reduction.sets.count).reduce(0, +),
                pooled: PilotReduction.pooled(reductions.map(\.reduction)).map(EvaluationMetrics.ReductionSummary.init),
                groups: reductions.map { .init(group: $0.group, summaries: $0.reduction.summaries.map(EvaluationMetrics.ReductionSummary.init)) })
            // One row per pilot set: which pilots, each predictor's held-out MAE.
            let names = reductions[0].reduction.predictors
            var text: [String] = [], pilotsText: [String] = [], columns = [[Double]](repeating: [], count: names.count)
            for (group, r) in reductions {
                let members = configs.indices.filter { groupNames[$0] == group }.map { configs[$0] }
                for set in r.sets {
                    text.append(group)
                    pilotsText.append(set.pilots.map { members[$0].label }.joined(separator: " | "))
                    for j in names.indices { columns[j].append(set.mae[j] ?? .nan) }
                }
            }
            let csv = Writers.csv(header: ["group"] + names.map { "mae_" + $0.replacingOccurrences(of: "model:", with: "model_").replacingOccurrences(of: "-", with: "_") } + ["pilots"],
                                  text: text, columns: columns, trailingText: pilotsText)
            written.append(("reduction.csv", csv))
        }
        summary.warnings = warnings
        summary.manifest = folder.manifest(files: written.map(\.name) + ["predictions.csv", "metrics.json"])
        summary.provenance = try Provenance(inputs: [runs, logs?.studentLogits, logs?.teacherLogits, logs?.labels].compactMap { $0 },
                                            seed: subsets == nil ? nil : seed).record

        let header = ["label", "group", "classes", "temperature", "alpha_h", "alpha", "hard_weight", "soft_weight", "baseline", "teacher_accuracy",
                      "observed", "observed_se", "seeds"] + predictors.map(\.name) + predictors.map { "residual_" + $0.name } + ["flag"]
        var columns: [[Double]] = [
            configs.map { Double($0.classes) }, configs.map(\.setting.temperature), configs.map { $0.alphaH ?? .nan },
            configs.map(\.setting.alpha), configs.map(\.setting.hardWeight), configs.map(\.setting.softWeight),
            configs.map(\.baselineAccuracy), configs.map(\.teacherAccuracy), observed, configs.map { $0.distilledStandardError ?? .nan },
            configs.map { Double($0.seeds) },
        ]
        columns += loo
        columns += loo.indices.map(evaluation.residuals)
        written.append(("predictions.csv", Writers.csv(header: header, leadingText: [configs.map(\.label), groupNames], columns: columns,
                                                       trailingText: configs.indices.map { PredictionGuard.cell(flags[$0]) })))
        written.append(("metrics.json", summary.bytes()))
        return (written, Result(configurations: configs, formula: loo[0], metrics: summary, reductions: reductions, warnings: warnings,
                                files: written.map { folder.file($0.name) }))
    }
}
