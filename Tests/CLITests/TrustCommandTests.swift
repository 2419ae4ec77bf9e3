import ArrayIO
import Foundation
import Testing
import _TestSupport

/// A second small problem with other shapes (C = 8, no teacher), for "run twice into one folder".
struct OtherProblem {
    let folder = makeTemporaryFolder("spectralkd-other")
    let n = 300, c = 8
    var labels: String { folder + "/y.npy" }
    var logits: String { folder + "/z.npy" }

    init() {
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.5, seed: 77)
        writeFile(labels, Writers.npy(int64: y, shape: [n]))
        writeFile(logits, Writers.npy(float64: z, shape: [n, c]))
    }
}

func jsonFile(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
}

@Suite struct TrustCommandTests {
    /// Finding 1 replayed: a run with a teacher, then one without, into the same folder. The
    /// second run's folder holds no teacher file, plot --teacher refuses, export writes none.
    @Test func staleFilesAreRemoved() throws {
        let p = Problem(), o = OtherProblem()
        let out = p.folder + "/spec"
        #expect(try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--teacher-logits", p.teacher, "--out", out]).status == 0)
        #expect(filesIn(out).contains("teacher_eigenvalues.csv"))
        let second = try spectralkd(["spectrum", "--labels", o.labels, "--logits", o.logits, "--out", out])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(filesIn(out) == ["eigenvalues.csv", "summary.json"])
        let plot = try spectralkd(["plot", "--spectrum", out, "--teacher", "--out", p.folder + "/t.svg"])
        #expect(plot.status == 1 && plot.stderr.contains("no teacher_eigenvalues.csv"))
        let summary = try jsonFile(out + "/summary.json")
        let manifest = summary["manifest"] as! [String: Any]
        #expect(manifest["command"] as? String == "spectrum" && (manifest["files"] as! [String]) == ["eigenvalues.csv", "summary.json"])
        // fit: a failed law leaves no density.csv of an earlier run.
        let fitOut = p.folder + "/fit"
        let sim = try spectralkd(["simulate", "--classes", "30", "--samples", "900", "--accuracy", "0.5", "--replicas", "3", "--seed", "5",
                                  "--out", p.folder + "/sim"])
        #expect(sim.status == 0)
        #expect(try spectralkd(["fit", "--spectrum", p.folder + "/sim", "--bootstrap", "0", "--out", fitOut]).status == 0)
        #expect(filesIn(fitOut) == ["density.csv", "fit.json"])
        writeFile(p.folder + "/flat.csv", Array(("eigenvalue\n" + (0..<50).map { "\(5 + 0.001 * Double($0))" }.joined(separator: "\n") + "\n").utf8))
        let flat = try spectralkd(["fit", "--eigenvalues", p.folder + "/flat.csv", "--q", "0.1", "--out", fitOut])
        #expect(flat.status == 0, "\(flat.stderr)")
        #expect(filesIn(fitOut) == ["fit.json"])
    }

