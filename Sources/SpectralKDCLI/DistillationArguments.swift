import ArgumentParser
import Distillation
import Foundation
import Pipelines

/// `--g-estimator`: `limit` (g = 1, the default), `soft-trace` (diagnostic), `per-temperature`
/// (the old fit, comparison only), or a number.
enum GEstimatorArgument: ExpressibleByArgument, Equatable {
    case limit, softTrace, perTemperature
    case number(Double)

    init?(argument: String) {
        switch argument.lowercased() {
        case "limit", "1": self = .limit
        case "soft-trace": self = .softTrace
        case "per-temperature": self = .perTemperature
        default:
            guard let v = Double(argument), v.isFinite else { return nil }
            self = .number(v)
        }
    }

    static var allValueStrings: [String] { ["limit", "soft-trace", "per-temperature", "<number>"] }

    func choice(gamma: Double) -> PredictJob.GChoice {
        switch self {
        case .limit: .limit
        case .softTrace: .softTrace(gamma: gamma)
        case .perTemperature: .perTemperature
        case let .number(v): v == 1 ? .limit : .given(v)
        }
    }
}

/// `--chi-estimator`: `pilots`, `teacher-margin` (zero-shot), `argmax-agreement` (diagnostic), or a number.
enum ChiEstimatorArgument: ExpressibleByArgument, Equatable {
    case pilots, teacherMargin, argmaxAgreement
    case number(Double)

    init?(argument: String) {
        switch argument.lowercased() {
        case "pilots": self = .pilots
        case "teacher-margin": self = .teacherMargin
        case "argmax-agreement": self = .argmaxAgreement
        default:
            guard let v = Double(argument), v.isFinite else { return nil }
            self = .number(v)
        }
    }

    static var allValueStrings: [String] { ["pilots", "teacher-margin", "argmax-agreement", "<number>"] }

    var choice: PredictJob.ChiChoice {
        switch self {
        case .pilots: .pilots
        case .teacherMargin: .teacherMargin
        case .argmaxAgreement: .argmaxAgreement
        case let .number(v): .given(v)
        }
    }
}

extension FormulaForm: ExpressibleByArgument {}
extension PilotModel.Kind: ExpressibleByArgument {}
extension EvaluateJob.GroupBy: ExpressibleByArgument {}

/// Logged outputs for the log-based diagnostics, shared by `predict` and `evaluate`.
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A baseline student's test-set logits.", valueName: "file")) var studentLogits: String?
    @Option(help: ArgumentHelp("The teacher's test-set logits.", valueName: "file")) var teacherLogits: String?
    @Option(help: ArgumentHelp("Labels for the logits.", valueName: "file")) var labels: String?

    var estimates: LogEstimates? {
        studentLogits.map { LogEstimates(studentLogits: $0, teacherLogits: teacherLogits, labels: labels!) }
    }

    func validate() throws {
        if (studentLogits == nil) != (labels == nil) { throw ValidationError("--student-logits and --labels go together.") }
        if teacherLogits != nil && studentLogits == nil { throw ValidationError("--teacher-logits needs --student-logits and --labels.") }
    }
}

/// Prints warnings to standard error, one line each (never to stdout, which `--json` owns).
func printWarnings(_ warnings: [String]) {
    for w in warnings { FileHandle.standardError.write(Data(("warning: " + w + "\n").utf8)) }
}
extension FitJob.Matrix: ExpressibleByArgument {}
