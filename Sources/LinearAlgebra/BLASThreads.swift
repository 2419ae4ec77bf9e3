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

    /// Ends OpenBLAS's worker threads now; its next threaded call starts them again.
    ///
    /// OpenBLAS starts its pool when the library loads, and idle workers spin on `sched_yield`
    /// for about 2^28 cycles (0.1 s) before they sleep. On a 2-core machine that spinning takes a
    /// core from the first 0.1 s of whatever runs next (seen in `spectrum`: its float32 pass, which
    /// calls no BLAS, ran on one and a half cores until the spin ended). Commands call this once
    /// at start. A pool started again later spins the same way after its work; only this first,
    /// idle one is avoidable. Does nothing with an OpenBLAS built without threads.
    ///
    /// Only while no other thread is inside OpenBLAS (`ProcessStart` calls it before any work).
    /// OpenBLAS's shutdown, written for its fork handler, asks each worker to exit by a flag that
    /// a worker finishing another thread's job overwrites; the join then waits for ever. That hung
    /// a test run here, when a test called this beside other tests' products.
    public static func stopIdleWorkers() {
        skd_blas_thread_shutdown()
    }

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
