import ArrayIO
import Foundation
import Testing
import _TestSupport

@Suite struct PredictCommandTests {
    @Test func givenFactors() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["predict", "--classes", "10", "--baseline-accuracy", "0.6", "--teacher-accuracy", "0.8",
                                  "--temperature", "2", "--alpha", "2", "--g", "0.8", "--chi", "1.5", "--out", folder, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        for key in ["predicted_accuracy", "ratio", "g", "chi", "alpha", "hard_weight", "soft_weight", "form", "g_estimator", "chi_estimator"] {
            #expect(s[key] != nil, "missing \(key)")
        }
        #expect(abs((s["predicted_accuracy"] as! Double) - 0.6625) < 1e-12)
        #expect(s["g_estimator"] as? String == "given" && s["form"] as? String == "dual")
        #expect(filesIn(folder) == ["prediction.json"])
        // Soft labels only: alpha = inf, R = g chi.
        let soft = try spectralkd(["predict", "--classes", "10", "--baseline-accuracy", "0.6", "--teacher-accuracy", "0.8",
                                   "--temperature", "2", "--alpha-hinton", "0", "--g", "0.8", "--chi", "1.5", "--out", folder, "--json"])
        let t = try JSONSerialization.jsonObject(with: Data(soft.stdout.utf8)) as! [String: Any]
        #expect(t["alpha"] as? String == "inf" && abs((t["ratio"] as! Double) - 1.2) < 1e-12)
    }

    @Test func fromLogs() throws {
        let p = Problem()
        let run = try spectralkd(["predict", "--classes", "5", "--baseline-accuracy", "0.5", "--teacher-accuracy", "0.7",
                                  "--temperature", "4", "--ce-weight", "0.1", "--kl-weight", "0.9", "--kl-times-t2",
                                  "--student-logits", p.logits, "--teacher-logits", p.teacher, "--labels", p.labels,
                                  "--out", p.out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(s["g_estimator"] as? String == "trace" && s["chi_estimator"] as? String == "agreement")
        #expect(abs((s["alpha"] as! Double) - 144) < 1e-9)
    }

    @Test func badInput() throws {
        let p = Problem()
        let base = ["predict", "--classes", "5", "--baseline-accuracy", "0.5", "--teacher-accuracy", "0.7", "--temperature", "4"]
        let noAlpha = try spectralkd(base + ["--g", "1", "--chi", "1"])
        #expect(noAlpha.status == 64 && noAlpha.stderr.contains("exactly one way"))
        let noChi = try spectralkd(base + ["--alpha", "1", "--g", "1"])
        #expect(noChi.status == 64 && noChi.stderr.contains("--chi"))
        let pct = try spectralkd(["predict", "--classes", "5", "--baseline-accuracy", "73", "--teacher-accuracy", "0.7",
                                  "--temperature", "4", "--alpha", "1", "--g", "1", "--chi", "1"])
        #expect(pct.status == 64 && pct.stderr.contains("fraction"))
        let missing = try spectralkd(base + ["--alpha", "1", "--student-logits", p.folder + "/none.npy", "--labels", p.labels,
                                             "--chi", "1", "--out", p.out])
        #expect(missing.status == 1 && missing.stderr.contains("none.npy"))
        #expect(filesIn(p.out).isEmpty)
    }
}

@Suite struct EvaluateCommandTests {
    /// A small hand-made sweep; the metrics of the no-change baseline are computed by hand.
    @Test func handMadeSweep() throws {
        let folder = makeTemporaryFolder()
        let csv = DistillationRuns.handMade
        writeFile(folder + "/runs.csv", Array(csv.utf8))
        let run = try spectralkd(["evaluate", "--runs", folder + "/runs.csv", "--out", folder + "/eval", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let m = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(m["configurations"] as? Int == 3)
        // Baseline mean 0.61; observed 0.67, 0.70, 0.72: errors -6, -9, -11 points.
        let noChange = m["no_change"] as! [String: Any]
        #expect(abs((noChange["mae"] as! Double) - 26.0 / 3) < 1e-9)
        #expect(abs((noChange["bias"] as! Double) + 26.0 / 3) < 1e-9)
        #expect(abs((noChange["rmse"] as! Double) - ((36.0 + 81 + 121) / 3).squareRoot()) < 1e-9)
        // Teacher 0.80: errors +13, +10, +8.
        #expect(abs(((m["teacher"] as! [String: Any])["mae"] as! Double) - 31.0 / 3) < 1e-9)
        for key in ["formula", "dual_interpolation", "teacher_gap_fraction", "calibrated"] { #expect(m[key] != nil) }
        #expect((m["g_estimator"] as? String)?.contains("calibrated") == true)
        let table = try TextTable.read(path: folder + "/eval/predictions.csv")
        #expect(table.rows.count == 3 && table.header.contains("residual_formula"))
        #expect(try table.number(0, "seeds") == 2 && abs(try table.number(0, "observed") - 0.67) < 1e-12)
    }

    @Test func badRunsFiles() throws {
        let folder = makeTemporaryFolder()
        writeFile(folder + "/odd.csv", Array("a,b\n1,2\n".utf8))
        let odd = try spectralkd(["evaluate", "--runs", folder + "/odd.csv", "--out", folder + "/e"])
        #expect(odd.status == 1 && odd.stderr.contains("neither a sweep"))
        writeFile(folder + "/pct.csv", Array("source,dataset,classes,test_size,teacher,student,teacher_acc,student_acc,kd_acc,temperature,ce_weight,kl_weight,kl_times_t2\nx,c,100,1,a,b,75.6,73.2,74.9,4,0.1,0.9,true\nx,c,100,1,a,b,0.75,0.73,0.74,4,0.1,0.9,true\n".utf8))
        let pct = try spectralkd(["evaluate", "--runs", folder + "/pct.csv", "--out", folder + "/e"])
        #expect(pct.status == 1 && pct.stderr.contains("not a fraction"))
        #expect(filesIn(folder + "/e").isEmpty)
    }
}
