import ArrayIO
import Foundation

/// `spectralkd export`: tidy CSVs for notebooks, and a JSON manifest naming each file, its
/// columns and what it holds, so a notebook needs no knowledge of SpectralKD's folders.
public struct ExportJob: Sendable {
    public var spectrum: String
    public var fit: String?
    public var evaluations: [String]
    public var outputFolder: String
    /// Export a fit beside a spectrum it was not fitted to.
    public var allowMixed: Bool

    public init(spectrum: String, fit: String? = nil, evaluations: [String] = [], outputFolder: String = "export-out", allowMixed: Bool = false) {
        self.spectrum = spectrum; self.fit = fit; self.evaluations = evaluations; self.outputFolder = outputFolder; self.allowMixed = allowMixed
    }

    public func run() throws -> JSONValue {
        try RunFolder.write(outputFolder, command: "export", summaryName: "manifest.json",
                            knownOutputs: ["manifest.json", "histogram.csv", "kde.csv", "theory.csv", "eigenvalues.csv",
                                           "teacher_histogram.csv", "teacher_kde.csv", "teacher_theory.csv"]) { run in
            try export(into: run)
        }
    }

    func export(into run: RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: JSONValue) {
        let folder = try SpectrumFolder(path: spectrum)
        let fitFolder = try fit.map { try FitFolder(path: $0) }
        try fitFolder?.requireFitted(to: folder, allowMixed: allowMixed)
        let data = try SpectrumFigureData(eigenvalues: folder.bulk, fit: fitFolder)
        var written: [(name: String, bytes: [UInt8])] = []
        var entries: [ExportManifest.File] = []
        func add(_ name: String, _ bytes: [UInt8], _ columns: [String], _ description: String) {
            written.append((name, bytes))
            entries.append(.init(name: name, columns: columns, description: description))
        }
        let descriptions = [
            "histogram.csv": (["left", "right", "count", "density"], "eigenvalue histogram of H (Freedman-Diaconis bins; density = count / (n width))"),
            "kde.csv": (["x", "density"], "FFT kernel density estimate of the eigenvalues of H (bandwidth \(data.bandwidthMethod) = \(data.bandwidth))"),
            "theory.csv": (["x", "density"], "fitted generalised Marchenko-Pastur density (continuous part; the atom at 0 is in manifest fit.atom)"),
        ]
        for file in data.exportFiles() { add(file.name, file.bytes, descriptions[file.name]!.0, descriptions[file.name]!.1) }
        add("eigenvalues.csv", Writers.csv(header: ["eigenvalue"], columns: [folder.bulk]), ["eigenvalue"],
            "eigenvalues of H, ascending, structural zero removed")
        if let teacher = folder.teacherBulk {
            let t = try SpectrumFigureData(eigenvalues: teacher, fit: nil, which: "Hhat")
            for file in t.exportFiles(prefix: "teacher_") {
                let base = String(file.name.dropFirst("teacher_".count))
                add(file.name, file.bytes, descriptions[base]!.0, descriptions[base]!.1.replacingOccurrences(of: " of H", with: " of Hhat"))
            }
        }
        var evaluationEntries: [ExportManifest.Evaluation] = []
        var used: Set<String> = []
        for (i, path) in evaluations.enumerated() {
            let evaluation = try EvaluationFolder(path: path)
            // Named after the evaluate folder (predictions_evaluate-published.csv), numbered on a clash.
            let base = ((path as NSString).standardizingPath as NSString).lastPathComponent
            var name = "predictions_\(base).csv"
            if used.contains(name) { name = "predictions_\(base)_\(i + 1).csv" }
            used.insert(name)
            let source = (path as NSString).appendingPathComponent("predictions.csv")
            guard let bytes = FileManager.default.contents(atPath: source) else { throw ArrayIOError.cannotOpen(file: source, reason: "unreadable") }
            let header = try TextTable.read(path: source).header
            add(name, Array(bytes), header, "per-configuration observed and predicted distilled accuracy (fractions) from \(path)")
            evaluationEntries.append(.init(file: name, source: path, metrics: evaluation.metrics))
        }
        let fitResult = fitFolder.map { folder in
            let f = folder.summary
            return ExportManifest.FitResult(adequate: f.adequate, reason: f.reason, q: f.q, scale: f.scale, correlation: f.correlation,
                                            support: f.support, atom: f.atom, ks: f.ks, pValue: f.pValue)
        }
        let manifest = ExportManifest(
            spectrum: spectrum, fit: fit, summary: folder.summary.json(), fitResult: fitResult, evaluations: evaluationEntries,
            files: entries, manifest: run.manifest(files: written.map(\.name) + ["manifest.json"]),
            provenance: try Provenance(inputs: [spectrum] + (fit.map { [$0] } ?? []) + evaluations).record)
        written.append(("manifest.json", manifest.bytes()))
        return (written, .object([("output", .string(outputFolder)), ("files", .array((entries.map(\.name) + ["manifest.json"]).map { .string($0) })),
                                  ("provenance", plainJSON(manifest.provenance))]))
    }
}