    /// `plot --spectrum A --fit B` with B fitted to another run is refused (one line naming
    /// both), unless --allow-mixed.
    @Test(.slow) func mixedFoldersAreRefused() throws {
        let p = Problem()
        for name in ["a", "b"] {
            let seed = name == "a" ? "5" : "6"
            #expect(try spectralkd(["simulate", "--classes", "30", "--samples", "900", "--accuracy", "0.5", "--replicas", "3", "--seed", seed,
                                    "--out", p.folder + "/" + name]).status == 0)
        }
        #expect(try spectralkd(["fit", "--spectrum", p.folder + "/b", "--bootstrap", "0", "--out", p.folder + "/fitb"]).status == 0)
        let mixed = try spectralkd(["plot", "--spectrum", p.folder + "/a", "--fit", p.folder + "/fitb", "--out", p.folder + "/m.svg"])
        #expect(mixed.status == 1 && mixed.stderr.contains("fitb") && mixed.stderr.contains(p.folder + "/a") && mixed.stderr.contains("--allow-mixed"))
        #expect(!FileManager.default.fileExists(atPath: p.folder + "/m.svg"))
        for command in [["report", "--out", p.folder + "/r.html"], ["export", "--out", p.folder + "/x"]] {
            let run = try spectralkd([command[0], "--spectrum", p.folder + "/a", "--fit", p.folder + "/fitb"] + Array(command.dropFirst()))
            #expect(run.status == 1 && run.stderr.contains("another run"), "\(command[0]): \(run.stderr)")
        }
        let allowed = try spectralkd(["plot", "--spectrum", p.folder + "/a", "--fit", p.folder + "/fitb", "--allow-mixed", "--out", p.folder + "/m.svg"])
        #expect(allowed.status == 0)
        let same = try spectralkd(["plot", "--spectrum", p.folder + "/b", "--fit", p.folder + "/fitb", "--out", p.folder + "/s.svg"])
        #expect(same.status == 0, "\(same.stderr)")
    }

    /// Provenance in JSON, SVG and HTML: version, argv, time, threads, and each input's size and
    /// SHA-256 (checked against an independent digest).
    @Test func provenanceIsRecorded() throws {
        let p = Problem()
        let run = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out, "--json"])
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let provenance = s["provenance"] as! [String: Any]
        #expect(provenance["version"] as? String != nil && (provenance["argv"] as! [String]).contains(p.logits))
        #expect((provenance["time_utc"] as! String).hasSuffix("Z") && (provenance["threads"] as! Int) >= 1)
        let inputs = provenance["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["path"] as! String } == [p.labels, p.logits])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: p.logits))
        #expect(inputs[1]["bytes"] as? Int == bytes.count)
        let expected = try runProcess("/usr/bin/sha256sum", [p.logits]).stdout.split(separator: " ")[0]
        #expect(inputs[1]["sha256"] as? String == String(expected))
        let plot = try spectralkd(["plot", "--spectrum", p.out, "--out", p.folder + "/p.svg"])
        #expect(plot.status == 0)
        let svg = try String(contentsOfFile: p.folder + "/p.svg", encoding: .utf8)
        #expect(svg.contains("<metadata>") && svg.contains(String(expected).prefix(16)) == false)  // the SVG hashes the folder's files
        #expect(svg.contains("sha256") && svg.contains("command: "))
        let report = try spectralkd(["report", "--spectrum", p.out, "--out", p.folder + "/r.html"])
        #expect(report.status == 0)
        let html = try String(contentsOfFile: p.folder + "/r.html", encoding: .utf8)
        #expect(html.contains("<h2>Provenance</h2>") && html.contains("spectralkd-provenance-0"))
    }

    /// A second run into a folder that another live run holds is refused; a lock left by a dead
    /// run is taken over.
    @Test func concurrentRunsAreRefused() throws {
        let p = Problem()
        try FileManager.default.createDirectory(atPath: p.out, withIntermediateDirectories: true)
        // pid 1 is always alive: a lock naming it is held.
        writeFile(p.out + "/.spectralkd.lock", Array("1\n".utf8))
        let held = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out])
        #expect(held.status == 1 && held.stderr.contains("being written by another spectralkd run (pid 1)"), "\(held.stderr)")
        #expect(!filesIn(p.out).contains("summary.json"))
        // A pid that cannot exist: the lock is stale.
        writeFile(p.out + "/.spectralkd.lock", Array("2147483646\n".utf8))
        let taken = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out])
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: p.out + "/.spectralkd.lock"))
    }

    /// Done when: spectrum -> fit -> plot -> report twice into the same folders with different
    /// inputs (C = 30 with a teacher, then C = 20 without); every artefact belongs to the second run.
    @Test(.slow) func twiceIntoTheSameFolders() throws {
        let folder = makeTemporaryFolder("spectralkd-twice")
        var runs: [(labels: String, logits: String, teacher: String?)] = []
        for (i, c) in [30, 20].enumerated() {
            let (z, y) = randomClassifierOutputs(rows: 900, classes: c, signal: 1.5, seed: UInt64(10 + i))
            let (t, _) = randomClassifierOutputs(rows: 900, classes: c, signal: 2.5, seed: UInt64(20 + i))
            writeFile(folder + "/y\(i).npy", Writers.npy(int64: y, shape: [900]))
            writeFile(folder + "/z\(i).npy", Writers.npy(float64: z, shape: [900, c]))
            writeFile(folder + "/t\(i).npy", Writers.npy(float64: t, shape: [900, c]))
            runs.append((folder + "/y\(i).npy", folder + "/z\(i).npy", i == 0 ? folder + "/t\(i).npy" : nil))
        }
        let spec = folder + "/spec", fit = folder + "/fit", svg = folder + "/plot.svg", html = folder + "/report.html"
        for run in runs {
            var args = ["spectrum", "--labels", run.labels, "--logits", run.logits, "--out", spec]
            if let t = run.teacher { args += ["--teacher-logits", t] }
            #expect(try spectralkd(args).status == 0)
            let f = try spectralkd(["fit", "--spectrum", spec, "--bootstrap", "0", "--out", fit])
            #expect(f.status == 0, "\(f.stderr)")
            #expect(try spectralkd(["plot", "--spectrum", spec, "--fit", fit, "--out", svg]).status == 0)
            #expect(try spectralkd(["report", "--spectrum", spec, "--fit", fit, "--out", html]).status == 0)
        }
        let summary = try jsonFile(spec + "/summary.json")
        #expect(summary["classes"] as? Int == 20 && summary["teacher_file"] is NSNull)
        #expect(filesIn(spec) == ["eigenvalues.csv", "summary.json"])
        let inputs = ((summary["provenance"] as! [String: Any])["inputs"] as! [[String: Any]]).map { $0["path"] as! String }
        #expect(inputs == [runs[1].labels, runs[1].logits])
        let fitted = try jsonFile(fit + "/fit.json")
        #expect(fitted["n"] as? Int == 19)
        #expect(((fitted["fitted_to"] as! [String: Any])["run_id"] as? String) == (summary["manifest"] as! [String: Any])["run_id"] as? String)
        let plot = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(plot.contains("C = 20") && !plot.contains("C = 30"))
        let report = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!report.contains("Spectrum of Hhat") && report.contains("C = 20") && !report.contains("C = 30"))
    }
}

