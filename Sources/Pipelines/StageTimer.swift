import Foundation

/// Wall-clock time per pipeline stage, printed to stderr when `SPECTRALKD_TIMINGS` is set
/// (for benchmarks; never part of an output file, so outputs stay bit-reproducible).
final class StageTimer {
    private var totals: [(String, Double)] = []
    let enabled = ProcessInfo.processInfo.environment["SPECTRALKD_TIMINGS"] != nil

    /// Runs `body`, adding its duration to `stage`.
    func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(stage, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        return try body()
    }

    /// Adds `seconds` to `stage` (a duration measured by the caller, such as a part of a stage).
    func add(_ stage: String, seconds: Double) {
        guard enabled else { return }
        if let i = totals.firstIndex(where: { $0.0 == stage }) { totals[i].1 += seconds } else { totals.append((stage, seconds)) }
    }

    func report() {
        guard enabled else { return }
        let line = totals.map { "\($0.0)=\(String(format: "%.4f", $0.1))" }.joined(separator: " ")
        FileHandle.standardError.write(Data("timings: \(line)\n".utf8))
    }
}
