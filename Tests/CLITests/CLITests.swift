import ArrayIO
import Foundation
import Testing
import _TestSupport

/// The built `spectralkd` binary, found beside the test bundle.
let executable: String = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = url.appendingPathComponent("spectralkd").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        url = url.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/spectralkd").path
}()

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

func spectralkd(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
    try runProcess(executable, arguments, environment: environment)
}

/// A program that ran past its time limit, with what its processes were doing when it was
/// killed: a hang fails its test within minutes, with the evidence, instead of stalling CI.
struct ProcessTimedOut: Error, CustomStringConvertible {
    let command: String, seconds: Double, processes: String, stderr: String
    var description: String {
        "\(command) ran past \(Int(seconds)) s and was killed. Its processes then:\n\(processes)\nIts stderr:\n\(stderr)"
    }
}

/// Runs a program to completion, capturing both streams; throws `ProcessTimedOut` (after killing
/// the program and everything it started) when it runs past `timeout` seconds.
///
/// By `posix_spawn` and a polled `waitpid`, not Foundation's `Process`, so that it can give up
/// with evidence. (A fresh-clone `make test` that hung on 2026-12-04 was first put down to
/// `Process.waitUntilExit`; the hang caught later in the act was OpenBLAS's pool shutdown, see
/// `BLASThreadsTests`.) The streams go to temporary files, not pipes: a pipe read one stream
/// after the other deadlocks once the unread one fills.
/// The child starts in its own process group with no blocked signals and default handlers, as
/// from a shell, and inherits standard input.
func runProcess(_ program: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 900) throws -> Run {
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let folder = makeTemporaryFolder("process")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let outPath = folder + "/stdout", errPath = folder + "/stderr"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t(), allSignals = sigset_t()
    sigemptyset(&noSignals)
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    func read(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    // Polled, from 0.5 ms up to 10 ms between looks: a blocking waitpid could not give up.
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0, pause: useconds_t = 500
    while true {
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { break }
        if reaped == -1, errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
        if Date() > deadline {
            let tree = ProcessTree(root: pid)
            let report = tree.report()
            tree.kill()
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            throw ProcessTimedOut(command: ([program] + arguments).joined(separator: " "), seconds: timeout, processes: report, stderr: read(errPath))
        }
        usleep(pause)
        pause = min(pause * 2, 10_000)
    }
    // Exit status, or the signal number for a child killed by one (what `Process` reported).
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
    return Run(status: code, stdout: read(outPath), stderr: read(errPath))
}

/// A process and its descendants, found through /proc.
struct ProcessTree {
    let pids: [pid_t]

    init(root: pid_t) {
        var parent: [pid_t: pid_t] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // "pid (comm) state ppid ...": the name may hold spaces and brackets, so split after ")".
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let ppid = pid_t(fields[1]) { parent[pid] = ppid }
        }
        var found = [root], index = 0
        while index < found.count {
            found += parent.filter { $0.value == found[index] }.keys.sorted()
            index += 1
        }
        pids = found
    }

    /// Each process's command line, state and kernel wait channel, and its threads' stacks when
    /// gdb is installed.
    func report() -> String {
        let gdb = ["/usr/bin/gdb", "/usr/local/bin/gdb"].first { FileManager.default.isExecutableFile(atPath: $0) }
        return pids.map { pid in
            let command = ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").replacingOccurrences(of: "\0", with: " ")
            let state = ((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "").split(separator: "\n").first { $0.hasPrefix("State:") } ?? ""
            let channel = (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) ?? "?"
            var text = "pid \(pid): \(command)\n  \(state), waiting in \(channel)"
            if let gdb, let run = try? runProcess(gdb, ["-p", String(pid), "-batch", "-nx", "-ex", "thread apply all bt 15"], timeout: 60) {
                text += "\n" + String(run.stdout.suffix(6000))
            }
            return text
        }.joined(separator: "\n")
    }

    /// SIGKILL to every process of the tree (and to the root's process group).
    func kill() {
        _ = Glibc.kill(-pids[0], SIGKILL)
        for pid in pids { _ = Glibc.kill(pid, SIGKILL) }
    }
}

/// A small valid problem written to a temporary folder: N x C logits, labels, a teacher.
struct Problem {
    let folder = makeTemporaryFolder("spectralkd-cli")
    let n = 120, c = 5
    var labels: String { folder + "/y.npy" }
    var logits: String { folder + "/z.npy" }
    var teacher: String { folder + "/t.npy" }
    var out: String { folder + "/out" }

    init() {
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 1)
        let (t, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: 2)
        writeFile(labels, Writers.npy(int64: y, shape: [n]))
        writeFile(logits, Writers.npy(float64: z, shape: [n, c]))
        writeFile(teacher, Writers.npy(float64: t, shape: [n, c]))
    }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        writeFile(folder + "/" + name, bytes)
        return folder + "/" + name
    }
}

