import ArrayIO
import Foundation
import Testing
import _TestSupport

@Suite struct OptionCommandTests {
    /// Negative numbers are values, never "Missing value": for every option where a negative
    /// number is meaningful the command runs, and where it is not, the error names the range.
    @Test func negativeValuesAreValues() throws {
        let folder = makeTemporaryFolder()
        let values = folder + "/v.csv"
        writeFile(values, Array(("x\n" + (0..<50).map { "\(-1.9 + 0.028 * Double($0))" }.joined(separator: "\n") + "\n").utf8))
        let ok: [[String]] = [
            ["density", "--q", "0.25", "--scale", "1", "--correlation", "-0.3", "--from", "-0.2", "--to", "1", "--points", "50", "--out", folder + "/d.csv"],
            ["sample", "wishart", "--kind", "generalized", "--dimension", "5", "--samples", "20", "--correlation", "-0.5", "--seed", "1", "--out", folder + "/w.csv"],
            ["predict", "--classes", "10", "--baseline-accuracy", "0.6", "--teacher-accuracy", "0.8", "--temperature", "2", "--alpha", "1",
             "--g", "-2.5", "--chi", "-1", "--out", folder + "/p"],
            ["kde", "--input", values, "--lower", "-2", "--upper", "-0.5", "--out", folder + "/k.csv"],
            ["simulate", "--classes", "10", "--samples", "200", "--accuracy", "0.5", "--seed", "1", "--spikes", "1", "--spike-size", "3",
             "--spike-strength", "-1", "--out", folder + "/s"],
        ]
        for args in ok {
            let run = try spectralkd(args)
            #expect(run.status == 0, "\(args[0]): \(run.stderr)")
            #expect(!run.stderr.contains("Missing value"))
        }
        let refused: [([String], String)] = [
            (["spectrum", "--labels", "y.npy", "--logits", "z.npy", "--temperature", "-1"], "--temperature must be a positive number, got -1.0"),
            (["density", "--q", "-0.25", "--scale", "1", "--correlation", "0.3"], "q = -0.25 is invalid: must be positive"),
            (["fit", "--eigenvalues", "e.csv", "--bootstrap", "-3"], "--bootstrap must lie in 0...1000000, got -3"),
            (["predict", "--classes", "10", "--baseline-accuracy", "-0.1", "--teacher-accuracy", "0.8", "--temperature", "2", "--alpha", "1"], "fraction in [0, 1]"),
        ]
        for (args, message) in refused {
            let run = try spectralkd(args)
            #expect((run.status == 64 || run.status == 1) && run.stderr.contains(message) && !run.stderr.contains("Missing value"), "\(args): \(run.stderr)")
        }
    }

    /// A misspelt option or subcommand gets the closest real name, before any other check.
    @Test func typosGetTheClosestName() throws {
        let option = try spectralkd(["spectrum", "--labels", "y.npy", "--logit", "z.npy"])
        #expect(option.status == 64 && option.stderr.contains("unknown option '--logit'") && option.stderr.contains("did you mean '--logits'"))
        let command = try spectralkd(["spectrm", "--labels", "y.npy"])
        #expect(command.status == 64 && command.stderr.contains("did you mean 'spectrum'"))
        let nested = try spectralkd(["sample", "wishrt"])
        #expect(nested.status == 64 && nested.stderr.contains("did you mean 'wishart'"))
        let equals = try spectralkd(["predict", "--clases=10"])
        #expect(equals.status == 64 && equals.stderr.contains("did you mean '--classes'"))
        // Real names in every form pass the check (and then fail or run on their merits).
        let fine = try spectralkd(["spectrum", "--labels=y.npy", "--logits", "z.npy", "--out", makeTemporaryFolder() + "/o"])
        #expect(fine.status == 1 && fine.stderr.contains("y.npy"))
    }

    /// An unquoted glob, expanded by the shell, is named as such with the fix.
    @Test func unquotedShardPatternIsExplained() throws {
        let run = try spectralkd(["spectrum", "--labels", "y_0.npy", "y_1.npy", "y_2.npy", "--logits", "z_0.npy"])
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: --labels got 3 files (y_0.npy, y_1.npy, ...): the shell expanded a pattern; quote it"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func threadSettingIsValidated() throws {
        for bad in ["abc", "0", "-2", "1.5"] {
            let run = try spectralkd(["density", "--q", "0.25", "--scale", "1", "--correlation", "0.3"], environment: ["SPECTRALKD_THREADS": bad])
            #expect(run.status == 64 && run.stderr.contains("SPECTRALKD_THREADS='\(bad)'"), "\(bad)")
        }
    }
}

@Suite struct DeterminismCommandTests {
    /// Same bits for any thread count on a problem large enough that every parallel path runs:
    /// 6000 rows (12 blocks of the accumulator's 512, 24 softmax blocks of 256, 3 label-owner
    /// workers), a teacher, extra gamma traces, a 9-replicate bootstrap and a 4-replica simulation.
    @Test(.slow) func sameBitsAboveTheParallelThresholds() throws {
        let folder = makeTemporaryFolder("spectralkd-threads")
        let (z, y) = randomClassifierOutputs(rows: 6000, classes: 24, signal: 1.2, seed: 31)
        let (t, _) = randomClassifierOutputs(rows: 6000, classes: 24, signal: 2.0, seed: 32)
        writeFile(folder + "/y.npy", Writers.npy(int64: y, shape: [6000]))
        writeFile(folder + "/z.npy", Writers.npy(float64: z, shape: [6000, 24]))
        writeFile(folder + "/t.npy", Writers.npy(float64: t, shape: [6000, 24]))
        var outputs: [[String]] = []
        for threads in ["1", "2", "3"] {
            let env = ["SPECTRALKD_THREADS": threads]
            let s = folder + "/s" + threads, f = folder + "/f" + threads, m = folder + "/m" + threads
            let spectrum = try spectralkd(["spectrum", "--labels", folder + "/y.npy", "--logits", folder + "/z.npy", "--teacher-logits", folder + "/t.npy",
                                           "--gamma", "1,0.1,0,0.01", "--out", s, "--json"], environment: env)
            #expect(spectrum.status == 0, "\(spectrum.stderr)")
            let fit = try spectralkd(["fit", "--spectrum", s, "--bootstrap", "9", "--seed", "4", "--out", f, "--json"], environment: env)
            #expect(fit.status == 0, "\(fit.stderr)")
            let sim = try spectralkd(["simulate", "--classes", "24", "--samples", "3000", "--accuracy", "0.4", "--replicas", "4", "--seed", "9",
                                      "--teacher-accuracy", "0.5", "--agreement", "0.6", "--out", m], environment: env)
            #expect(sim.status == 0, "\(sim.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(spectrum.stdout.utf8)) as! [String: Any]
            let fitSummary = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
            outputs.append([
                try String(contentsOfFile: s + "/eigenvalues.csv", encoding: .utf8),
                try String(contentsOfFile: s + "/teacher_eigenvalues.csv", encoding: .utf8),
                ((summary["gamma_limit"] as! [[String: Any]]).map { "\($0["trace_h"] as! Double)" } + ["\(summary["argmax_trace_hhat"] as! Double)", "\(summary["soft_accuracy"] as! Double)"]).joined(separator: " "),
                "\(fitSummary["p_value"] as! Double) \(fitSummary["scale"] as! Double) \(fitSummary["correlation"] as! Double)",
                try String(contentsOfFile: m + "/eigenvalues.csv", encoding: .utf8),
                try String(contentsOfFile: m + "/replicas.csv", encoding: .utf8),
            ])
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
    }
}
