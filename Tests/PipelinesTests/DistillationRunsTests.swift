import ArrayIO
import Distillation
import Foundation
import Pipelines
import Testing
import _TestSupport

let repositoryData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data").path

func write(_ text: String, _ name: String) -> String {
    let path = makeTemporaryFolder("runs") + "/" + name
    writeFile(path, Array(text.utf8))
    return path
}

@Suite struct RunsFileTests {
    /// Headers as users write them: mixed case, `-`/space for `_`, aliases; rows with empty
    /// values skipped and counted with their file lines; percent columns read as percent.
    @Test func publishedTableWithGaps() throws {
        let path = write("""
        Source,Dataset,Classes,Teacher,Student,Teacher-Acc,Student Acc,KD_Acc,T,CE_Weight,KL_Weight,kl_times_T2,notes
        a,c100,100,wrn40,wrn16,75.61,73.26,74.92,4,0.1,0.9,TRUE,x
        a,c100,100,r56,r20,72.34,69.06,70.66,4,0.1,0.9,true,

        a,c100,100,r110,r32,74.31,71.14,,4,0.1,0.9,true,missing kd
        b,img,1000,r34,r18,73.31,69.75,70.66,1,0.5,0.5,false,
        b,img,1000,r50,r18,76.13,69.75,nan,1,0.5,0.5,false,
        b,img,1000,r50,mbv1,76.13,70.13,71.21,1,0.5,0.5,false,
        """, "published.csv")
        let file = try RunsFile(path: path)
        #expect(file.layout == .published)
        #expect(file.configurations.count == 4)
        #expect(file.skippedLines == [5, 7])
        #expect(file.warnings.contains { $0.contains("skipped 2 row(s)") && $0.contains("lines 5, 7") })
        #expect(file.warnings.contains { $0.contains("percentages") })
        #expect(file.warnings.contains { $0.contains("'notes' is not used") })
        let first = file.configurations[0]
        #expect(abs(first.teacherAccuracy - 0.7561) < 1e-12 && abs(first.distilledAccuracy - 0.7492) < 1e-12)
        #expect(first.setting.temperature == 4 && abs(first.setting.alpha - 0.9 * 16 / 0.1) < 1e-9)
        #expect(first.source == "a" && first.dataset == "c100" && first.pair == "wrn40 -> wrn16" && first.lines == [2])
        #expect(file.configurations[2].setting.alpha == 1)  // KL not times T^2: alpha = kl / ce
    }

    /// Errors name the file line and the column as the file spells it, and a near-miss column
    /// is named in full (not hidden behind "and N more").
    @Test func errorLocations() throws {
        let bad = write("role,seed,temperature,alpha_h,ce_weight,kl_weight,kl_times_t2,test_accuracy,classes\nteacher,0,1,1,1,0,true,0.6,10\nbaseline,0,1,1,1,0,true,0.5,10\ndistilled,0,2,0.1,0.1,0.9,maybe,0.55,10\n", "bad.csv")
        #expect { try RunsFile(path: bad) } throws: { "\($0)".contains("line 4, column kl_times_t2") && "\($0)".contains("not true or false") }
        let near = write("source,teacher_acc,student_acc,kd_acc,temperature,ce_weight,kl_weight,kl_times_t2,clases\nx,0.7,0.6,0.65,4,0.1,0.9,true,10\n", "near.csv")
        #expect { try RunsFile(path: near) } throws: { "\($0)".contains("no column 'classes'") && "\($0)".contains("closest column is 'clases'") }
        let mixed = write("source,teacher_acc,student_acc,kd_acc,temperature,ce_weight,kl_weight,kl_times_t2,classes\nx,75.6,0.6,0.65,4,0.1,0.9,true,10\nx,0.7,0.6,0.65,4,0.1,0.9,true,10\n", "mixed.csv")
        #expect { try RunsFile(path: mixed) } throws: { "\($0)".contains("mixes fractions and percentages") }
    }