@Suite struct SpectrumCommandTests {
    @Test func jsonPrintsOnlyTheSummary() throws {
        let p = Problem()
        let run = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--teacher-logits", p.teacher,
                                  "--out", p.out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["classes"] as? Int == p.c)
        #expect(object?["samples"] as? Int == p.n)
        #expect(object?["agreement"] != nil && object?["trace_hhat"] != nil)
        #expect(filesIn(p.out) == ["eigenvalues.csv", "summary.json", "teacher_eigenvalues.csv"])
    }

    @Test func humanOutputAndHelp() throws {
        let p = Problem()
        let run = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out])
        #expect(run.status == 0)
        #expect(run.stdout.contains("soft accuracy") && run.stdout.contains("wrote"))
        let help = try spectralkd(["spectrum", "--help"])
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("--teacher-logits"))
    }

    /// Every command's help has examples, and its discussion is written in lines that fit an
    /// 80-column terminal: ArgumentParser re-wraps longer lines into ragged fragments.
    @Test(arguments: [[], ["demo"], ["spectrum"], ["fit"], ["density"], ["kde"], ["predict"], ["evaluate"], ["teacher"], ["linear"], ["wide"], ["plot"],
                      ["report"], ["export"], ["simulate"], ["sample", "pd"], ["sample", "wishart"]])
    func helpFitsEightyColumnsWithExamples(command: [String]) throws {
        let help = try spectralkd(command + ["--help"], environment: ["COLUMNS": "400"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example"), "no examples in \(command) --help")
        let discussion = help.stdout.components(separatedBy: "\nUSAGE:")[0].split(separator: "\n").dropFirst()  // after OVERVIEW
        for line in discussion where line.count > 80 {
            Issue.record("\(command) --help: \(line.count) columns: \(line)")
        }
    }

    /// Same inputs, same bits, whatever the thread count: on the float64 path, and on the float32
    /// pass (float32 files, enough rows and classes for every worker to own classes and rows).
    @Test func outputIsIdenticalForAnyThreadCount() throws {
        let p = Problem()
        let (n, c) = (3000, 37)
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.5, seed: 4)
        let (t, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2.5, seed: 5)
        func float32(_ values: [Double]) -> [UInt8] {
            var bytes = NPYHeader.encode(descr: "<f4", shape: [n, c])
            for v in values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } }
            return bytes
        }
        let labels32 = p.write("y32.npy", Writers.npy(int64: y, shape: [n]))
        let cases = [(p.labels, p.logits, p.teacher, "7", "double"),
                     (labels32, p.write("z32.npy", float32(z)), p.write("t32.npy", float32(t)), "1024", "single")]
        for (labels, logits, teacher, blockRows, precision) in cases {
            var outputs: [String] = []
            for threads in ["1", "2", "3"] {
                let out = p.out + precision + threads
                let run = try spectralkd(["spectrum", "--labels", labels, "--logits", logits, "--teacher-logits", teacher,
                                          "--out", out, "--block-rows", blockRows, "--json"], environment: ["SPECTRALKD_THREADS": threads])
                #expect(run.status == 0)
                #expect(run.stdout.contains("\"softmax_precision\": \"\(precision)\""))
                outputs.append(try String(contentsOfFile: out + "/eigenvalues.csv", encoding: .utf8)
                               + String(contentsOfFile: out + "/teacher_eigenvalues.csv", encoding: .utf8))
            }
            #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2], "\(precision)")
        }
    }
}

