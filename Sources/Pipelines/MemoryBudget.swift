import Foundation

/// Refuses, before allocating, work whose dense matrices would not fit in this machine's memory:
/// a clear error instead of an allocation failure that kills the process (a 1 x 100000 logits
/// file asks `spectrum` for five 100000 x 100000 matrices, 400 GB).
enum MemoryBudget {
    /// Physical memory, or `SPECTRALKD_MEMORY_LIMIT` (bytes) when set: tests and shared machines.
    static var limit: Double {
        if let text = ProcessInfo.processInfo.environment["SPECTRALKD_MEMORY_LIMIT"], let value = Double(text), value > 0 { return value }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }

    /// Throws when `bytes` (an estimate of the peak) exceed the limit.
    /// - Parameters:
    ///   - what: the work, as in "H for 100000 classes".
    ///   - file: what the error line starts with (the input file, or the option).
    ///   - fix: what the user can do instead.
    static func require(_ bytes: Double, for what: String, file: String, fix: String) throws {
        let available = limit
        guard bytes > available else { return }
        throw PipelineError(file: file, problem: "\(what) needs about \(gigabytes(bytes)) of memory but this machine has \(gigabytes(available))",
                            fix: fix)
    }

    /// Peak bytes of `count` dense `order x order` double matrices.
    static func matrices(_ count: Int, order: Int) -> Double { Double(count) * 8 * Double(order) * Double(order) }

    static func gigabytes(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    }
}
