import ArrayIO
import Foundation
import Testing
import _TestSupport

/// Every command's `--json` summary, on fixed inputs, is a committed file
/// (Tests/CLITests/Golden/json), so a change to what scripts and notebooks read (a key renamed,
/// moved, or a number changed) is a reviewed diff. What varies between runs is masked: the
/// temporary folder becomes `$OUT`, run ids, times and thread counts become placeholders, and
/// numbers are written to 9 significant digits and compared within `relativeTolerance` (the last
/// bits of BLAS and of the float32 pass differ between CPUs: seen on AMD against Intel, 1e-7
/// relative on float32 inputs, and rounding-level values such as 6e-16 that differ entirely).
/// `SPECTRALKD_UPDATE_GOLDEN=1 swift test --filter GoldenJSON` rewrites them.
@Suite(.serialized) struct GoldenJSONTests {
    /// The commands, in an order where each one's inputs exist: name, then arguments.
    static func commands(_ out: String) -> [(String, [String])] {
        let data = repositoryRoot + "/data"
        let example = data + "/example"
        return [
            ("spectrum", ["spectrum", "--labels", example + "/labels.npy", "--logits", example + "/student_logits.npy",
                          "--teacher-logits", example + "/teacher_logits.npy", "--out", out + "/s"]),
            // Small inputs written by the test (600 x 30): the moment probes run to their cap.
            ("spectrum-matrix-free", ["spectrum", "--labels", out + "/y.npy", "--logits", out + "/z.npy",
                                      "--matrix-free", "--seed", "1", "--out", out + "/mf"]),
            ("fit", ["fit", "--spectrum", out + "/s", "--bootstrap", "9", "--seed", "2", "--out", out + "/f"]),
            ("fit-matrix-free", ["fit", "--spectrum", out + "/mf", "--out", out + "/mff"]),
            ("density", ["density", "--q", "0.5", "--scale", "1", "--correlation", "0.3", "--out", out + "/d.csv"]),
            ("kde", ["kde", "--input", out + "/s", "--bandwidth", "isj", "--out", out + "/k.csv"]),
            ("simulate", ["simulate", "--classes", "20", "--samples", "800", "--accuracy", "0.4", "--replicas", "2", "--seed", "1",
                          "--teacher-accuracy", "0.5", "--agreement", "0.6", "--out", out + "/sim"]),
            ("sample-pd", ["sample", "pd", "--alpha", "0.5", "--theta", "1", "--count", "50", "--atoms", "20", "--seed", "7", "--out", out + "/w.npy"]),
            ("sample-wishart", ["sample", "wishart", "--kind", "generalized", "--dimension", "30", "--samples", "120", "--correlation", "0.5",
                                "--seed", "1", "--out", out + "/e.csv"]),
            ("predict", ["predict", "--pilots", data + "/runs/sweep.csv", "--pilot-filter", "T=4 alpha_h=0.1",
                         "--grid", "T=1,2,4,8 alpha_h=0,0.1,0.5,0.9", "--out", out + "/p"]),
            ("evaluate", ["evaluate", "--runs", data + "/runs/sweep.csv", "--reduction", "1", "--out", out + "/ev"]),
            ("teacher", ["teacher", "--labels", example + "/labels.npy", "--logits", example + "/teacher_logits.npy",
                         "--student-logits", example + "/student_logits.npy", "--out", out + "/t"]),
            ("linear", ["linear", "--dimension", "20", "--samples", "30", "--seed", "1", "--out", out + "/lin"]),
            ("wide", ["wide", "--rho", "1", "--temperature", "2", "--targets", "hard", "--max-samples", "100", "--orderings", "4",
                      "--out", out + "/wide"]),
            ("export", ["export", "--spectrum", out + "/s", "--fit", out + "/f", "--evaluate", out + "/ev", "--out", out + "/x"]),
            ("plot", ["plot", "--spectrum", out + "/s", "--fit", out + "/f", "--out", out + "/s.svg"]),
            ("report", ["report", "--spectrum", out + "/s", "--fit", out + "/f", "--evaluate", out + "/ev", "--prediction", out + "/p",
                        "--out", out + "/r.html"]),
        ]
    }

    /// The summary with what varies between runs masked and numbers to 9 significant digits.
    static func normalised(_ value: JSONValue, out: String) -> JSONValue {
        func walk(_ v: JSONValue, key: String?) -> JSONValue {
            switch v {
            // An input this test wrote (a summary with its time and run id, an eigenvalue file
            // whose last bits depend on the CPU): its size and hash are not the command's output.
            case let .object(pairs) where pairs.contains(where: { $0.0 == "sha256" }) && v["path"]?.string?.hasPrefix(out) == true:
                return .object(pairs.map { ($0.0, ["sha256", "bytes"].contains($0.0) ? .string("<\($0.0)>") : walk($0.1, key: $0.0)) })
            case let .object(pairs): return .object(pairs.map { ($0.0, walk($0.1, key: $0.0)) })
            case let .array(items) where key == "argv":  // the binary's path depends on the build folder
                return .array([.string("spectralkd")] + items.dropFirst().map { walk($0, key: key) })
            case let .array(items): return .array(items.map { walk($0, key: key) })
            // Rounding-level numbers (the structural zero, the identity's residual) are noise
            // whose digits depend on the CPU: only their presence is checked.
            case .double where key.map({ $0.contains("structural_zero") || $0.contains("structural_leak") || $0 == "identity_residual" }) == true:
                return .string("<rounding>")
            case let .double(d): return .string(String(format: "%.9g", d))
            case let .string(s):
                switch key {
                case "run_id": return .string("<run-id>")
                // A hash of eigenvalues whose last bits depend on the CPU.
                case "eigenvalues_sha256": return .string("<sha256>")
                case "time_utc": return .string("<time>")
                default: return .string(s.replacingOccurrences(of: out, with: "$OUT").replacingOccurrences(of: repositoryRoot, with: "$REPO"))
                }
            case .int where key == "threads": return .string("<threads>")
            default: return v
            }
        }
        return walk(value, key: nil)
    }

