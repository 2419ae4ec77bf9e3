import ArrayIO
import Ensembles
import Foundation
import Testing
import _TestSupport

/// `spectralkd linear` and `spectralkd wide` end to end: the files, the summaries, the closed
/// forms read back from the CSVs pandas would read, and bad input refused with nothing written.
@Suite struct CompanionCommandTests {
    func json(_ run: Run) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func linearIsotropicCurve() throws {
        let folder = makeTemporaryFolder("spectralkd-linear")
        let run = try spectralkd(["linear", "--dimension", "12", "--samples", "14", "--transfer-sets", "10", "--test-points", "4000",
                                  "--seed", "3", "--out", folder + "/o", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        for key in ["dimension", "samples", "transfer_risk", "transfer_risk_se", "angle", "bound", "monotonicity_violations", "provenance"] {
            #expect(s[key] != nil, "no \(key)")
        }
        #expect(s["transfer_risk"] as? Double == 0 && s["bound"] as? Double == 0)   // n = 14 >= d = 12
        #expect(filesIn(folder + "/o") == ["linear.csv", "linear.json", "linear.svg"])
        let table = try TextTable.read(path: folder + "/o/linear.csv")
        #expect(table.header == ["samples", "transfer_risk", "transfer_risk_se", "transfer_risk_upper95", "closed_form_risk", "angle", "bound"])
        var sawBelow = false
        for row in table.rows {
            let n = Int(row[0])!, risk = Double(row[1])!, se = Double(row[2])!, exact = Double(row[4])!, bound = Double(row[6])!
            let upper = Double(row[3])!
            #expect(upper > risk || (risk == 0 && upper == 3.0 / 40_000))
            #expect(abs(risk - exact) <= 4 * se + 1e-12, "n = \(n)")
            #expect(risk <= bound + 4 * se)
            if n < 12 { sawBelow = true; #expect(risk > 0) } else { #expect(risk == 0) }
        }
        #expect(sawBelow && table.rows.contains { $0[0] == "11" } && table.rows.contains { $0[0] == "12" })
    }

    /// A data matrix as the population: exact risk (no Monte Carlo error) and a trained student.
    @Test func linearOnDataWithTraining() throws {
        let folder = makeTemporaryFolder("spectralkd-linear-data")
        var rng = SplitMix64(seed: 8)
        let d = 5, rows = 200
        writeFile(folder + "/X.npy", Writers.npy(float64: (0..<(rows * d)).map { _ in rng.normal() }, shape: [rows, d]))
        writeFile(folder + "/w.npy", Writers.npy(float64: (0..<d).map { _ in rng.normal() }, shape: [d]))
        let run = try spectralkd(["linear", "--data", folder + "/X.npy", "--teacher-weights", folder + "/w.npy", "--samples", "4",
                                  "--transfer-sets", "5", "--train-depth", "1", "--train-steps", "40000", "--out", folder + "/o", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        #expect(s["distribution"] as? String == "data" && s["data_rows"] as? Int == rows && s["transfer_risk_se"] as? Double == 0)
        let trained = try #require(s["trained"] as? [String: Any])
        #expect((trained["relative_distance"] as! Double) < 1e-6)
        #expect((s["provenance"] as! [String: Any])["inputs"] != nil)
    }

    @Test func linearRefusesBadInput() throws {
        let folder = makeTemporaryFolder("spectralkd-linear-bad")
        writeFile(folder + "/X.npy", Writers.npy(float64: [Double](repeating: 1, count: 30), shape: [10, 3]))
        writeFile(folder + "/w.npy", Writers.npy(float64: [1, 2], shape: [2]))
        let cases: [([String], Int32, String)] = [
            (["--data", folder + "/X.npy", "--samples", "3"], 1, "--teacher-weights"),
            (["--data", folder + "/X.npy", "--teacher-weights", folder + "/w.npy", "--samples", "3"], 1, "2 weights for 3 data columns"),
            (["--data", folder + "/X.npy", "--teacher-weights", folder + "/w.npy", "--samples", "30"], 1, "fewer than --samples"),
            (["--dimension", "5", "--samples", "3", "--margin", "2"], 64, "--margin must lie in (0, pi/2)"),
            (["--samples", "3"], 64, "--dimension"),
        ]
        for (arguments, status, words) in cases {
            let run = try spectralkd(["linear"] + arguments + ["--out", folder + "/o"])
            #expect(run.status == status, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(words), "\(arguments): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/o"))
        }
    }

    /// The effective-logit CSV at T = 1 is the closed form; the summary carries what the issue names.
    @Test func wideCurvesAndSummary() throws {
        let folder = makeTemporaryFolder("spectralkd-wide")
        let run = try spectralkd(["wide", "--rho", "0.3", "--temperature", "1", "--points", "41", "--max-samples", "60", "--orderings", "4",
                                  "--out", folder + "/o", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        #expect(s["rho"] as? Double == 0.3 && s["temperature"] as? Double == 1 && s["kernel"] as? String == "relu-ntk")
        #expect(filesIn(folder + "/o") == ["effective_logits.csv", "effective_logits.svg", "inefficiency.csv", "inefficiency.svg", "wide.json"])
        let table = try TextTable.read(path: folder + "/o/effective_logits.csv")
        #expect(table.header == ["teacher", "teacher_logit", "hard_label", "effective_logit"])
        #expect(table.rows.count == 82)
        for row in table.rows {
            let zt = Double(row[1])!, y = Double(row[2])!, z = Double(row[3])!
            let p = 0.3 / (1 + exp(-zt)) + 0.7 * y
            #expect(abs(z - log(p / (1 - p))) < 1e-8 * max(1, abs(z)))
        }
        let curve = try TextTable.read(path: folder + "/o/inefficiency.csv")
        #expect(curve.header == ["targets", "samples", "step", "data_inefficiency", "standard_error", "weight_norm"])
        #expect(Set(curve.rows.map { $0[0] }) == ["distill", "random", "soft"])
    }

    @Test func wideWithAGramAndItsErrors() throws {
        let folder = makeTemporaryFolder("spectralkd-wide-gram")
        var rng = SplitMix64(seed: 2)
        let p = 40
        let a = (0..<(p * p)).map { _ in rng.normal() }
        var g = [Double](repeating: 0, count: p * p)
        for i in 0..<p { for j in 0..<p { g[i * p + j] = (0..<p).map { a[i * p + $0] * a[j * p + $0] }.reduce(0, +) } }
        writeFile(folder + "/G.npy", Writers.npy(float64: g, shape: [p, p]))
        writeFile(folder + "/z.npy", Writers.npy(float64: (0..<p).map { _ in rng.normal() }, shape: [p]))
        let ok = try spectralkd(["wide", "--rho", "1", "--temperature", "2", "--gram", folder + "/G.npy", "--targets-file", folder + "/z.npy",
                                 "--max-samples", "30", "--orderings", "3", "--out", folder + "/o", "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try json(ok)["kernel"] as? String == "file")
        var bad = g
        bad[1] += 1
        writeFile(folder + "/B.npy", Writers.npy(float64: bad, shape: [p, p]))
        writeFile(folder + "/N.npy", Writers.npy(float64: (0..<(p * p)).map { i in i % (p + 1) == 0 ? -1 : 0 }, shape: [p, p]))
        let cases: [([String], Int32, String)] = [
            (["--gram", folder + "/B.npy", "--targets-file", folder + "/z.npy", "--max-samples", "30"], 1, "is not symmetric"),
            (["--gram", folder + "/N.npy", "--targets-file", folder + "/z.npy", "--max-samples", "30"], 1, "not positive semi-definite"),
            (["--gram", folder + "/G.npy", "--targets-file", folder + "/z.npy", "--max-samples", "39"], 1, "lower --max-samples"),
            (["--gram", folder + "/G.npy"], 64, "go together"),
            (["--rho", "0"], 64, "--rho must lie in (0, 1]"),
        ]
        for (arguments, status, words) in cases {
            let withRho = arguments.contains("--rho") ? arguments : arguments + ["--rho", "0.5"]
            let run = try spectralkd(["wide", "--temperature", "2"] + withRho + ["--out", folder + "/x"])
            #expect(run.status == status, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(words), "\(arguments): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/x"))
        }
    }
}

@Suite struct BayesGapCommandTests {
    /// teacher --bayes-probs: the Bayes teacher has zero bias, a tempered one does not, and a
    /// posterior of the wrong shape is refused with nothing written.
    @Test func bayesGap() throws {
        let folder = makeTemporaryFolder("spectralkd-bayes")
        let task = PlantedPosterior(rows: 3000, classes: 4, sharpness: 1.2, seed: 5)
        writeFile(folder + "/p.npy", Writers.npy(float64: task.posterior, shape: [3000, 4]))
        writeFile(folder + "/t.npy", Writers.npy(float64: task.tempered(2), shape: [3000, 4]))
        writeFile(folder + "/y.npy", Writers.npy(int64: task.labels, shape: [3000]))
        writeFile(folder + "/short.npy", Writers.npy(float64: Array(task.posterior[0..<400]), shape: [100, 4]))
        func gap(_ teacher: String) throws -> [String: Any] {
            let run = try spectralkd(["teacher", "--labels", folder + "/y.npy", "--probs", teacher, "--bayes-probs", folder + "/p.npy",
                                      "--out", makeTemporaryFolder(), "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let s = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            return try #require(s["bayes_gap"] as? [String: Any])
        }
        #expect(try gap(folder + "/p.npy")["squared_gap"] as? Double == 0)
        #expect((try gap(folder + "/t.npy")["mean_gap"] as! Double) > 0.05)
        writeFile(folder + "/t2.npy", Writers.npy(float64: task.tempered(0.5), shape: [3000, 4]))
        let two = try spectralkd(["teacher", "--labels", folder + "/y.npy", "--probs", folder + "/t.npy", "--teacher-draw", folder + "/t2.npy",
                                  "--bayes-probs", folder + "/p.npy", "--out", makeTemporaryFolder(), "--json"])
        let g = try #require((JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [String: Any])?["bayes_gap"] as? [String: Any])
        #expect(g["draws"] as? Int == 2)
        #expect(abs((g["squared_gap"] as! Double) - (g["bias_squared"] as! Double) - (g["teacher_variance"] as! Double)) < 1e-12)
        let bad = try spectralkd(["teacher", "--labels", folder + "/y.npy", "--probs", folder + "/t.npy", "--bayes-probs", folder + "/short.npy",
                                  "--out", folder + "/o"])
        #expect(bad.status == 1 && bad.stderr.contains("save the Bayes posterior of the same samples"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/o"))
    }
}

@Suite struct MatrixFreeCommandTests {
    /// spectrum --matrix-free on the committed example: the exact trace equals the dense path's,
    /// the moment fit (exact mean, Hutchinson moment probes) is within 1% of the dense moment fit
    /// (measured 0.13% for seed 1, 0.86% at worst over seeds 1-3), density.csv is what pandas
    /// reads, and a teacher is refused.
    @Test(.slow) func committedExample() throws {
        let folder = makeTemporaryFolder("spectralkd-matrix-free")
        let d = repositoryRoot + "/data/example"
        let free = try spectralkd(["spectrum", "--labels", d + "/labels.npy", "--logits", d + "/student_logits.npy", "--matrix-free",
                                   "--slq-tolerance", "0.2", "--seed", "1", "--out", folder + "/mf", "--json"])
        #expect(free.status == 0, "\(free.stderr)")
        let s = try #require(JSONSerialization.jsonObject(with: Data(free.stdout.utf8)) as? [String: Any])
        let dense = try spectralkd(["spectrum", "--labels", d + "/labels.npy", "--logits", d + "/student_logits.npy", "--out", folder + "/d", "--json"])
        let t = try #require(JSONSerialization.jsonObject(with: Data(dense.stdout.utf8)) as? [String: Any])
        // The dense run takes the float32 pass (docs/theory.md §1.1): its trace agrees to about 1e-11.
        #expect(abs((s["trace_h"] as! Double) - (t["trace_h"] as! Double)) < 1e-9)
        let fit = try spectralkd(["fit", "--spectrum", folder + "/d", "--method", "moments", "--outliers", "none", "--bootstrap", "0",
                                  "--out", folder + "/f", "--json"])
        let f = try #require(JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as? [String: Any])
        let m = try #require(s["moment_fit"] as? [String: Any])
        #expect(abs((m["s2"] as! Double) / (f["scale"] as! Double) - 1) < 0.01)
        #expect(abs((m["c"] as! Double) / (f["correlation"] as! Double) - 1) < 0.01)
        #expect(s["probes"] as? Int == 10 && s["lanczos_steps"] as? Int == 61)
        // fit on the matrix-free folder: the moment fit is the summary's, the exact mean is kept, and
        // the verdict can only reject or stay undecided (never adequate without eigenvalues).
        for method in ["moments", "distance"] {
            let run = try spectralkd(["fit", "--spectrum", folder + "/mf", "--method", method, "--out", folder + "/mf-fit-" + method, "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let g = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let free = try #require(g["matrix_free"] as? [String: Any])
            #expect(g["bootstrap"] as? Int == 0 && g["adequate"] as? Bool == false)
            #expect(["undecided", "rejected"].contains(g["verdict"] as? String ?? ""))
            let exactMean = (s["trace_h"] as! Double) / 99
            #expect(abs((g["mean"] as! Double) / exactMean - 1) < 1e-12)
            #expect((free["wasserstein1"] as! Double) > 0 && free["wasserstein1_bound"] as? Double == s["wasserstein1_bound"] as? Double)
            if method == "moments" {
                #expect(abs((g["scale"] as! Double) / (m["s2"] as! Double) - 1) < 1e-9)
                #expect(abs((g["correlation"] as! Double) / (m["c"] as! Double) - 1) < 1e-9)
            }
        }
        let table = try TextTable.read(path: folder + "/mf/density.csv")
        #expect(table.header == ["x", "density", "lower", "upper"])
        #expect(table.rows.allSatisfy { Double($0[2])! <= Double($0[1])! && Double($0[1])! <= Double($0[3])! })
        let refused = try spectralkd(["spectrum", "--labels", d + "/labels.npy", "--logits", d + "/student_logits.npy", "--matrix-free",
                                      "--teacher-logits", d + "/teacher_logits.npy", "--out", folder + "/x"])
        #expect(refused.status == 64 && refused.stderr.contains("--matrix-free computes H only"))
    }
}
