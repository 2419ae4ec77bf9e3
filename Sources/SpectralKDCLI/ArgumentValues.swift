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

/// `--outliers`: `auto`, `none` or a count.
struct OutliersArgument: ExpressibleByArgument {
    let mode: OutlierSeparation.Mode

    init?(argument: String) {
        switch argument {
        case "auto": mode = .auto
        case "none": mode = .none
        default:
            guard let k = Int(argument), k >= 0 else { return nil }
            mode = .count(k)
        }
    }

    init(_ mode: OutlierSeparation.Mode) { self.mode = mode }

    var defaultValueDescription: String { switch mode { case .auto: "auto"; case .none: "none"; case let .count(k): String(k) } }
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

/// `--index-col`: a column number, `none`, or `auto` (pandas' index column detected).
struct IndexColumnArgument: ExpressibleByArgument {
    let choice: CSVOptions.Index

    init?(argument: String) {
        switch argument {
        case "auto": choice = .auto
        case "none": choice = .none
        default:
            guard let k = Int(argument), k >= 0 else { return nil }
            choice = .column(k)
        }
    }

    init(_ choice: CSVOptions.Index) { self.choice = choice }

    var defaultValueDescription: String { switch choice { case .auto: "auto"; case .none: "none"; case let .column(k): String(k) } }
}