    /// Numbers agree when within this fraction of the larger, or both below `absoluteFloor`.
    static let relativeTolerance = 1e-6
    static let absoluteFloor = 1e-12

    /// Where `got` differs from `committed`, or nil: keys, order, types and text exactly; numbers
    /// (written as strings of 9 digits) within the tolerance; numbers inside text (a reason that
    /// quotes a statistic) to 6 significant digits.
    static func difference(_ committed: JSONValue, _ got: JSONValue, at path: String) -> String? {
        switch (committed, got) {
        case let (.object(a), .object(b)):
            guard a.map(\.0) == b.map(\.0) else { return "\(path): keys \(a.map(\.0)) became \(b.map(\.0))" }
            for ((key, x), (_, y)) in zip(a, b) { if let d = difference(x, y, at: path + "." + key) { return d } }
            return nil
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return "\(path): \(a.count) items became \(b.count)" }
            for (i, (x, y)) in zip(a, b).enumerated() { if let d = difference(x, y, at: "\(path)[\(i)]") { return d } }
            return nil
        case let (.string(a), .string(b)):
            if let x = Double(a), let y = Double(b) {
                let close = x == y || abs(x - y) <= relativeTolerance * max(abs(x), abs(y)) || max(abs(x), abs(y)) < absoluteFloor
                return close ? nil : "\(path): \(a) became \(b)"
            }
            return digitsRounded(a) == digitsRounded(b) ? nil : "\(path): '\(a)' became '\(b)'"
        default:
            return committed == got ? nil : "\(path): \(committed.rendered(pretty: false)) became \(got.rendered(pretty: false))"
        }
    }

    /// `text` with every decimal number of 7 or more significant digits written to 6.
    static func digitsRounded(_ text: String) -> String {
        let pattern = /[0-9]+\.[0-9]+(?:e[-+]?[0-9]+)?/
        return text.replacing(pattern) { match in
            let digits = match.output.filter(\.isNumber).drop { $0 == "0" }.count
            guard digits >= 7, let value = Double(match.output) else { return String(match.output) }
            return String(format: "%.6g", value)
        }
    }

    /// The comparison itself: rounding passes, a changed number, key, type or reason does not.
    @Test func comparisonToleratesRoundingOnly() {
        let base: JSONValue = .object([("a", .string("0.123456789")), ("b", .array([.string("3e-16"), .int(2)])),
                                       ("reason", .string("W1 is 0.0001998377948883266, within 0.5"))])
        func with(_ key: String, _ value: JSONValue) -> JSONValue { base.adding([(key, value)]) }
        #expect(Self.difference(base, base, at: "x") == nil)
        #expect(Self.difference(base, with("a", .string("0.123456800")), at: "x") == nil)
        #expect(Self.difference(base, with("b", .array([.string("6e-16"), .int(2)])), at: "x") == nil)
        #expect(Self.difference(base, with("reason", .string("W1 is 0.0001998377948883258, within 0.5")), at: "x") == nil)
        #expect(Self.difference(base, with("a", .string("0.12346")), at: "x") != nil)
        #expect(Self.difference(base, with("b", .array([.string("3e-16"), .int(3)])), at: "x") != nil)
        #expect(Self.difference(base, with("reason", .string("W1 is 0.0002198377948883266, within 0.5")), at: "x") != nil)
        #expect(Self.difference(base, with("a", .double(0.123456789)), at: "x") != nil)
        #expect(Self.difference(base, base.adding([("c", .null)]), at: "x") != nil)
    }

    @Test(.slow) func everySummaryIsTheCommittedOne() throws {
        let out = makeTemporaryFolder("golden-json")
        let (z, y) = randomClassifierOutputs(rows: 600, classes: 30, signal: 1, seed: 8)
        writeFile(out + "/y.npy", Writers.npy(int64: y, shape: [600]))
        writeFile(out + "/z.npy", Writers.npy(float64: z, shape: [600, 30]))
        let update = ProcessInfo.processInfo.environment["SPECTRALKD_UPDATE_GOLDEN"] == "1"
        for (name, arguments) in Self.commands(out) {
            let run = try spectralkd(arguments + ["--json"], environment: ["SPECTRALKD_THREADS": "2"])
            #expect(run.status == 0, "\(name): \(run.stderr)")
            guard run.status == 0 else { continue }
            let value = try JSONValue.parse(Array(run.stdout.utf8), file: "\(name) --json")
            let text = Self.normalised(value, out: out).rendered() + "\n"
            let path = repositoryRoot + "/Tests/CLITests/Golden/json/\(name).json"
            if update {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            guard let committedText = try? String(contentsOfFile: path, encoding: .utf8),
                  let committed = try? JSONValue.parse(Array(committedText.utf8), file: path) else {
                Issue.record("\(name).json is missing or unreadable (run SPECTRALKD_UPDATE_GOLDEN=1 to write it)")
                continue
            }
            if let difference = Self.difference(committed, try JSONValue.parse(Array(text.utf8), file: name), at: name) {
                Issue.record("\(difference) (run SPECTRALKD_UPDATE_GOLDEN=1 to accept)")
            }
        }
    }
}