@Suite struct InputMistakeCommandTests {
    let folder = makeTemporaryFolder("spectralkd-mistakes")

    func write(_ name: String, _ bytes: [UInt8]) -> String { writeFile(folder + "/" + name, bytes); return folder + "/" + name }

    /// Finding 2 replayed: pandas CSVs (header 0..C-1; an index column) read as pandas wrote them.
    @Test func pandasCSVs() throws {
        let (z, y) = randomClassifierOutputs(rows: 50, classes: 4, signal: 2, seed: 3)
        var headerOnly = "0,1,2,3\n", indexed = ",0,1,2,3\n", labels = ",0\n"
        for r in 0..<50 {
            let row = (0..<4).map { String(z[r * 4 + $0]) }.joined(separator: ",")
            headerOnly += row + "\n"
            indexed += "\(r)," + row + "\n"
            labels += "\(r),\(y[r])\n"
        }
        let npy = write("y.npy", Writers.npy(int64: y, shape: [50]))
        let reference = try spectralkd(["spectrum", "--labels", npy, "--logits", write("z.npy", Writers.npy(float64: z, shape: [50, 4])),
                                        "--out", folder + "/ref", "--json"])
        let accuracy = (try JSONSerialization.jsonObject(with: Data(reference.stdout.utf8)) as! [String: Any])["accuracy"] as! Double
        for (logits, labelFile) in [(write("h.csv", Array(headerOnly.utf8)), npy), (write("i.csv", Array(indexed.utf8)), write("l.csv", Array(labels.utf8)))] {
            let run = try spectralkd(["spectrum", "--labels", labelFile, "--logits", logits, "--out", folder + "/o", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
            #expect(s["classes"] as? Int == 4 && s["samples"] as? Int == 50 && s["accuracy"] as? Double == accuracy)
            #expect(run.stderr.contains("warning:") && (s["warnings"] as! [String]).count >= 1)
        }
    }

    /// Finding 6 replayed: probabilities as logits and boolean labels warn; one label class is an
    /// error; empty classes are counted.
    @Test func likelyMistakes() throws {
        let (z, y) = randomClassifierOutputs(rows: 80, classes: 6, signal: 1, seed: 4)
        var p = z
        for r in 0..<80 {
            let m = (0..<6).map { exp(z[r * 6 + $0]) }, t = m.reduce(0, +)
            for j in 0..<6 { p[r * 6 + j] = m[j] / t }
        }
        let labels = write("y.npy", Writers.npy(int64: y, shape: [80]))
        let probs = write("p.npy", Writers.npy(float64: p, shape: [80, 6]))
        let asLogits = try spectralkd(["spectrum", "--labels", labels, "--logits", probs, "--out", folder + "/a"])
        #expect(asLogits.status == 0 && asLogits.stderr.contains("look like probabilities; pass them with --probs"))
        let one = write("one.npy", Writers.npy(int64: [Int](repeating: 2, count: 80), shape: [80]))
        let single = try spectralkd(["spectrum", "--labels", one, "--logits", write("z.npy", Writers.npy(float64: z, shape: [80, 6])), "--out", folder + "/b"])
        #expect(single.status == 1 && single.stderr.contains("every label is class 2"))
        #expect(filesIn(folder + "/b").isEmpty)
        let few = write("few.npy", Writers.npy(int64: y.map { $0 % 3 }, shape: [80]))
        let empty = try spectralkd(["spectrum", "--labels", few, "--logits", folder + "/z.npy", "--out", folder + "/c"])
        #expect(empty.status == 0 && empty.stderr.contains("3 of 6 classes never occur"))
    }

    /// Finding 7 replayed: float16 logits and every integer label width read (numpy and
    /// safetensors files written by the packages themselves: Fixtures/ecosystem).
    @Test func commonDtypes() throws {
        let (z, y) = randomClassifierOutputs(rows: 64, classes: 5, signal: 2, seed: 8)
        // float16 logits and int8 labels in numpy's own layouts ('<f2', '|i1').
        var body: [UInt8] = []
        for v in z { withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { body += $0 } }
        let f16 = write("z16.npy", handmadeNPY(descr: "<f2", shape: "(64, 5)", body: body))
        let i1 = write("y8.npy", handmadeNPY(descr: "|i1", shape: "(64,)", body: y.map { UInt8($0) }))
        let run = try spectralkd(["spectrum", "--labels", i1, "--logits", f16, "--out", folder + "/d", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(s["samples"] as? Int == 64 && s["classes"] as? Int == 5)
    }
}

/// A version 1.0 `.npy` with the given dtype and shape text, padded as numpy pads its header.
func handmadeNPY(descr: String, shape: String, body: [UInt8]) -> [UInt8] {
    var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
    while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
    header.append(0x0A)
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + body
}

@Suite struct FitVerdictCommandTests {
    /// Finding 3 replayed: B < 19 is never "adequate"; absurd B is refused before allocating;
    /// the verdict and its Monte Carlo SE are in fit.json.
    @Test(.slow) func bootstrapVerdicts() throws {
        let folder = makeTemporaryFolder("spectralkd-verdict")
        #expect(try spectralkd(["simulate", "--classes", "30", "--samples", "900", "--accuracy", "0.5", "--replicas", "2", "--seed", "5",
                                "--out", folder + "/sim"]).status == 0)
        let few = try spectralkd(["fit", "--spectrum", folder + "/sim", "--bootstrap", "5", "--out", folder + "/f", "--json"])
        #expect(few.status == 0, "\(few.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(few.stdout.utf8)) as! [String: Any]
        #expect(s["verdict"] as? String == "undecided" && s["adequate"] as? Bool == false && s["p_value_se"] is Double)
        #expect((s["reason"] as! String).contains("fewer than 19"))
        let absurd = try spectralkd(["fit", "--spectrum", folder + "/sim", "--bootstrap", "1000000000000", "--out", folder + "/g"])
        #expect(absurd.status == 64 && absurd.stderr.contains("--bootstrap must lie in 0...1000000"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/g"))
    }

    /// Finding 4 replayed: the teacher spectrum is fitted without its structural zero; eigenvalue
    /// files drop theirs (and say so); small-C spectra are pooled, with advice when too few.
    @Test(.slow) func teacherSmallCAndZeros() throws {
        let folder = makeTemporaryFolder("spectralkd-hhat")
        var outs: [String] = []
        for seed in 0..<3 {
            let (z, y) = randomClassifierOutputs(rows: 2000, classes: 5, signal: 1.5, seed: UInt64(100 + seed))
            let (t, _) = randomClassifierOutputs(rows: 2000, classes: 5, signal: 2.5, seed: UInt64(200 + seed))
            writeFile(folder + "/y\(seed).npy", Writers.npy(int64: y, shape: [2000]))
            writeFile(folder + "/z\(seed).npy", Writers.npy(float64: z, shape: [2000, 5]))
            writeFile(folder + "/t\(seed).npy", Writers.npy(float64: t, shape: [2000, 5]))
            let out = folder + "/s\(seed)"
            #expect(try spectralkd(["spectrum", "--labels", folder + "/y\(seed).npy", "--logits", folder + "/z\(seed).npy",
                                    "--teacher-logits", folder + "/t\(seed).npy", "--out", out]).status == 0)
            outs.append(out)
        }
        let one = try spectralkd(["fit", "--spectrum", outs[0], "--bootstrap", "0", "--out", folder + "/f1"])
        #expect(one.status == 1 && one.stderr.contains("has 4 bulk eigenvalue(s)") && one.stderr.contains("C <= 10"))
        let pooled = try spectralkd(["fit", "--spectrum", outs[0], "--spectrum", outs[1], "--spectrum", outs[2], "--matrix", "hhat",
                                     "--bootstrap", "0", "--out", folder + "/f3", "--json"])
        #expect(pooled.status == 0, "\(pooled.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(pooled.stdout.utf8)) as! [String: Any]
        #expect(s["n"] as? Int == 12 && s["pooled_spectra"] as? Int == 3)
        #expect((s["inputs"] as! [String]).allSatisfy { $0.hasSuffix("teacher_eigenvalues.csv") })
        // --eigenvalues on the raw file: 5 values, the structural zero among them, is dropped.
        let raw = try spectralkd(["fit", "--eigenvalues", outs[0] + "/teacher_eigenvalues.csv", "--eigenvalues", outs[1] + "/teacher_eigenvalues.csv",
                                  "--eigenvalues", outs[2] + "/teacher_eigenvalues.csv", "--q", "0.002", "--out", folder + "/f4", "--json"])
        #expect(raw.status == 0, "\(raw.stderr)")
        let r = try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as! [String: Any]
        #expect(r["n"] as? Int == 12 && r["dropped_structural_zeros"] as? Int == 3)
    }
}

