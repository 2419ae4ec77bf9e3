import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal
/// (never in pipes, logs or CI), redrawn at most ten times a second.
public final class ProgressBar {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private var lastDraw = 0.0
    private let start = Date()

    public init(label: String, total: Int, enabled: Bool = isatty(2) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    public func update(_ done: Int) {
        guard enabled else { return }
        let now = Date().timeIntervalSince(start)
        if now - lastDraw < 0.1 && done < total { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(done)/\(total) rows, \(String(format: "%.1f", now)) s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func finish() {
        guard enabled else { return }
        update(total)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
