import CBLAS
import Foundation

/// OpenBLAS's own thread pool, for callers that already run BLAS work in parallel.
///
/// Two threads each calling a threaded OpenBLAS routine contend for one pool and spin
/// (`sched_yield`): measured on `simulate` (200 replicas of H at C = 100, N = 1e4, 2 cores)
/// as 6.4 s with the pool at 2 threads against 2.5 s at 1. Also used to make `dsyevd`'s bits
/// independent of the core count (`SymmetricEigen`).
public enum BLASThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var singleThreadedUsers = 0
    nonisolated(unsafe) private static var savedCount: Int32 = 0

    /// OpenBLAS's current thread count.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS limited to one thread, restoring the previous count after the
    /// last overlapping caller leaves.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        if singleThreadedUsers == 0 {
            savedCount = openblas_get_num_threads()
            openblas_set_num_threads(1)
        }
        singleThreadedUsers += 1
        lock.unlock()
        defer {
            lock.lock()
            singleThreadedUsers -= 1
            if singleThreadedUsers == 0 { openblas_set_num_threads(savedCount) }
            lock.unlock()
        }
        return try body()
    }
}
