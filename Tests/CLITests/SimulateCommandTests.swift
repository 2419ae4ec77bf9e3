import ArrayIO
import Foundation
import Testing
import _TestSupport

@Suite struct SimulateCommandTests {
    /// Same seed, same bits, whatever the thread count; and `fit --spectrum` reads the folder.
    @Test func deterministicAndFittable() throws {
        let folder = makeTemporaryFolder()
        var outputs: [String] = []
        for threads in ["1", "2"] {
            let out = folder + "/sim" + threads
            let run = try spectralkd(["simulate", "--classes", "30", "--samples", "600", "--accuracy", "0.5", "--replicas", "3",
                                      "--seed", "11", "--teacher-accuracy", "0.6", "--agreement", "0.7", "--out", out, "--json"],
                                     environment: ["SPECTRALKD_THREADS": threads])
            #expect(run.status == 0, "\(run.stderr)")
            outputs.append(try String(contentsOfFile: out + "/eigenvalues.csv", encoding: .utf8)
                           + String(contentsOfFile: out + "/replicas.csv", encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1])
        #expect(filesIn(folder + "/sim1") == ["eigenvalues.csv", "replicas.csv", "summary.json", "teacher_eigenvalues.csv"])
        let eigenvalues = try CSVTable.read(path: folder + "/sim1/eigenvalues.csv")
        #expect(eigenvalues.rows == 3 * 29)
        let fit = try spectralkd(["fit", "--spectrum", folder + "/sim1", "--bootstrap", "0", "--out", folder + "/fit", "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        #expect(s["n"] as? Int == 87 && abs((s["q"] as! Double) - 29.0 / 600) < 1e-15)
    }

    @Test func infeasibleTargetsAndBadOptions() throws {
        let run = try spectralkd(["simulate", "--classes", "10", "--samples", "100", "--accuracy", "0.9", "--seed", "1",
                                  "--teacher-accuracy", "0.5", "--agreement", "0.9"])
        #expect(run.status == 64 && run.stderr.contains("cannot be reached"))
        let lonely = try spectralkd(["simulate", "--classes", "10", "--samples", "100", "--accuracy", "0.5", "--seed", "1",
                                     "--agreement", "0.9"])
        #expect(lonely.status == 64)
    }
}

@Suite struct SampleCommandTests {
    @Test func poissonDirichletNpy() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["sample", "pd", "--alpha", "0.5", "--theta", "1", "--count", "300", "--atoms", "100",
                                  "--seed", "3", "--out", folder + "/w.npy", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let w = try NPYArray(path: folder + "/w.npy")
        #expect(w.rows == 300 && w.columns == 100 && w.elementType == .float64)
        let values = try w.readAll()
        for r in 0..<300 {
            let row = Array(values[r * 100 ..< (r + 1) * 100])
            #expect(row == row.sorted(by: >) && row.reduce(0, +) <= 1 + 1e-12)
        }
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect((s["largest_truncated_mass"] as! Double) > 0 && (s["expected_sum_of_squares"] as! Double) == 0.25)
        let again = try spectralkd(["sample", "pd", "--alpha", "0.5", "--theta", "1", "--count", "300", "--atoms", "100",
                                    "--seed", "3", "--out", folder + "/w2.npy"], environment: ["SPECTRALKD_THREADS": "1"])
        #expect(again.status == 0)
        #expect(FileManager.default.contents(atPath: folder + "/w.npy") == FileManager.default.contents(atPath: folder + "/w2.npy"))
        let bad = try spectralkd(["sample", "pd", "--alpha", "1", "--theta", "1", "--count", "3", "--atoms", "3", "--seed", "1"])
        #expect(bad.status == 64)
    }

    @Test(arguments: ["white", "correlated", "generalized"])
    func wishartEigenvalues(kind: String) throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["sample", "wishart", "--kind", kind, "--dimension", "40", "--samples", "160", "--correlation", "0.3",
                                  "--replicas", "2", "--seed", "5", "--out", folder + "/e.csv", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let table = try CSVTable.read(path: folder + "/e.csv")
        #expect(table.rows == 80 && table.columnNames == ["eigenvalue"])
        let values = table.values
        #expect(values == values.sorted())
        if kind != "generalized" { #expect(values.allSatisfy { $0 > 0 }) }
    }
}
