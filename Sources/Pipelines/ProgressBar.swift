import Foundation

/// A one-line progress bar on standard error with the time so far and an estimate of the time
/// left, drawn only when standard error is a terminal (never in pipes, logs or CI), redrawn at
/// most ten times a second. Safe to update from several threads.
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let unit: String
    private let enabled: Bool
    private var lastDraw = 0.0
    private let start = Date()
    private let lock = NSLock()

    public init(label: String, total: Int, unit: String = "rows", enabled: Bool = isatty(2) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
        self.enabled = enabled
    }

    public func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date().timeIntervalSince(start)
        if now - lastDraw < 0.1 && done < total { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let left = fraction > 0 && fraction < 1 ? String(format: ", about %.0f s left", now * (1 - fraction) / fraction) : ""
        let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(unit), \(String(format: "%.1f", now)) s\(left)   "
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func finish() {
        guard enabled else { return }
        update(total)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
