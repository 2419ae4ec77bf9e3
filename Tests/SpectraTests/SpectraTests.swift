import Foundation
import LinearAlgebra
import Spectra
import Testing
import _TestSupport

/// Accumulates logits (softmax at `temperature`) and labels in blocks of `blockRows`.
func accumulate(_ logits: [Double], _ labels: [Int], classes c: Int, temperature: Double, blockRows: Int,
                teacher: [Double]? = nil) -> CrossCovariance {
    accumulator(logits, labels, classes: c, temperature: temperature, blockRows: blockRows, teacher: teacher).finish()
}

func accumulator(_ logits: [Double], _ labels: [Int], classes c: Int, temperature: Double, blockRows: Int,
                 teacher: [Double]? = nil, precision: CrossCovarianceAccumulator.Precision = .double) -> CrossCovarianceAccumulator {
    var acc = CrossCovarianceAccumulator(classes: c, withTeacher: teacher != nil)
    acc.teacherPrecision = precision
    var start = 0
    while start < labels.count {
        let end = min(labels.count, start + blockRows)
        var p = Array(logits[start * c ..< end * c])
        let z = p
        p.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: end - start, columns: c, temperature: temperature) }
        let y = Array(labels[start..<end])
        if let teacher {
            var q = Array(teacher[start * c ..< end * c])
            let zq = q
            q.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: end - start, columns: c, temperature: temperature) }
            p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in y.withUnsafeBufferPointer { yy in
                q.withUnsafeBufferPointer { qq in zq.withUnsafeBufferPointer { zzq in
                    acc.add(probabilities: pp, scores: zz, labels: yy, teacher: (qq, zzq))
                } }
            } } }
        } else {
            p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in y.withUnsafeBufferPointer { yy in
                acc.add(probabilities: pp, scores: zz, labels: yy)
            } } }
        }
        start = end
    }
    return acc
}

func softmaxRows(_ logits: [Double], classes c: Int, temperature: Double) -> [Double] {
    var p = logits
    p.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: logits.count / c, columns: c, temperature: temperature) }
    return p
}

