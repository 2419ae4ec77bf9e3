import ArrayIO
import Foundation
import Reporting

/// `spectralkd plot`: one standalone SVG, of a spectrum (histogram, KDE, fitted law, support
/// edges) or of an evaluation (predicted against observed accuracy, with the baselines).
public struct PlotJob: Sendable {
    public enum Source: Sendable {
        /// A `spectrum`/`simulate` folder, an optional `fit` folder, and whether to draw Hhat.
        case spectrum(folder: String, fit: String?, teacher: Bool)
        /// The fit's verdict as pictures: ECDF against the fitted CDF, or a Q-Q plot.
        case fitDiagnostic(folder: String, fit: String, teacher: Bool, view: DiagnosticView)
        /// An `evaluate` folder.
        case evaluation(String)
        /// A `predict` folder.
        case prediction(String)
    }

    public enum DiagnosticView: String, Sendable, CaseIterable { case cdf, qq }

    public var source: Source
    public var output: String
    /// Draw a fit beside a spectrum it was not fitted to.
    public var allowMixed = false

    public init(source: Source, output: String, allowMixed: Bool = false) {
        self.source = source; self.output = output; self.allowMixed = allowMixed
    }

    public func run() throws -> JSONValue {
        var figure: Figure
        var pairs: [(String, JSONValue)]
        switch source {
        case let .spectrum(folder, fitPath, teacher):
            let spectrum = try SpectrumFolder(path: folder)
            let fit = try fitPath.map { try FitFolder(path: $0) }
            if let fit {
                if teacher != (fit.matrix == "hhat") {
                    throw PipelineError("--fit describes \(fit.matrix == "hhat" ? "Hhat" : "H"): \(teacher ? "drop --teacher" : "add --teacher") to draw it, or drop --fit")
                }
                try fit.requireFitted(to: spectrum, teacher: teacher, allowMixed: allowMixed)
            }
            let values: [Double]
            if teacher {
                guard let t = spectrum.teacherBulk else {
                    throw PipelineError(file: folder, problem: "has no teacher_eigenvalues.csv", fix: "run spectrum with --teacher-logits, or drop --teacher")
                }
                values = t
            } else {
                values = spectrum.bulk
            }
            let data = try SpectrumFigureData(eigenvalues: values, fit: fit, which: teacher ? "Hhat" : "H")
            figure = data.figure(title: Self.spectrumTitle(spectrum, teacher: teacher))
            pairs = [("kind", .string("spectrum")), ("spectrum", .string(folder)), ("fit", fitPath.map { .string($0) } ?? .null),
                     ("matrix", .string(teacher ? "hhat" : "h")), ("eigenvalues", .int(values.count)),
                     ("bins", .int(data.histogram.counts.count)), ("bandwidth", .double(data.bandwidth)),
                     ("bandwidth_method", .string(data.bandwidthMethod)), ("fit_adequate", fit.map { .bool($0.adequate) } ?? .null)]
        case let .fitDiagnostic(folder, fitPath, teacher, view):
            let spectrum = try SpectrumFolder(path: folder)
            let fit = try FitFolder(path: fitPath)
            try fit.requireFitted(to: spectrum, teacher: teacher, allowMixed: allowMixed)
            guard let values = teacher ? spectrum.teacherBulk : spectrum.bulk else {
                throw PipelineError(file: folder, problem: "has no teacher_eigenvalues.csv", fix: "run spectrum with --teacher-logits, or drop --teacher")
            }
            let diagnostics = try FitDiagnostics(eigenvalues: values, fit: fit)
            let shape = "C = \(spectrum.summary.classes), N = \(spectrum.summary.samples)"
            let matrix = teacher ? "Hhat" : "H"
            figure = view == .cdf ? diagnostics.cdfFigure(title: "\(matrix): empirical against fitted CDF (\(shape))")
                : diagnostics.quantileFigure(title: "\(matrix): Q-Q plot against the fitted law (\(shape))")
            pairs = [("kind", .string(view.rawValue)), ("spectrum", .string(folder)), ("fit", .string(fitPath)),
                     ("ks", .double(diagnostics.ks)), ("eigenvalues", .int(values.count))]
        case let .evaluation(folder):
            let evaluation = try EvaluationFolder(path: folder)
            figure = evaluation.figure(title: "Distilled accuracy: predicted against observed")
            pairs = [("kind", .string("evaluation")), ("evaluate", .string(folder)),
                     ("configurations", .int(evaluation.observed.count)), ("formula_mae", evaluation.metric("formula", \.mae).map { .double($0) } ?? .null)]
        case let .prediction(folder):
            let prediction = try PredictionFolder(path: folder)
            figure = prediction.figure(title: "Distilled accuracy predicted from pilots")
            pairs = [("kind", .string("prediction")), ("predict", .string(folder)), ("configurations", .int(prediction.predicted.count))]
        }
        pairs += [("title", .string(figure.title)), ("series", .array(figure.series.compactMap(\.label).map { .string($0) })),
                  ("width", .int(Int(figure.width))), ("height", .int(Int(figure.height))), ("output", .string(output))]
        let inputs: [String]
        switch source {
        case let .spectrum(folder, fit, _): inputs = [folder] + (fit.map { [$0] } ?? [])
        case let .fitDiagnostic(folder, fit, _, _): inputs = [folder, fit]
        case let .evaluation(folder), let .prediction(folder): inputs = [folder]
        }
        let provenance = try Provenance(inputs: inputs)
        figure.metadata = provenance.lines
        pairs.append(("provenance", provenance.json))
        var transaction = OutputTransaction()
        transaction.add(output, Array(figure.svg().utf8))
        try transaction.commit()
        return .object(pairs)
    }

    static func spectrumTitle(_ s: SpectrumFolder, teacher: Bool) -> String {
        let summary = s.summary
        var parts = ["C = \(summary.classes)", "N = \(summary.samples)"]
        if let t = teacher ? summary.teacherTemperature : summary.temperature { parts.append("T = \(shortNumber(t))") }
        if summary is SimulationSummary { parts.append("\(summary.pooledReplicas) replicas pooled") }
        let name = teacher ? "Spectrum of Hhat (student against teacher)" : "Spectrum of H (student against labels)"
        return "\(name): \(parts.joined(separator: ", "))"
    }
}
