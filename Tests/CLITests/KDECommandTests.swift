import ArrayIO
import Foundation
import Testing
import _TestSupport

@Suite struct KDECommandTests {
    @Test func readsASpectrumFolderAndDropsTheStructuralZero() throws {
        let p = Problem()
        #expect(try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out]).status == 0)
        let out = p.folder + "/kde.csv"
        let run = try spectralkd(["kde", "--input", p.out, "--bandwidth", "scott", "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(summary["dropped_structural_zero"] as? Bool == true)
        #expect(summary["n"] as? Int == p.c - 1)
        #expect(summary["bandwidth_method"] as? String == "scott")
        // ISJ needs more than 4 distinct points: a clear error, not a made-up bandwidth.
        let isj = try spectralkd(["kde", "--input", p.out, "--bandwidth", "isj", "--out", out])
        #expect(isj.status == 1 && isj.stderr.contains("no root"))
        let table = try CSVTable.read(path: out)
        #expect(table.columnNames == ["x", "density"] && table.rows == 4096)
    }

    @Test func csvColumnsWeightsAndBounds() throws {
        let p = Problem()
        let csv = p.write("runs.csv", Array("a,b\n0.1,1\n0.2,2\n0.4,3\n0.5,4\n".utf8))
        let weights = p.write("w.npy", Writers.npy(float64: [1, 2, 0, 1], shape: [4]))
        let out = p.folder + "/density.csv"
        let run = try spectralkd(["kde", "--input", csv, "--column", "a", "--weights", weights, "--lower", "0", "--upper", "1",
                                  "--bandwidth", "0.05", "--grid", "512", "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let table = try CSVTable.read(path: out)
        let x = try table.column(named: "x", file: out), f = try table.column(named: "density", file: out)
        #expect(x.first == 0 && x.last == 1)
        let mass = (f.reduce(0, +) - (f.first! + f.last!) / 2) * (x[1] - x[0])
        #expect(abs(mass - 1) < 1e-9)
    }

    func expectFailure(_ arguments: [String], mentioning words: [String], status: Int32 = 1, out: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try spectralkd(["kde"] + arguments + ["--out", out])
        #expect(run.status == status, "\(run.stderr)", sourceLocation: sourceLocation)
        if status == 1 { #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation) }
        for w in words { #expect(run.stderr.contains(w), "'\(w)' not in \(run.stderr)", sourceLocation: sourceLocation) }
        #expect(!FileManager.default.fileExists(atPath: out), sourceLocation: sourceLocation)
    }

    @Test func badInput() throws {
        let p = Problem()
        let out = p.folder + "/never.csv"
        let two = p.write("two.csv", Array("a,b\n1,2\n3,4\n".utf8))
        try expectFailure(["--input", two], mentioning: [two, "--column", "a, b"], out: out)
        try expectFailure(["--input", two, "--column", "zzz"], mentioning: [two, "no column 'zzz'"], out: out)
        let constant = p.write("c.npy", Writers.npy(float64: [2, 2, 2], shape: [3]))
        try expectFailure(["--input", constant], mentioning: [constant, "all data points are equal"], out: out)
        let nan = p.write("nan.npy", Writers.npy(float64: [1, .nan, 2], shape: [3]))
        try expectFailure(["--input", nan], mentioning: [nan, "data point 1 is nan"], out: out)
        let values = p.write("v.npy", Writers.npy(float64: [1, 2, 3], shape: [3]))
        let negative = p.write("neg.npy", Writers.npy(float64: [1, -1, 1], shape: [3]))
        try expectFailure(["--input", values, "--weights", negative], mentioning: [negative, "weight 1 is -1"], out: out)
        let short = p.write("short.npy", Writers.npy(float64: [1, 1], shape: [2]))
        try expectFailure(["--input", values, "--weights", short], mentioning: [short, "2 weights for 3"], out: out)
        try expectFailure(["--input", values, "--lower", "1.5"], mentioning: [values, "outside the bounds"], out: out)
        try expectFailure(["--input", p.logits], mentioning: [p.logits, "not a vector"], out: out)
        let empty = p.write("empty.npy", Writers.npy(float64: [], shape: [0]))
        try expectFailure(["--input", empty], mentioning: [empty, "no data points"], out: out)
        try expectFailure(["--input", values, "--bandwidth", "wide"], mentioning: ["--bandwidth"], status: 64, out: out)
        try expectFailure(["--input", p.folder], mentioning: [p.folder, "without eigenvalues.csv"], out: out)
        // A spectrum folder whose summary is not valid JSON (`1e`): an error naming it, not a
        // silently kept structural zero.
        let spectrum = p.folder + "/broken-spectrum"
        try FileManager.default.createDirectory(atPath: spectrum, withIntermediateDirectories: true)
        writeFile(spectrum + "/eigenvalues.csv", Array(("eigenvalue\n" + (0..<20).map { String(Double($0) / 10) }.joined(separator: "\n") + "\n").utf8))
        writeFile(spectrum + "/summary.json", Array(#"{"structural_zero": 1e}"#.utf8))
        try expectFailure(["--input", spectrum], mentioning: [spectrum + "/summary.json", "not valid JSON"], out: out)
    }
}