/// Bad input: one line naming the file, the problem and the fix; non-zero exit; nothing written.
@Suite struct BadInputTests {
    func expectFailure(_ p: Problem, _ arguments: [String], mentioning words: [String], status: Int32 = 1,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try spectralkd(["spectrum"] + arguments + ["--out", p.out])
        #expect(run.status == status, "exit \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        let lines = run.stderr.split(separator: "\n")
        if status == 1 { #expect(lines.count == 1, "expected one line, got: \(run.stderr)", sourceLocation: sourceLocation) }
        for word in words { #expect(run.stderr.contains(word), "'\(word)' not in: \(run.stderr)", sourceLocation: sourceLocation) }
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(filesIn(p.out).isEmpty, "partial output: \(filesIn(p.out))", sourceLocation: sourceLocation)
    }

    @Test func malformedFiles() throws {
        let p = Problem()
        let garbage = p.write("bad.npy", Array("definitely not numpy".utf8))
        try expectFailure(p, ["--labels", p.labels, "--logits", garbage], mentioning: [garbage, "magic"])
        var truncated = Writers.npy(float64: [Double](repeating: 0.5, count: p.n * p.c), shape: [p.n, p.c])
        truncated.removeLast(100)
        let cut = p.write("cut.npy", truncated)
        try expectFailure(p, ["--labels", p.labels, "--logits", cut], mentioning: [cut, "truncated"])
        let csv = p.write("bad.csv", Array("a,b\n1,2\n3,oops\n".utf8))
        try expectFailure(p, ["--labels", p.labels, "--logits", csv], mentioning: [csv, "line 3", "'oops' is not a number"])
        let missing = p.folder + "/missing.npy"
        try expectFailure(p, ["--labels", p.labels, "--logits", missing], mentioning: [missing, "No such file"])
    }

    @Test func nonFiniteValues() throws {
        let p = Problem()
        for bad in [Double.nan, .infinity, -.infinity] {
            var values = [Double](repeating: 0.1, count: p.n * p.c)
            values[7 * p.c + 3] = bad
            let file = p.write("nonfinite.npy", Writers.npy(float64: values, shape: [p.n, p.c]))
            try expectFailure(p, ["--labels", p.labels, "--logits", file], mentioning: [file, "row 7, column 3"])
        }
    }

    @Test func rowsThatAreNotProbabilities() throws {
        let p = Problem()
        var values = [Double](repeating: 1.0 / Double(p.c), count: p.n * p.c)
        values[40 * p.c] += 0.01
        let off = p.write("off.npy", Writers.npy(float64: values, shape: [p.n, p.c]))
        try expectFailure(p, ["--labels", p.labels, "--probs", off], mentioning: [off, "row 40", "--logits"])
        try expectFailure(p, ["--labels", p.labels, "--probs", p.logits], mentioning: [p.logits, "--logits"])
        // Within tolerance is accepted (float32 logging drifts by ~1e-7).
        values[40 * p.c] -= 0.0099
        let close = p.write("close.npy", Writers.npy(float64: values, shape: [p.n, p.c]))
        #expect(try spectralkd(["spectrum", "--labels", p.labels, "--probs", close, "--out", p.out]).status == 0)
    }

    @Test func labelsOutOfRangeOrNotIntegers() throws {
        let p = Problem()
        var labels = [Int](repeating: 0, count: p.n)
        labels[9] = p.c
        let high = p.write("high.npy", Writers.npy(int64: labels, shape: [p.n]))
        try expectFailure(p, ["--labels", high, "--logits", p.logits], mentioning: [high, "label 5 at row 9", "0..<5"])
        labels[9] = -1
        let low = p.write("low.npy", Writers.npy(int64: labels, shape: [p.n]))
        try expectFailure(p, ["--labels", low, "--logits", p.logits], mentioning: [low, "label -1"])
        var fractional = [Double](repeating: 1, count: p.n)
        fractional[3] = 1.5
        let frac = p.write("frac.npy", Writers.npy(float64: fractional, shape: [p.n]))
        try expectFailure(p, ["--labels", frac, "--logits", p.logits], mentioning: [frac, "row 3", "not a whole number"])
    }

    @Test func mismatchedShapesAndEmptyInput() throws {
        let p = Problem()
        let short = p.write("short.npy", Writers.npy(int64: [Int](repeating: 0, count: p.n - 1), shape: [p.n - 1]))
        try expectFailure(p, ["--labels", short, "--logits", p.logits], mentioning: [short, "119 labels for 120 rows"])
        let narrow = p.write("narrow.npy", Writers.npy(float64: [Double](repeating: 0, count: p.n * 4), shape: [p.n, 4]))
        try expectFailure(p, ["--labels", p.labels, "--logits", p.logits, "--teacher-logits", narrow],
                          mentioning: [narrow, "120 x 4", "120 x 5"])
        let empty = p.write("empty.npy", Writers.npy(float64: [], shape: [0, p.c]))
        let noLabels = p.write("nolabels.npy", Writers.npy(int64: [], shape: [0]))
        try expectFailure(p, ["--labels", noLabels, "--logits", empty], mentioning: [empty, "empty"])
        let emptyCSV = p.write("empty.csv", [])
        try expectFailure(p, ["--labels", p.labels, "--logits", emptyCSV], mentioning: [emptyCSV, "empty"])
        let oneClass = p.write("one.npy", Writers.npy(float64: [Double](repeating: 0, count: p.n), shape: [p.n, 1]))
        try expectFailure(p, ["--labels", p.labels, "--logits", oneClass], mentioning: [oneClass, "at least 2 classes"])
    }

    @Test func invalidOptionCombinations() throws {
        let p = Problem()
        try expectFailure(p, ["--labels", p.labels], mentioning: ["exactly one of --probs or --logits"], status: 64)
        try expectFailure(p, ["--labels", p.labels, "--logits", p.logits, "--temperature", "0"], mentioning: ["--temperature"], status: 64)
        try expectFailure(p, ["--labels", p.labels, "--logits", p.logits, "--teacher-probs", p.teacher, "--teacher-logits", p.teacher],
                          mentioning: ["at most one"], status: 64)
    }

    /// A failure on the second run leaves the first run's files untouched.
    @Test func failureDoesNotTouchEarlierOutputs() throws {
        let p = Problem()
        #expect(try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out]).status == 0)
        let before = try String(contentsOfFile: p.out + "/eigenvalues.csv", encoding: .utf8)
        let bad = p.write("bad.npy", Array("nope".utf8))
        let run = try spectralkd(["spectrum", "--labels", p.labels, "--logits", bad, "--out", p.out])
        #expect(run.status == 1)
        #expect(try String(contentsOfFile: p.out + "/eigenvalues.csv", encoding: .utf8) == before)
        #expect(filesIn(p.out) == ["eigenvalues.csv", "summary.json"])
    }
}
