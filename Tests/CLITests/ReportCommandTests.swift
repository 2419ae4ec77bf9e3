import ArrayIO
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import _TestSupport

/// True when `text` parses as XML.
func isWellFormed(_ text: String) -> Bool { XMLParser(data: Data(text.utf8)).parse() }

/// The repository's root (for the committed data/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A simulated spectrum with a teacher (87 eigenvalues pooled) and a fit of it.
struct FittedSpectrum {
    let folder = makeTemporaryFolder("spectralkd-plot")
    var spectrum: String { folder + "/sim" }
    var fit: String { folder + "/fit" }

    init() throws {
        let sim = try spectralkd(["simulate", "--classes", "30", "--samples", "900", "--accuracy", "0.5", "--replicas", "3", "--seed", "5",
                                  "--teacher-accuracy", "0.6", "--agreement", "0.7", "--out", folder + "/sim", "--json"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let fit = try spectralkd(["fit", "--spectrum", folder + "/sim", "--bootstrap", "0", "--out", folder + "/fit", "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
    }

    /// Rewrites a key of a JSON file in place (to fake a bad fit or a failed identity).
    func edit(_ file: String, _ key: String, _ value: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "\"\(key)\": [^,\\n]*")
        let edited = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "\"\(key)\": \(value)")
        try edited.write(toFile: file, atomically: true, encoding: .utf8)
    }
}

@Suite struct PlotCommandTests {
    @Test func spectrumWithFit() throws {
        let s = try FittedSpectrum()
        let out = s.folder + "/spectrum.svg"
        let run = try spectralkd(["plot", "--spectrum", s.spectrum, "--fit", s.fit, "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(summary["eigenvalues"] as? Int == 87 && summary["fit_adequate"] is Bool)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(isWellFormed(svg))
        #expect(svg.contains("eigenvalue of H") && svg.contains("GMP fit") && svg.contains("support edges") && svg.contains("fit "))
        // One bar per non-empty bin (their counts are in the export), inside the clip group.
        let bins = summary["bins"] as! Int
        #expect(bins >= 10 && svg.components(separatedBy: "fill-opacity=\"0.45\" stroke=").count >= 2)
        #expect(!svg.lowercased().contains("nan"))
    }

    @Test func teacherAndEvaluation() throws {
        let s = try FittedSpectrum()
        let teacher = try spectralkd(["plot", "--spectrum", s.spectrum, "--teacher", "--out", s.folder + "/t.svg"])
        #expect(teacher.status == 0, "\(teacher.stderr)")
        #expect(try String(contentsOfFile: s.folder + "/t.svg", encoding: .utf8).contains("eigenvalue of Hhat"))
        let runs = s.folder + "/runs.csv"
        try DistillationRuns.handMade.write(toFile: runs, atomically: true, encoding: .utf8)
        #expect(try spectralkd(["evaluate", "--runs", runs, "--out", s.folder + "/eval"]).status == 0)
        let plot = try spectralkd(["plot", "--evaluate", s.folder + "/eval", "--out", s.folder + "/e.svg", "--json"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let svg = try String(contentsOfFile: s.folder + "/e.svg", encoding: .utf8)
        #expect(isWellFormed(svg) && svg.contains("identity") && svg.contains("formula: MAE") && svg.contains("teacher-gap fraction: MAE"))
    }

    @Test func badInputLeavesNoFile() throws {
        let s = try FittedSpectrum()
        let out = s.folder + "/never.svg"
        let cases: [([String], String)] = [
            (["plot", "--spectrum", s.folder + "/missing", "--out", out], "is not a folder"),
            (["plot", "--spectrum", s.fit, "--out", out], "has no summary.json"),
            (["plot", "--spectrum", s.spectrum, "--teacher", "--fit", s.fit, "--out", out], "--fit describes H"),
            (["plot", "--evaluate", s.spectrum, "--out", out], "has no predictions.csv"),
            (["plot", "--spectrum", s.spectrum, "--fit", s.spectrum, "--out", out], "has no fit.json"),
        ]
        for (arguments, message) in cases {
            let run = try spectralkd(arguments)
            #expect(run.status == 1 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
        #expect(try spectralkd(["plot", "--out", out]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite struct ExportCommandTests {
    @Test func tidyFilesAndManifest() throws {
        let s = try FittedSpectrum()
        let out = s.folder + "/export"
        let run = try spectralkd(["export", "--spectrum", s.spectrum, "--fit", s.fit, "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(filesIn(out) == ["eigenvalues.csv", "histogram.csv", "kde.csv", "manifest.json", "teacher_histogram.csv",
                                 "teacher_kde.csv", "theory.csv"])
        let histogram = try CSVTable.read(path: out + "/histogram.csv")
        #expect(histogram.columnNames == ["left", "right", "count", "density"])
        let left = try histogram.column(named: "left", file: ""), right = try histogram.column(named: "right", file: "")
        let count = try histogram.column(named: "count", file: ""), density = try histogram.column(named: "density", file: "")
        #expect(count.reduce(0, +) == 87)
        var mass = 0.0
        for i in density.indices { mass += density[i] * (right[i] - left[i]) }
        #expect(abs(mass - 1) < 1e-12)
        #expect(zip(left.dropFirst(), right).allSatisfy { $0 == $1 })
        // The KDE integrates to 1, the law's continuous part to 1 - atom.
        for (file, target) in [("kde.csv", 1.0), ("theory.csv", 1.0)] {
            let t = try CSVTable.read(path: out + "/" + file)
            let x = try t.column(named: "x", file: file), f = try t.column(named: "density", file: file)
            var integral = 0.0
            for i in 1..<x.count { integral += (x[i] - x[i - 1]) * (f[i] + f[i - 1]) / 2 }
            #expect(abs(integral - target) < 2e-3, "\(file): \(integral)")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        let names = (manifest["files"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(Set(names + ["manifest.json"]) == Set(filesIn(out)))
        #expect((manifest["fit_result"] as? [String: Any])?["adequate"] is Bool)
    }
}

@Suite struct ReportCommandTests {
    @Test func sectionsFiguresAndNoExternalAssets() throws {
        let s = try FittedSpectrum()
        let out = s.folder + "/report.html"
        let run = try spectralkd(["report", "--spectrum", s.spectrum, "--fit", s.fit, "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(summary["figures"] as? Int == 4)  // histogram, ECDF, Q-Q, Hhat
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("Accuracy identity") && html.contains("identity holds") && html.contains("KS statistic"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        for forbidden in ["<script", " src=", "href=\"http"] { #expect(!html.contains(forbidden)) }
    }

    /// A bad fit and a failed identity are warnings at the top, never hidden.
    @Test func badNewsIsAWarning() throws {
        let s = try FittedSpectrum()
        try s.edit(s.fit + "/fit.json", "adequate", "false")
        try s.edit(s.fit + "/fit.json", "reason", "\"planted test reason\"")
        try s.edit(s.spectrum + "/summary.json", "identity_holds", "false")
        let out = s.folder + "/report.html"
        let run = try spectralkd(["report", "--spectrum", s.spectrum, "--fit", s.fit, "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let warnings = summary["warnings"] as! [String]
        #expect(warnings.count == 2 && warnings.contains { $0.contains("planted test reason") } && warnings.contains { $0.contains("identity") })
        let html = try String(contentsOfFile: out, encoding: .utf8)
        let firstWarning = try #require(html.range(of: "class=\"warning\""))
        #expect(firstWarning.lowerBound < html.range(of: "Spectrum of H")!.lowerBound)
        let plot = try spectralkd(["plot", "--spectrum", s.spectrum, "--fit", s.fit, "--out", s.folder + "/p.svg"])
        #expect(plot.status == 0)
        #expect(try String(contentsOfFile: s.folder + "/p.svg", encoding: .utf8).contains("fit NOT adequate: planted test reason"))
    }

    @Test func needsSomethingToShow() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["report", "--out", folder + "/r.html"])
        #expect(run.status == 64 && run.stderr.contains("at least one of"))
        #expect(filesIn(folder).isEmpty)
    }
}

@Suite struct DemoCommandTests {
    @Test(.slow) func runsEverythingOnTheCommittedData() throws {
        let out = makeTemporaryFolder("spectralkd-demo") + "/demo"
        let run = try spectralkd(["demo", "--data", repositoryRoot + "/data", "--out", out, "--bootstrap", "0", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(summary["report"] as? String == out + "/report.html")
        #expect((summary["spectrum"] as! [String: Any])["identity_holds"] as? Bool == true)
        let evaluations = summary["evaluations"] as! [String: Any]
        #expect(Set(evaluations.keys) == ["evaluate-sweep", "evaluate-sweep-deep", "evaluate-published"])
        for name in ["spectrum", "fit", "predict", "export", "evaluate-sweep", "evaluate-published"] {
            #expect(!filesIn(out + "/" + name).isEmpty, "\(name)")
        }
        for file in ["report.html", "spectrum.svg", "teacher_spectrum.svg", "evaluate-published.svg", "predict.svg", "kde.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        // The demo's evaluation is the evaluate command's, not a copy of stale numbers.
        let direct = try spectralkd(["evaluate", "--runs", repositoryRoot + "/data/runs/published_kd.csv", "--group-by", "source",
                                     "--out", out + "/direct", "--json"])
        let metrics = try JSONSerialization.jsonObject(with: Data(direct.stdout.utf8)) as! [String: Any]
        let demoFormula = ((evaluations["evaluate-published"] as! [String: Any])["formula"] as! [String: Any])["mae"] as! Double
        #expect(demoFormula == (metrics["formula"] as! [String: Any])["mae"] as! Double)
    }

    @Test func missingDataIsOneLine() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["demo", "--data", folder, "--out", folder + "/out"])
        #expect(run.status == 1 && run.stderr.contains("is missing") && run.stderr.contains("--data"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }
}

/// A small hand-made sweep (its metrics are computed by hand in `EvaluateCommandTests`).
enum DistillationRuns {
    static let handMade = """
    role,seed,temperature,alpha_h,ce_weight,kl_weight,kl_times_t2,test_accuracy,classes,test_size
    teacher,0,1,1.0,1.0,0.0,true,0.80,10,100
    baseline,0,1,1.0,1.0,0.0,true,0.60,10,100
    baseline,1,1,1.0,1.0,0.0,true,0.62,10,100
    distilled,0,2,0.5,0.5,0.5,true,0.66,10,100
    distilled,1,2,0.5,0.5,0.5,true,0.68,10,100
    distilled,0,4,0.5,0.5,0.5,true,0.70,10,100
    distilled,0,4,0.1,0.1,0.9,true,0.72,10,100

    """
}
