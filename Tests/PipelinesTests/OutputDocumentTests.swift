import ArrayIO
import Ensembles
import Foundation
import Pipelines
import Testing
import _TestSupport

/// Each typed output: what the writer put on disk decodes to the value the job returned, and
/// encoding that value again gives the file byte for byte, so writer and reader cannot drift.
@Suite struct OutputDocumentTests {
    func agree<D: OutputDocument & Equatable>(_ type: D.Type, _ file: String, _ written: D) throws {
        let read = try D.read(path: file)
        #expect(read == written, "\(file) decodes to another value")
        #expect(read.bytes() == Array(try Data(contentsOf: URL(fileURLWithPath: file))), "\(file) re-encodes to other bytes")
        #expect(read.schemaVersion == D.currentSchema)
    }

    /// Without Equatable (documents holding an embedded JSON value): the bytes must agree.
    func agreeBytes<D: OutputDocument>(_ type: D.Type, _ file: String) throws {
        let read = try D.read(path: file)
        #expect(read.bytes() == Array(try Data(contentsOf: URL(fileURLWithPath: file))), "\(file) re-encodes to other bytes")
    }

    @Test func spectrumFitExportAgree() throws {
        let folder = makeTemporaryFolder("documents")
        let (n, c) = (600, 30)
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 3)
        let (t, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: 4)
        writeFile(folder + "/y.npy", Writers.npy(int64: y, shape: [n]))
        writeFile(folder + "/z.npy", Writers.npy(float64: z, shape: [n, c]))
        writeFile(folder + "/t.npy", Writers.npy(float64: t, shape: [n, c]))
        let spectrum = try SpectrumJob(labels: folder + "/y.npy", student: LoggedOutputs(path: folder + "/z.npy", kind: .logits),
                                       teacher: LoggedOutputs(path: folder + "/t.npy", kind: .logits),
                                       outputFolder: folder + "/s").run(progress: false)
        try agree(SpectrumSummary.self, folder + "/s/summary.json", spectrum.summary)
        #expect(spectrum.summary.teacherAccuracy != nil && spectrum.summary.manifest.command == "spectrum")
        let fit = try FitJob(input: .spectrum(folder + "/s"), outputFolder: folder + "/f").run()
        try agree(FitSummary.self, folder + "/f/fit.json", fit.summary)
        #expect(try FitFolder(path: folder + "/f").law != nil)
        _ = try ExportJob(spectrum: folder + "/s", fit: folder + "/f", outputFolder: folder + "/e").run()
        try agreeBytes(ExportManifest.self, folder + "/e/manifest.json")
        let manifest = try ExportManifest.read(path: folder + "/e/manifest.json")
        #expect(try SpectrumSummary.decode(manifest.summary, file: "embedded") == spectrum.summary)
        #expect(manifest.fitResult?.scale == fit.summary.scale)
    }

    @Test func simulationAndMatrixFreeAgree() throws {
        let folder = makeTemporaryFolder("documents")
        let planted = try PlantedClassifier(classes: 12, accuracy: 0.6, temperature: 1, teacherAccuracy: 0.7, agreement: 0.8)
        let simulated = try SimulateJob(classes: 12, samples: 400, planted: planted, replicas: 3, seed: 4, outputFolder: folder + "/sim").run()
        try agree(SimulationSummary.self, folder + "/sim/summary.json", simulated.summary)
        #expect(try SpectrumFolder(path: folder + "/sim").summary is SimulationSummary)
        let free = try MatrixFreeJob(labels: fixture("labels.npy"), student: LoggedOutputs(path: fixture("logits_f32.npy"), kind: .logits),
                                     tolerance: 0.2, failure: 0.05, seed: 1, outputFolder: folder + "/mf").run()
        try agree(MatrixFreeSummary.self, folder + "/mf/summary.json", free.summary)
        // The reader of spectrum folders names the matrix-free summary instead of misreading it.
        #expect { try SpectrumFolder(path: folder + "/mf") } throws: { "\($0)".contains("has no eigenvalues.csv") || "\($0)".contains("matrix-free") }
    }

    @Test func predictionAndEvaluationAgree() throws {
        let folder = makeTemporaryFolder("documents")
        let runs = fixture("reduction/small_sweep.csv")
        let evaluation = try EvaluateJob(runs: runs, reduction: 1, outputFolder: folder + "/ev").run()
        try agreeBytes(EvaluationMetrics.self, folder + "/ev/metrics.json")
        let metrics = try EvaluationMetrics.read(path: folder + "/ev/metrics.json")
        #expect(metrics.formula?.mae == evaluation.metrics.formula?.mae && metrics.reduction?.k == 1)
        #expect(try EvaluationFolder(path: folder + "/ev").metric("formula", \.mae) == evaluation.metrics.formula?.mae)
        let prediction = try PredictJob(pilots: runs, points: [], outputFolder: folder + "/p").run()
        try agreeBytes(PredictionSummary.self, folder + "/p/prediction.json")
        let read = try PredictionSummary.read(path: folder + "/p/prediction.json")
        #expect(read.chi == prediction.summary.chi && read.recommended.configuration == prediction.summary.recommended.configuration)
    }

    /// A reader names the file, the key path and what was wrong, and refuses files of another schema.
    @Test func readersRefuseWithTheKeyPath() throws {
        let folder = makeTemporaryFolder("documents")
        let spectrum = try SpectrumJob(labels: fixture("labels.npy"), student: LoggedOutputs(path: fixture("logits_f32.npy"), kind: .logits),
                                       outputFolder: folder + "/s").run(progress: false)
        let good = spectrum.summary.json()
        func message(_ value: JSONValue) -> String {
            do { _ = try SpectrumSummary.decode(value, file: "summary.json"); return "read" } catch { return "\(error)" }
        }
        #expect(message(good) == "read")
        #expect(message(good.adding([("q", .string("0.02"))])).hasPrefix("summary.json: \"q\": expected a number, found the string"))
        #expect(message(good.adding([("schema_version", .int(2))])).contains("newer than the 1"))
        guard case let .object(pairs) = good else { Issue.record("not an object"); return }
        #expect(message(.object(pairs.filter { $0.0 != "schema_version" })).contains("has no schema_version"))
        #expect(message(.object(pairs.filter { $0.0 != "accuracy" })) == "summary.json: has no \"accuracy\"; re-run spectralkd spectrum with this version")
        let badManifest = good.adding([("manifest", .object([("run_id", .string("x")), ("command", .int(3)), ("files", .array([]))]))])
        #expect(message(badManifest).contains("\"manifest.command\": expected a string"))
        let badRow = good.adding([("gamma_limit", .array([.object([("gamma", .double(1))])]))])
        #expect(message(badRow).contains("gamma_limit[0].temperature"))
    }
}
