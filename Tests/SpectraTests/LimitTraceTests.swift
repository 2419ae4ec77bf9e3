import Foundation
import LinearAlgebra
import Spectra
import Testing
import _TestSupport

/// The dense one-hot argmax with ties split evenly, the obvious way.
func denseArgmax(_ z: [Double], rows n: Int, classes c: Int) -> [Double] {
    var a = [Double](repeating: 0, count: n * c)
    for r in 0..<n {
        let row = Array(z[r * c ..< (r + 1) * c]), best = row.max()!
        let ties = row.filter { $0 == best }.count
        for j in 0..<c where row[j] == best { a[r * c + j] = 1 / Double(ties) }
    }
    return a
}

@Suite struct LimitTraceTests {
    /// The gamma -> 0 traces `Tr H(A_s, Y)` and `Tr H(A_s, A_t)` equal the dense traces of the
    /// one-hot argmax, with ties (logits rounded to a coarse grid), over shapes and block sizes;
    /// and the accuracy identity holds exactly in the limit: accuracy = Tr H(A, Y) + sum abar ybar.
    @Test(arguments: [(60, 3), (500, 10), (777, 31)], [1, 64, 1000])
    func argmaxTracesMatchDense(shape: (Int, Int), blockRows: Int) {
        let (n, c) = shape
        var (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: UInt64(n + c))
        var (t, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: UInt64(3 * n + c))
        z = z.map { ($0 * 2).rounded() / 2 }  // many ties
        t = t.map { ($0 * 2).rounded() / 2 }
        let cov = accumulate(z, y, classes: c, temperature: 1, blockRows: blockRows, teacher: t)
        let a = denseArgmax(z, rows: n, classes: c), at = denseArgmax(t, rows: n, classes: c), oy = oneHot(y, classes: c)
        let hay = denseH(a, oy, rows: n, columns: c).trace, haa = denseH(a, at, rows: n, columns: c).trace
        let hty = denseH(at, oy, rows: n, columns: c).trace
        #expect(abs(cov.argmaxTraceH - hay) < 1e-12, "Tr H(A, Y): \(cov.argmaxTraceH) vs dense \(hay)")
        #expect(abs(cov.argmaxTraceHhat! - haa) < 1e-12)
        #expect(abs(cov.teacherArgmaxTraceH! - hty) < 1e-12)
        let meanTerm = zip(cov.studentArgmaxMeans, cov.labelFrequencies).map(*).reduce(0, +)
        #expect(abs(cov.accuracy - (cov.argmaxTraceH + meanTerm)) < 1e-14)
        #expect(abs(cov.studentArgmaxMeans.reduce(0, +) - 1) < 1e-12)
    }

    /// `Tr H(P_{gamma T}, Y)` converges to the argmax trace as gamma -> 0, and the streamed soft
    /// trace equals the dense one at each gamma; it does not depend on the block size.
    @Test func softTracesConverge() {
        let n = 400, c = 12
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.5, seed: 9)
        let limit = accumulate(z, y, classes: c, temperature: 1, blockRows: 50).argmaxTraceH
        var previous = Double.infinity
        for gamma in [1.0, 0.1, 0.01, 0.001] {
            let tau = gamma * 8
            var traces: [Double] = []
            for block in [7, 400] {
                var acc = SoftTraceAccumulator(classes: c, temperature: tau, logits: true)
                var start = 0
                while start < n {
                    let end = min(n, start + block)
                    let zb = Array(z[start * c ..< end * c]), yb = Array(y[start..<end])
                    var scratch = [Double](repeating: 0, count: zb.count)
                    zb.withUnsafeBufferPointer { zz in yb.withUnsafeBufferPointer { yy in scratch.withUnsafeMutableBufferPointer { s in
                        acc.add(scores: zz, labels: yy, scratch: s)
                    } } }
                    start = end
                }
                traces.append(acc.trace)
            }
            let dense = denseH(softmaxRows(z, classes: c, temperature: tau), oneHot(y, classes: c), rows: n, columns: c).trace
            #expect(abs(traces[0] - dense) < 1e-12 && abs(traces[1] - dense) < 1e-12)
            let gap = abs(traces[0] - limit)
            #expect(gap < previous || gap < 1e-12, "gamma \(gamma): distance to the limit \(gap), before \(previous)")
            previous = gap
        }
        #expect(previous < 1e-3)  // rows whose top two logits are within ~tau of each other converge last
    }
}

@Suite struct SinglePrecisionTeacherTests {
    /// The float32 teacher product (shifted blocks, float64 accumulation and correction) gives
    /// Hhat's eigenvalues within 1e-6 of the largest of the float64 path, over shapes, block sizes
    /// and a merge of shards; H itself is untouched.
    @Test(arguments: [(2000, 10, 512), (3000, 50, 700), (1500, 120, 100)])
    func agreesWithDouble(n: Int, c: Int, block: Int) throws {
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.5, seed: UInt64(n + c))
        let (t, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2.5, seed: UInt64(2 * n + c))
        func run(_ precision: CrossCovarianceAccumulator.Precision, split: Int? = nil) -> CrossCovariance {
            var parts: [CrossCovarianceAccumulator] = []
            var acc = CrossCovarianceAccumulator(classes: c, withTeacher: true)
            acc.teacherPrecision = precision
            var start = 0
            while start < n {
                if let split, start >= split, parts.isEmpty {
                    parts.append(acc)
                    acc = CrossCovarianceAccumulator(classes: c, withTeacher: true)
                    acc.teacherPrecision = precision
                }
                let end = min(n, start + block, split.map { start < $0 ? $0 : n } ?? n)
                let p = softmaxRows(Array(z[start * c ..< end * c]), classes: c, temperature: 1)
                let q = softmaxRows(Array(t[start * c ..< end * c]), classes: c, temperature: 1)
                let zz = Array(z[start * c ..< end * c]), tz = Array(t[start * c ..< end * c]), yy = Array(y[start..<end])
                p.withUnsafeBufferPointer { pp in zz.withUnsafeBufferPointer { zp in yy.withUnsafeBufferPointer { yp in
                    q.withUnsafeBufferPointer { qp in tz.withUnsafeBufferPointer { tp in
                        acc.add(probabilities: pp, scores: zp, labels: yp, teacher: (qp, tp))
                    } }
                } } }
                start = end
            }
            for part in parts { acc.merge(part) }
            return acc.finish()
        }
        let double = run(.double), single = run(.single), shards = run(.single, split: n / 3)
        let reference = try SymmetricEigen.eigenvalues(of: double.hhat!)
        let scale = reference.map(abs).max()!
        for other in [single, shards] {
            let values = try SymmetricEigen.eigenvalues(of: other.hhat!)
            let gap = zip(values, reference).map { abs($0 - $1) }.max()!
            #expect(gap <= 1e-6 * scale, "n \(n) c \(c): \(gap / scale)")
        }
        #expect(single.h.elements == double.h.elements)  // H does not involve the teacher product
    }
}
