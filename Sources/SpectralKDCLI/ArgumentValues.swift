import ArgumentParser
import ArrayIO
import Ensembles
import Fitting
import Pipelines

// Option values parsed once, by ArgumentParser, into the types the jobs take: a bad value is
// refused with the option's name and its valid values, and nothing downstream force-unwraps.

extension FitMethod: ExpressibleByArgument {}
extension GMPFitter.Sampler: ExpressibleByArgument {}
extension SampleWishartJob.Kind: ExpressibleByArgument {}
extension GeneralizedWishart.Entries: ExpressibleByArgument {}
extension SpectrumJob.TeacherPrecision: ExpressibleByArgument {}

/// `--q`: a positive number, or `free` to fit q.
enum QArgument: ExpressibleByArgument, Equatable {
    case free
    case value(Double)

    init?(argument: String) {
        if argument == "free" { self = .free; return }
        guard let v = Double(argument), v > 0, v.isFinite else { return nil }
        self = .value(v)
    }

    var defaultValueDescription: String { switch self { case .free: "free"; case let .value(v): String(v) } }
}

/// `auto`, `none` or a whole number: `--outliers` (a count) and `--index-col` (a column).
struct AutoNoneOrNumber: ExpressibleByArgument {
    enum Choice { case auto, none, number(Int) }
    let choice: Choice

    init?(argument: String) {
        switch argument {
        case "auto": choice = .auto
        case "none": choice = .none
        default:
            guard let k = Int(argument), k >= 0 else { return nil }
            choice = .number(k)
        }
    }

    init(_ choice: Choice) { self.choice = choice }

    var defaultValueDescription: String { switch choice { case .auto: "auto"; case .none: "none"; case let .number(k): String(k) } }

    /// As `--outliers`.
    var outlierMode: OutlierSeparation.Mode { switch choice { case .auto: .auto; case .none: .none; case let .number(k): .count(k) } }
    /// As `--index-col`.
    var indexColumn: CSVOptions.Index { switch choice { case .auto: .auto; case .none: .none; case let .number(k): .column(k) } }
}

/// `--alpha`: a non-negative number, or `inf` for soft labels only.
struct AlphaArgument: ExpressibleByArgument {
    let value: Double

    init?(argument: String) {
        if argument == "inf" { value = .infinity; return }
        guard let v = Double(argument), v >= 0, v.isFinite else { return nil }
        value = v
    }
}