    /// The committed sweeps read as 16 configurations of 5 seeds each.
    @Test(arguments: ["sweep.csv", "sweep_deep.csv"])
    func committedSweeps(name: String) throws {
        let file = try RunsFile(path: repositoryData + "/runs/" + name)
        #expect(file.layout == .sweep && file.configurations.count == 16 && file.skippedLines.isEmpty)
        #expect(file.configurations.allSatisfy { $0.seeds == 5 && $0.distilledStandardError != nil })
    }
}

@Suite struct ReductionTests {
    /// `evaluate --reduction K` on a small table against an independent numpy implementation
    /// (Fixtures/reduction/make_reference.py), to 1e-9 points.
    @Test(arguments: [1, 2, 3])
    func matchesNumpy(k: Int) throws {
        let folder = makeTemporaryFolder("reduction")
        let result = try EvaluateJob(runs: fixture("reduction/small_sweep.csv"), reduction: k, outputFolder: folder).run()
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("reduction/reference.json")))
        let reference = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["\(k)"] as! [String: [String: Double]]
        let summaries = result.reductions[0].reduction.summaries
        for name in ["formula", "teacher_gap_fraction"] {
            let s = summaries.first { $0.name == name }!, r = reference[name]!
            #expect(abs(s.meanMAE - r["mean"]!) < 1e-9 && abs(s.medianMAE - r["median"]!) < 1e-9 && abs(s.worstMAE - r["worst"]!) < 1e-9,
                    "\(name) k=\(k): \(s) vs \(r)")
            #expect(Double(s.pilotSets) == r["sets"]!)
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/reduction.csv"))
    }

    /// On both committed sweeps, for every pilot set of size 1 to 4, the one-parameter formula's
    /// raw prediction (before any clipping) stays inside [0, 1]; and with one pilot its mean
    /// held-out MAE is below every baseline fitted on the same pilot.
    @Test(.slow, arguments: ["sweep.csv", "sweep_deep.csv"])
    func committedSweepsStayInRange(name: String) throws {
        let configs = try RunsFile(path: repositoryData + "/runs/" + name).configurations
        for k in 1...4 {
            for pilots in combinations(configs.count, k) {
                let fit = try PilotFit(PilotModel(), pilots: pilots.map { configs[$0] })
                for r in configs {
                    let v = fit.predict(r).value
                    #expect(v >= 0 && v <= 1, "\(name) k=\(k) pilots \(pilots): \(v)")
                }
            }
        }
        let result = try EvaluateJob(runs: repositoryData + "/runs/" + name, reduction: 1, outputFolder: makeTemporaryFolder("committed")).run()
        let s = result.reductions[0].reduction.summaries
        let formula = s[0].meanMAE
        for b in s where ["no_change", "teacher", "dual_interpolation", "teacher_gap_fraction"].contains(b.name) {
            #expect(formula < b.meanMAE, "\(name): formula \(formula) vs \(b.name) \(b.meanMAE)")
        }
    }

    func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        if k == 0 { return [[]] }
        if n < k { return [] }
        return combinations(n - 1, k) + combinations(n - 1, k - 1).map { $0 + [n - 1] }
    }

    /// `--group-by source` calibrates within each source: a group's fit never sees another's runs.
    @Test func groupsAreCalibratedApart() throws {
        var text = "source,teacher_acc,student_acc,kd_acc,temperature,ce_weight,kl_weight,kl_times_t2,classes\n"
        for i in 0..<4 { text += "a,0.70,0.60,\(0.62 + 0.002 * Double(i)),4,0.1,0.9,true,100\n" }
        for i in 0..<4 { text += "b,0.50,0.40,\(0.49 + 0.002 * Double(i)),4,0.1,0.9,true,100\n" }
        let path = write(text, "groups.csv")
        let pooled = try EvaluateJob(runs: path, outputFolder: makeTemporaryFolder("g1")).run()
        let grouped = try EvaluateJob(runs: path, groupBy: .source, outputFolder: makeTemporaryFolder("g2")).run()
        // Within a group the gain is about 2 or 9 points; pooling mixes them.
        let pooledMAE = pooled.metrics.formula?.mae ?? .nan, groupedMAE = grouped.metrics.formula?.mae ?? .nan
        #expect(groupedMAE < 0.5 && pooledMAE > 2, "grouped \(groupedMAE), pooled \(pooledMAE)")
        #expect(grouped.metrics.groups.count == 2)
        let byGroup = try EvaluateJob(runs: path, reduction: 1, groupBy: .source, outputFolder: makeTemporaryFolder("g3")).run()
        #expect(byGroup.reductions.map(\.group) == ["a", "b"] && byGroup.reductions.allSatisfy { $0.reduction.sets.count == 4 })
        #expect { try EvaluateJob(runs: path, groupBy: .pair, outputFolder: makeTemporaryFolder("g4")).run() } throws: { "\($0)".contains("no pair") }
    }
}

