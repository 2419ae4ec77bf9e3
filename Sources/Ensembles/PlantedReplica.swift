import LinearAlgebra
import NumericSupport
import Spectra

/// One Monte Carlo replica of a planted classifier (docs/theory.md §3): `samples` rows with
/// uniform labels, the student's (and teacher's) probabilities drawn row by row, accumulated
/// into H (and Hhat), and their bulk spectra. Replica `r` of seed `s` draws from stream `r`, so
/// a replica's bits depend only on `(s, r)`, not on how many run at once.
public struct PlantedReplica: Sendable {
    public let covariance: CrossCovariance
    /// Eigenvalues of H without its structural zero, ascending.
    public let bulk: [Double]
    public let teacherBulk: [Double]?

    /// - Parameter parallel: threads inside the accumulator (off when replicas already run in parallel).
    /// - Throws: `LinearAlgebraError` when the eigensolver fails.
    /// - Complexity: O(samples x classes) draws, O(samples x classes^2) with a teacher, O(classes^3) eigenvalues.
    public init(_ planted: PlantedClassifier, samples: Int, seed: UInt64, replica r: Int, parallel: Bool = true) throws {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(r))
        let c = planted.classes, hasTeacher = planted.teacherAccuracy != nil
        let labels = LabelSampler(classes: c)
        var accumulator = CrossCovarianceAccumulator(classes: c, withTeacher: hasTeacher)
        accumulator.parallel = parallel
        let blockRows = max(64, (1 << 16) / c)  // about 512 KiB per buffer: stays in L2, no page faults per replica
        var p = [Double](repeating: 0, count: blockRows * c), z = p
        var tp = hasTeacher ? p : [], tz = hasTeacher ? p : []
        var y = [Int](repeating: 0, count: blockRows)
        var start = 0
        while start < samples {
            let rows = min(blockRows, samples - start)
            p.withUnsafeMutableBufferPointer { pp in z.withUnsafeMutableBufferPointer { zz in
                tp.withUnsafeMutableBufferPointer { tpp in tz.withUnsafeMutableBufferPointer { tzz in
                    for i in 0..<rows {
                        y[i] = labels.sample(using: &rng)
                        let (s, t) = planted.topClasses(label: y[i], using: &rng)
                        planted.fillRow(top: s, temperature: planted.temperature, row: pp.baseAddress! + i * c,
                                        scores: zz.baseAddress! + i * c, label: y[i], using: &rng)
                        if let t {
                            planted.fillRow(top: t, temperature: planted.teacherTemperature, row: tpp.baseAddress! + i * c,
                                            scores: tzz.baseAddress! + i * c, label: y[i], using: &rng)
                        }
                    }
                } }
            } }
            let n = rows * c
            p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in y.withUnsafeBufferPointer { yy in
                let pb = UnsafeBufferPointer(rebasing: pp[0..<n]), zb = UnsafeBufferPointer(rebasing: zz[0..<n])
                let yb = UnsafeBufferPointer(rebasing: yy[0..<rows])
                if hasTeacher {
                    tp.withUnsafeBufferPointer { tpp in tz.withUnsafeBufferPointer { tzz in
                        accumulator.add(probabilities: pb, scores: zb, labels: yb,
                                        teacher: (UnsafeBufferPointer(rebasing: tpp[0..<n]), UnsafeBufferPointer(rebasing: tzz[0..<n])))
                    } }
                } else {
                    accumulator.add(probabilities: pb, scores: zb, labels: yb)
                }
            } } }
            start += rows
        }
        covariance = accumulator.finish()
        bulk = try StructuralSpectrum(of: covariance.h).bulk
        teacherBulk = try covariance.hhat.map { try StructuralSpectrum(of: $0).bulk }
    }

    /// Replicas `0 ..< count`, in parallel across replicas (one BLAS thread each), in replica
    /// order whatever the thread count. `progress` is called with the number done so far.
    /// - Throws: the first error any replica met.
    public static func replicas(_ planted: PlantedClassifier, samples: Int, seed: UInt64, count: Int,
                                progress: @escaping @Sendable (Int) -> Void = { _ in }) throws -> [PlantedReplica] {
        let finished = FinishedCount()
        func runAll() throws -> [PlantedReplica] {
            try ParallelRows.map(count) { r in
                let replica = try PlantedReplica(planted, samples: samples, seed: seed, replica: r, parallel: count < 2)
                progress(finished.increment())
                return replica
            }
        }
        // Replicas are the parallel unit; a threaded BLAS inside each would only contend.
        return count > 1 ? try BLASThreads.singleThreaded(runAll) : try runAll()
    }
}
