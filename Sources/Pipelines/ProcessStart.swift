import LinearAlgebra

/// What the command line does once, before it parses anything.
public enum ProcessStart {
    /// Stops the OpenBLAS workers that spin from the moment the library loads
    /// (`BLASThreads.stopIdleWorkers`), so the first 0.1 s of a command has both cores. Measured
    /// on `spectrum` at 200000 x 1000 (float32, no teacher), 10 alternating runs: 0.558 s mean
    /// against 0.604 s with the spinning pool.
    public static func prepare() {
        BLASThreads.stopIdleWorkers()
    }
}