@Suite struct PredictJobTests {
    /// One pilot predicts a 16-configuration grid and names its best configuration; the pilot is
    /// marked; without seeds the interval is unavailable, never a made-up width.
    @Test func onePilotGrid() throws {
        let text = "role,seed,temperature,alpha_h,ce_weight,kl_weight,kl_times_t2,test_accuracy,classes\nteacher,0,1,1,1,0,true,0.34,100\nbaseline,0,1,1,1,0,true,0.29,100\ndistilled,0,4,0.1,0.1,0.9,true,0.36,100\n"
        let path = write(text, "pilot.csv")
        let folder = makeTemporaryFolder("predict")
        let result = try PredictJob(pilots: path, points: try ConfigurationGrid.parse("T=1,2,4,8 alpha_h=0,0.1,0.5,0.9"), outputFolder: folder).run()
        #expect(result.rows.count == 16)
        #expect(result.rows.filter(\.isPilot).count == 1)
        #expect(result.rows.allSatisfy { $0.lower == nil && $0.upper == nil })
        #expect(result.summary.intervalSource == "unavailable")
        #expect(result.best.point.setting.softWeight == 1)
        // chi from the single pilot, by hand.
        let ws = DistillationSetting(temperature: 4, hintonAlpha: 0.1).softWeight
        #expect(abs(result.best.chi - (1 + 0.07 / (ws * 0.28))) < 1e-12)
        let table = try TextTable.read(path: folder + "/predictions.csv")
        #expect(table.rows.count == 16 && table.header.contains("flag") && table.header.contains("soft_weight"))
        #expect(result.summary.recommended.beatsNoChange == nil)
    }

    /// The options are checked against the pilots file and the logs.
    @Test func contradictionsAreRefused() throws {
        let text = "role,seed,temperature,alpha_h,ce_weight,kl_weight,kl_times_t2,test_accuracy,classes\nteacher,0,1,1,1,0,true,0.34,100\nbaseline,0,1,1,1,0,true,0.29,100\ndistilled,0,4,0.1,0.1,0.9,true,0.36,100\n"
        let path = write(text, "pilot.csv")
        let grid = try ConfigurationGrid.parse("T=2 alpha_h=0.5")
        #expect { try PredictJob(baselineAccuracy: 0.31, pilots: path, points: grid, outputFolder: makeTemporaryFolder("p")).run() }
            throws: { "\($0)".contains("baseline accuracy 0.2900") }
        #expect { try PredictJob(classes: 10, pilots: path, points: grid, outputFolder: makeTemporaryFolder("p")).run() }
            throws: { "\($0)".contains("100 classes") }
        #expect { try PredictJob(pilots: path, points: grid, g: .perTemperature, outputFolder: makeTemporaryFolder("p")).run() }
            throws: { "\($0)".contains("per-temperature has 2 parameters") }
    }

    @Test func grids() throws {
        #expect(try ConfigurationGrid.parse("T=1,2 alpha=0,inf").count == 4)
        #expect(try ConfigurationGrid.parse("temperature=4 ce_weight=0.1,0.5 kl_weight=0.9 kl_times_t2=false").map(\.setting.alpha) == [9, 1.8])
        for bad in ["alpha_h=0.1", "T=1 alpha_h=2", "T=0 alpha=1", "T=1 alpha_h=0.1 alpha=1", "T=1 beta=2", "T=1,x alpha=1"] {
            #expect(throws: PipelineError.self, "\(bad)") { try ConfigurationGrid.parse(bad) }
        }
    }
}
