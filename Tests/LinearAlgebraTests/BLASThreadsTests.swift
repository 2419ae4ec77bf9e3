import LinearAlgebra
import Testing

@Suite struct BLASThreadsTests {
    /// Nested and overlapping callers see one thread; the caller's products are unchanged.
    @Test func nestedCallsAndSameResults() throws {
        let n = 64
        var a = SquareMatrix(zeros: n)
        for i in 0..<n { for j in 0..<n { a[i, j] = Double((i * 7 + j * 3) % 11) - 5 } }
        let rows = Array(a.elements)
        func product() -> [Double] {
            var c = SquareMatrix(zeros: n)
            rows.withUnsafeBufferPointer { Products.transposeTimes($0, $0, rows: n, columns: n, into: &c) }
            return c.elements
        }
        let before = product(), threads = BLASThreads.count
        let inside = BLASThreads.singleThreaded { () -> [Double] in
            #expect(BLASThreads.count == 1)
            return BLASThreads.singleThreaded { product() }
        }
        #expect(inside == before)
        #expect(BLASThreads.count == threads)  // restored after the last caller leaves
        #expect(product() == before)
    }

    /// After the idle pool is stopped, a product large enough for OpenBLAS's threads (it starts
    /// them again) matches one computed by hand, the thread count is unchanged, and stopping twice
    /// or inside a single-threaded section is harmless.
    ///
    /// In a child process of its own (an exit test): OpenBLAS's shutdown is only safe while no
    /// other thread is inside OpenBLAS, and the other suites run products in parallel with this
    /// one. Run among them, it hung a fresh-clone `make test` on 2026-12-04 (a worker finishing
    /// another test's job overwrote the exit request, and the join waited for ever).
    @Test func stoppedPoolStartsAgain() async {
        await #expect(processExitsWith: .success) {
            let n = 400
            let a = (0..<(n * n)).map { Double(($0 * 7919) % 23) - 11 }
            func product() -> [Double] { Products.times(a, rows: n, inner: n, a, columns: n) }
            let threads = BLASThreads.count
            BLASThreads.stopIdleWorkers()
            let after = product()
            BLASThreads.stopIdleWorkers()
            let again = BLASThreads.singleThreaded { () -> [Double] in
                BLASThreads.stopIdleWorkers()
                return product()
            }
            var worst = 0.0
            for i in stride(from: 0, to: n, by: 37) {
                for j in stride(from: 0, to: n, by: 41) {
                    var exact = 0.0
                    for k in 0..<n { exact += a[i * n + k] * a[k * n + j] }
                    worst = max(worst, abs(after[i * n + j] - exact))
                }
            }
            // The child's failures are its exit status: integers below 2^53 sum exactly in any order.
            precondition(worst == 0, "threaded product after the restart differs from the exact one by \(worst)")
            precondition(again == after, "the single-threaded product differs from the threaded one")
            precondition(BLASThreads.count == threads, "thread count \(BLASThreads.count), was \(threads)")
        }
    }
}
