import Foundation

/// How work over rows is split across cores.
///
/// Blocks have a fixed size that does not depend on the number of threads, and every
/// reduction merges block results in block order, so results are bit-identical whatever the
/// thread count (`SPECTRALKD_THREADS` overrides the core count, for tests and benchmarks).
public enum ParallelRows {
    /// Worker threads: `SPECTRALKD_THREADS` if set to a positive integer, else the active cores.
    /// Read once: every parallel loop asks (the GMP law's CDF table hundreds of times per fit), and
    /// `ProcessInfo.environment` builds a dictionary of the whole environment on each call.
    public static let workerCount: Int = {
        if let text = ProcessInfo.processInfo.environment["SPECTRALKD_THREADS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body` once per block of `blockSize` rows of `0 ..< rows`, spread over the workers.
    /// `body` receives the block index and its row range; it must only write state owned by its block.
    public static func forEachBlock(rows: Int, blockSize: Int, parallel: Bool = true, _ body: (Int, Range<Int>) -> Void) {
        let blocks = (rows + blockSize - 1) / blockSize
        if blocks == 0 { return }
        let workers = parallel ? min(workerCount, blocks) : 1
        if workers == 1 {
            for b in 0..<blocks { body(b, b * blockSize ..< min(rows, (b + 1) * blockSize)) }
            return
        }
        // Blocks write disjoint state (the caller's contract), so sharing `body` is safe.
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var b = w
                while b < blocks {
                    work(b, b * blockSize ..< min(rows, (b + 1) * blockSize))
                    b += workers
                }
            }
        }
    }

    /// `body(i)` for every `i` in `0 ..< count`, spread over the workers, results in index order
    /// (independent work items: bootstrap replicates, Monte Carlo replicas, input files). Every
    /// call runs; when some throw, the error of the smallest index is rethrown.
    public static func map<T, E: Error>(_ count: Int, _ body: (Int) throws(E) -> T) throws(E) -> [T] {
        if count == 0 { return [] }
        var results = [Result<T, E>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            forEachBlock(rows: count, blockSize: 1) { i, _ in base[i] = Result { () throws(E) -> T in try body(i) } }
        }
        return try results.map { (slot) throws(E) -> T in try slot!.get() }
    }
}

/// A thread-safe count of finished work items, for progress reports from inside `map`.
public final class FinishedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    public init() {}
    /// One more item finished; returns how many have.
    public func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}