@Suite struct OutlierCommandTests {
    /// The committed example reports its outliers and the classes their eigenvectors load on;
    /// `fit --outliers none` gives the plain fit; fit.json keeps the bulk's parameters.
    @Test(.slow) func committedExampleHasOutliers() throws {
        let folder = makeTemporaryFolder("spectralkd-outliers")
        let spec = try spectralkd(["spectrum", "--labels", repositoryRoot + "/data/example/labels.npy",
                                   "--logits", repositoryRoot + "/data/example/student_logits.npy", "--out", folder + "/s", "--json"])
        #expect(spec.status == 0, "\(spec.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(spec.stdout.utf8)) as! [String: Any]
        let outliers = s["outliers"] as! [Double]
        #expect(outliers.count >= 5 && outliers.allSatisfy { $0 > (s["bulk_mean"] as! Double) })
        let vectors = try TextTable.read(path: folder + "/s/outlier_vectors.csv")
        #expect(vectors.header == ["rank", "eigenvalue", "class", "loading", "kind"])
        #expect(vectors.rows.count == 10 * (outliers.count + 3))
        #expect(try vectors.text(0, "kind") == "outlier" && vectors.rows.last!.last == "bulk")
        // Loadings of one vector are the entries of a unit vector: their squares sum to at most 1.
        let first = vectors.rows.indices.filter { (try? vectors.number($0, "rank")) == 1 }.map { try! vectors.number($0, "loading") }
        #expect(first.map { $0 * $0 }.reduce(0, +) <= 1 + 1e-12 && first[0] > 0)
        let fit = try spectralkd(["fit", "--spectrum", folder + "/s", "--bootstrap", "0", "--out", folder + "/f", "--json"])
        let f = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        #expect((f["outliers"] as! [Double]).count == outliers.count && f["n"] as? Int == 99 - outliers.count)
        #expect((f["outlier_sequence"] as! [Int]).last == outliers.count && f["tw_units"] is [String: Any])
        let plain = try spectralkd(["fit", "--spectrum", folder + "/s", "--bootstrap", "0", "--outliers", "none", "--out", folder + "/g", "--json"])
        let g = try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as! [String: Any]
        #expect((g["outliers"] as! [Double]).isEmpty && g["n"] as? Int == 99)
        #expect((f["ks"] as! Double) < (g["ks"] as! Double))
        let report = try spectralkd(["report", "--spectrum", folder + "/s", "--fit", folder + "/f", "--out", folder + "/r.html"])
        #expect(report.status == 0)
        let html = try String(contentsOfFile: folder + "/r.html", encoding: .utf8)
        #expect(html.contains("Tracy-Widom units") && html.contains("classes (loading)"))
    }
}