@Suite struct SpectraTests {
    /// Lemma 1 (docs/theory.md §1.2) on random, unbalanced inputs over a grid of shapes and temperatures.
    @Test(arguments: [(50, 2), (400, 10), (1000, 37)], [0.05, 1.0, 8.0])
    func accuracyIdentityHolds(shape: (Int, Int), temperature: Double) {
        let (n, c) = shape
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: UInt64(n * c))
        let cov = accumulate(z, y, classes: c, temperature: temperature, blockRows: 97)
        #expect(cov.identityResidual / cov.softAccuracy < 1e-10)
        #expect(cov.identityHolds)
        // The mean term is computed, not 1/C: unbalanced labels make them differ.
        #expect(abs(cov.meanTerm - 1 / Double(c)) > 0 || c == 2)
    }

    /// The scatter-add path equals the dense, obvious computation of H and Hhat.
    @Test(arguments: [(30, 3), (200, 9), (333, 25)])
    func matchesDenseReference(shape: (Int, Int)) {
        let (n, c) = shape
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 0.8, seed: 5)
        let (zt, _) = randomClassifierOutputs(rows: n, classes: c, signal: 0.8, seed: 6)
        let cov = accumulate(z, y, classes: c, temperature: 1.7, blockRows: 64, teacher: zt)
        let p = softmaxRows(z, classes: c, temperature: 1.7)
        let q = softmaxRows(zt, classes: c, temperature: 1.7)
        let h = denseH(p, oneHot(y, classes: c), rows: n, columns: c)
        let hhat = denseH(p, q, rows: n, columns: c)
        #expect(maxRelativeDifference(cov.h.elements, h.elements) < 1e-12)
        #expect(maxRelativeDifference(cov.hhat!.elements, hhat.elements) < 1e-12)
        #expect(cov.h.asymmetry == 0 && cov.hhat!.asymmetry == 0)
    }

    /// Blocked and single-pass accumulation agree to 1e-12, and merged shards equal the whole.
    @Test func blockingAndShardingDoNotChangeResults() {
        let (n, c) = (777, 13)
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.2, seed: 11)
        let (zt, _) = randomClassifierOutputs(rows: n, classes: c, signal: 1.2, seed: 12)
        let single = accumulate(z, y, classes: c, temperature: 0.7, blockRows: n, teacher: zt)
        for block in [1, 10, 256] {
            let blocked = accumulate(z, y, classes: c, temperature: 0.7, blockRows: block, teacher: zt)
            #expect(maxRelativeDifference(blocked.h.elements, single.h.elements) < 1e-12)
            #expect(maxRelativeDifference(blocked.hhat!.elements, single.hhat!.elements) < 1e-12)
            #expect(abs(blocked.softAccuracy - single.softAccuracy) < 1e-12)
            #expect(blocked.accuracy == single.accuracy && blocked.agreement == single.agreement)
        }
    }

    /// What one process sends another: `packed` -> `init(packed:)` keeps every bit, with and
    /// without a teacher, so merging the rebuilt accumulator equals merging the original.
    @Test(arguments: [false, true])
    func packedAccumulatorsKeepEveryBit(teacher: Bool) throws {
        let (n, c) = (300, 9)
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 21)
        let (zt, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: 22)
        let a = accumulator(Array(z[0 ..< 100 * c]), Array(y[0..<100]), classes: c, temperature: 1.3, blockRows: 64,
                            teacher: teacher ? Array(zt[0 ..< 100 * c]) : nil, precision: .single)
        let b = accumulator(Array(z[100 * c ..< n * c]), Array(y[100..<n]), classes: c, temperature: 1.3, blockRows: 64,
                            teacher: teacher ? Array(zt[100 * c ..< n * c]) : nil, precision: .single)
        let rebuilt = try CrossCovarianceAccumulator(packed: b.packed)
        let kept = rebuilt.packed == b.packed
        #expect(kept)
        var direct = a, sent = a
        direct.merge(b)
        sent.merge(rebuilt)
        let merged = direct.packed == sent.packed
        #expect(merged)
        let whole = direct.finish(), other = sent.finish()
        #expect(whole.h.elements == other.h.elements && whole.hhat?.elements == other.hhat?.elements)
        #expect(whole.samples == n && whole.accuracy == other.accuracy && whole.agreement == other.agreement)
        #expect(throws: SpectraError.self) { try CrossCovarianceAccumulator(packed: Array(b.packed.dropLast())) }
        #expect(throws: SpectraError.self) { try CrossCovarianceAccumulator(packed: [2] + b.packed.dropFirst()) }
    }

    /// The float32 teacher product is summed in fixed 1024-row chunks, so its bits do not depend
    /// on the number of threads (threaded ssyr2k's did) or on OpenBLAS's own thread count.
    @Test func singlePrecisionTeacherBitsIgnoreThreads() {
        let (n, c) = (3000, 40)
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 31)
        let (zt, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: 32)
        var serial = accumulator(z, y, classes: c, temperature: 1, blockRows: n, teacher: zt, precision: .single)
        let threaded = serial.packed
        serial = BLASThreads.singleThreaded {
            var acc = CrossCovarianceAccumulator(classes: c, withTeacher: true)
            acc.parallel = false
            acc.teacherPrecision = .single
            let p = softmaxRows(z, classes: c, temperature: 1), q = softmaxRows(zt, classes: c, temperature: 1)
            p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in y.withUnsafeBufferPointer { yy in
                q.withUnsafeBufferPointer { qq in zt.withUnsafeBufferPointer { zzq in
                    acc.add(probabilities: pp, scores: zz, labels: yy, teacher: (qq, zzq))
                } }
            } } }
            return acc
        }
        let same = serial.packed == threaded  // a Bool, so a failure does not print 1e4 numbers
        #expect(same)
    }

    /// Ties in the argmax are split evenly: a row of equal scores counts 1/C.
    @Test func tiesAreSplitEvenly() {
        let c = 4
        let z = [0.0, 0, 0, 0,   1, 3, 3, 0,   5, 1, 1, 1]
        let y = [2, 1, 0]
        let cov = accumulate(z, y, classes: c, temperature: 1, blockRows: 3, teacher: z)
        #expect(abs(cov.accuracy - (0.25 + 0.5 + 1) / 3) < 1e-15)
        // Same scores for teacher and student: agreement = sum over rows of 1/|argmax set|.
        #expect(abs(cov.agreement! - (0.25 + 0.5 + 1) / 3) < 1e-15)
    }

    /// Temperature scaling: softmax(z / tau) at tau equals softmax(2z / 2tau), and as tau -> 0
    /// the soft accuracy tends to the argmax accuracy.
    @Test func temperatureScaling() {
        let (n, c) = (500, 6)
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 3)
        let a = accumulate(z, y, classes: c, temperature: 2, blockRows: 100)
        let b = accumulate(z.map { 2 * $0 }, y, classes: c, temperature: 4, blockRows: 100)
        #expect(maxRelativeDifference(a.h.elements, b.h.elements) < 1e-12)
        let cold = accumulate(z, y, classes: c, temperature: 1e-4, blockRows: 100)
        #expect(abs(cold.softAccuracy - cold.accuracy) < 1e-3)
        let hot = accumulate(z, y, classes: c, temperature: 1e4, blockRows: 100)
        #expect(abs(hot.softAccuracy - 1 / Double(c)) < 1e-3)
    }

    /// The structural zero is split off exactly and the bulk equals the remaining eigenvalues.
    @Test(arguments: [2, 5, 40])
    func structuralZeroIsSeparated(c: Int) throws {
        let n = 60  // q = (C-1)/N up to 0.65; at C = 40 > N/2... many bulk eigenvalues near 0 too
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: UInt64(c))
        let cov = accumulate(z, y, classes: c, temperature: 1, blockRows: 16)
        let spectrum = try StructuralSpectrum(of: cov.h)
        let full = try SymmetricEigen.eigenvalues(of: cov.h)
        let scale = full.map(abs).max()!
        #expect(spectrum.eigenvalues.count == c && spectrum.bulk.count == c - 1)
        #expect(maxRelativeDifference(spectrum.eigenvalues, full, scale: scale) < 1e-12)
        #expect(abs(spectrum.structuralZero) < 1e-14 * scale)
        #expect(spectrum.structuralLeak < 1e-14 * scale)
        #expect(spectrum.eigenvalues == spectrum.eigenvalues.sorted())
    }

    /// A matrix whose constant vector is NOT in the kernel: the leak is reported, not hidden.
    @Test func leakIsReportedWhenRowsDoNotSumToZero() throws {
        var h = SquareMatrix(zeros: 3)
        h[0, 0] = 1
        let spectrum = try StructuralSpectrum(of: h)
        #expect(spectrum.structuralLeak > 0.1)
        #expect(abs(spectrum.structuralZero - 1.0 / 3) < 1e-15)
    }
}