@Suite struct SpikedSimulationCommandTests {
    /// simulate --spikes plants groups of classes; fit finds one outlier per group when the
    /// strength is well above the threshold, and none on the pure bulk of the same seed.
    @Test(.slow) func plantedGroupsAreFound() throws {
        let folder = makeTemporaryFolder("spectralkd-spikes")
        for (strength, expected) in [(0.0, 0), (1.5, 3)] {
            let sim = try spectralkd(["simulate", "--classes", "60", "--samples", "6000", "--accuracy", "0.4", "--seed", "3",
                                      "--spikes", "3", "--spike-size", "4", "--spike-strength", String(strength), "--out", folder + "/s"])
            #expect(sim.status == 0, "\(sim.stderr)")
            let fit = try spectralkd(["fit", "--spectrum", folder + "/s", "--bootstrap", "0", "--out", folder + "/f", "--json"])
            let f = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
            #expect((f["outliers"] as! [Double]).count == expected, "strength \(strength): \(f["outliers"]!)")
        }
        let bad = try spectralkd(["simulate", "--classes", "10", "--samples", "100", "--accuracy", "0.4", "--seed", "3", "--spikes", "3",
                                  "--spike-size", "4", "--out", folder + "/b"])
        #expect(bad.status == 64 && bad.stderr.contains("must fit in --classes"))
    }
}
