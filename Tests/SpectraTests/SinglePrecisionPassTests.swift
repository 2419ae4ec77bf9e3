import CRowKernels
import Foundation
import LinearAlgebra
import PropertyBased
import Spectra
import Testing
import _TestSupport

/// The fused float32 pass (`addSingle`, C kernel `CRowKernels`) against the float64 path on the
/// same float32-exact scores: argmax statistics exactly, everything else to the stated float32
/// tolerance; the same bits for any thread count; refused rows found in row order.
@Suite struct SinglePrecisionPassTests {
    /// Scores rounded to float32, so both paths see the same numbers.
    static func rounded(_ values: [Double]) -> [Double] { values.map { Double(Float($0)) } }

    /// Accumulates with `addSingle` in blocks of `blockRows`.
    static func single(_ z: [Double], _ y: [Int], classes c: Int, kind: ProbabilityRows.Scores = .logits, temperature: Double,
                       blockRows: Int, teacher: [Double]? = nil, parallel: Bool = true) -> (CrossCovarianceAccumulator, (ScoreSide, ProbabilityRows.Defect)?) {
        var acc = CrossCovarianceAccumulator(classes: c, withTeacher: teacher != nil)
        acc.teacherPrecision = .single
        acc.parallel = parallel
        var workspace = SinglePrecisionWorkspace()
        let zf = z.map(Float.init), tf = teacher?.map(Float.init) ?? []
        var start = 0
        while start < y.count {
            let end = min(y.count, start + blockRows)
            let refused = zf.withUnsafeBufferPointer { zp in tf.withUnsafeBufferPointer { tp in y.withUnsafeBufferPointer { yp in
                acc.addSingle(student: SinglePrecisionScores(scores: UnsafeBufferPointer(rebasing: zp[start * c ..< end * c]), kind: kind, temperature: temperature),
                              labels: UnsafeBufferPointer(rebasing: yp[start..<end]),
                              teacher: teacher == nil ? nil : SinglePrecisionScores(scores: UnsafeBufferPointer(rebasing: tp[start * c ..< end * c]),
                                                                                    kind: kind, temperature: temperature),
                              workspace: &workspace)
            } } }
            if let refused { return (acc, (refused.0, Self.shifted(refused.1, by: start))) }
            start = end
        }
        return (acc, nil)
    }

    static func shifted(_ defect: ProbabilityRows.Defect, by offset: Int) -> ProbabilityRows.Defect {
        switch defect {
        case let .nonFinite(row, column, value): .nonFinite(row: row + offset, column: column, value: value)
        case let .overflow(row): .overflow(row: row + offset)
        case let .negative(row, column, value): .negative(row: row + offset, column: column, value: value)
        case let .rowSum(row, total): .rowSum(row: row + offset, total: total)
        }
    }

    /// The Cauchy-Schwarz bound on every entry of the cross-covariance of `a` and `b` (`n x c`
    /// rows): `sqrt(max_i Var a_i * max_j Var b_j)`. The float32 path rounds the operands, so its
    /// error scales with this, not with the result: two nearly uncorrelated sides give an H far
    /// smaller than its operands.
    static func crossScale(_ a: [Double], _ b: [Double], rows n: Int, classes c: Int) -> Double {
        func largestVariance(_ x: [Double]) -> Double {
            (0..<c).map { j in
                let mean = (0..<n).reduce(0.0) { $0 + x[$1 * c + j] } / Double(n)
                return (0..<n).reduce(0.0) { $0 + (x[$1 * c + j] - mean) * (x[$1 * c + j] - mean) } / Double(n)
            }.max()!
        }
        return (largestVariance(a) * largestVariance(b)).squareRoot()
    }

    /// Random shapes (C not a multiple of the 16 lanes included), temperatures, unbalanced labels
    /// and teachers: H and Hhat within 1e-6 of their Cauchy-Schwarz scale (`crossScale`), soft
    /// accuracies within 1e-6, argmax accuracies, agreement and argmax column counts exactly equal
    /// to the float64 path. Not "of their largest entry": the search found a student and a teacher
    /// so nearly uncorrelated (C = 3, N = 90, T = 0.31) that Hhat's largest entry was 34 times
    /// under its scale, and the float32 path's 6.8e-9 was 1.1e-6 of that entry but 3.3e-8 of the
    /// scale.
    @Test func agreesWithTheDoublePath() async {
        let input = zip(Gen.int(in: 2...70), Gen.int(in: 1...300), Gen.double(in: 0.2...4), Gen.bool, Gen.bool, Gen.uint64(in: 1...1_000_000))
        await propertyCheck(count: 80, input: input) { c, n, temperature, withTeacher, skewed, seed in
            var (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.5, seed: seed)
            if skewed { y = y.enumerated().map { $0.offset % 5 == 0 ? $0.element : 0 } }
            z = Self.rounded(z)
            let zt = Self.rounded(randomClassifierOutputs(rows: n, classes: c, signal: 2.5, seed: seed &+ 7).logits)
            let teacher = withTeacher ? zt : nil
            let expected = accumulator(z, y, classes: c, temperature: temperature, blockRows: 64, teacher: teacher).finish()
            let (acc, refused) = Self.single(z, y, classes: c, temperature: temperature, blockRows: 64, teacher: teacher)
            #expect(refused == nil)
            let got = acc.finish()
            // Relative to the Cauchy-Schwarz scale, or to 1e-9 where nothing varies (one row):
            // there the float32 path leaves float64 rounding of the probabilities (up to 6e-17
            // seen, entries being products of numbers below 1).
            let p = softmaxRows(z, classes: c, temperature: temperature)
            let hScale = max(Self.crossScale(oneHot(y, classes: c), p, rows: n, classes: c), 1e-9)
            #expect(maxRelativeDifference(got.h.elements, expected.h.elements, scale: hScale) < 1e-6, "H, C = \(c), N = \(n)")
            if withTeacher {
                let q = softmaxRows(zt, classes: c, temperature: temperature)
                let scale = max(Self.crossScale(p, q, rows: n, classes: c), 1e-9)
                #expect(maxRelativeDifference(got.hhat!.elements, expected.hhat!.elements, scale: scale) < 1e-6, "Hhat, C = \(c), N = \(n)")
            }
            #expect(abs(got.softAccuracy - expected.softAccuracy) < 1e-6)
            #expect(got.accuracy == expected.accuracy && got.agreement == expected.agreement && got.teacherAccuracy == expected.teacherAccuracy)
            #expect(got.studentArgmaxMeans == expected.studentArgmaxMeans && got.teacherArgmaxMeans == expected.teacherArgmaxMeans)
            #expect(got.labelFrequencies == expected.labelFrequencies)
            #expect(got.identityHolds)
        }
    }

    /// Integer logits tie often: tie splitting matches the float64 path (to rounding: the shares
    /// 1/m are summed in row order here, in 512-row partial sums there).
    @Test func tiesAreSplitAsInTheDoublePath() {
        var rng = SplitMix64(seed: 11)
        let c = 19, n = 400
        let z = (0..<(n * c)).map { _ in Double(Int.random(in: 0...3, using: &rng)) }
        let t = (0..<(n * c)).map { _ in Double(Int.random(in: 0...2, using: &rng)) }
        let y = (0..<n).map { _ in Int.random(in: 0..<c, using: &rng) }
        let expected = accumulator(z, y, classes: c, temperature: 1, blockRows: 50, teacher: t).finish()
        let got = Self.single(z, y, classes: c, temperature: 1, blockRows: 50, teacher: t).0.finish()
        #expect(abs(got.accuracy - expected.accuracy) < 1e-12 && abs(got.agreement! - expected.agreement!) < 1e-12)
        #expect(abs(got.teacherAccuracy! - expected.teacherAccuracy!) < 1e-12)
        #expect(maxRelativeDifference(got.studentArgmaxMeans, expected.studentArgmaxMeans) < 1e-12)
        #expect(maxRelativeDifference(got.teacherArgmaxMeans!, expected.teacherArgmaxMeans!) < 1e-12)
        #expect(abs(got.argmaxTraceHhat! - expected.argmaxTraceHhat!) < 1e-12 * abs(expected.argmaxTraceHhat!))
        #expect(got.agreement! > 0 && got.accuracy > 0)
    }

    /// Probabilities at temperature 1 are renormalised, not re-exponentiated.
    @Test func probabilitiesAtTemperatureOne() {
        let c = 23, n = 150
        var (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 5)
        z = Self.rounded(softmaxRows(z, classes: c, temperature: 1))
        var expected = CrossCovarianceAccumulator(classes: c, withTeacher: false)
        var p = z
        p.withUnsafeMutableBufferPointer { Softmax.retemper($0, rows: n, columns: c, temperature: 1) }
        p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in y.withUnsafeBufferPointer { expected.add(probabilities: pp, scores: zz, labels: $0) } } }
        let (acc, refused) = Self.single(z, y, classes: c, kind: .probabilities(rowSumTolerance: 1e-3), temperature: 1, blockRows: 40)
        #expect(refused == nil)
        #expect(maxRelativeDifference(acc.finish().h.elements, expected.finish().h.elements) < 1e-6)
        #expect(acc.finish().accuracy == expected.finish().accuracy)
        #expect(!SinglePrecisionScores.isSupported(.probabilities(rowSumTolerance: 1e-3), temperature: 2))
    }

    /// Serial and parallel runs, and runs in other block sizes without a teacher, give the same bits.
    @Test func sameBitsForAnyThreadCount() {
        let c = 37, n = 3000
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.5, seed: 21)
        let zt = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: 22).logits
        let zr = Self.rounded(z), tr = Self.rounded(zt)
        let one = Self.single(zr, y, classes: c, temperature: 1.3, blockRows: 2048, teacher: tr, parallel: false).0.finish()
        let all = Self.single(zr, y, classes: c, temperature: 1.3, blockRows: 2048, teacher: tr, parallel: true).0.finish()
        #expect(one.h.elements == all.h.elements && one.hhat!.elements == all.hhat!.elements)
        #expect(one.softAccuracy == all.softAccuracy && one.teacherSoftAccuracy == all.teacherSoftAccuracy)
        let small = Self.single(zr, y, classes: c, temperature: 1.3, blockRows: 97).0.finish()
        let large = Self.single(zr, y, classes: c, temperature: 1.3, blockRows: 3000, parallel: false).0.finish()
        #expect(small.h.elements == large.h.elements && small.softAccuracy == large.softAccuracy)
    }

    /// The first bad row in row order, from the student before the teacher, with its column.
    @Test func refusesTheFirstBadRow() {
        let c = 21, n = 600
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 3)
        var bad = Self.rounded(z)
        bad[431 * c + 17] = .nan
        bad[517 * c + 2] = .infinity
        let found = Self.single(bad, y, classes: c, temperature: 1, blockRows: 256).1!
        #expect(found.0 == .student)
        if case let .nonFinite(row, column, value) = found.1 { #expect(row == 431 && column == 17 && value.isNaN) } else { Issue.record("\(found)") }
        var teacher = Self.rounded(z)
        teacher[99 * c + 20] = -.infinity
        let fromTeacher = Self.single(Self.rounded(z), y, classes: c, temperature: 1, blockRows: 256, teacher: teacher).1!
        #expect(fromTeacher.0 == .teacher && fromTeacher.1 == .nonFinite(row: 99, column: 20, value: -.infinity))
        var probabilities = Self.rounded(softmaxRows(z, classes: c, temperature: 1))
        probabilities[300 * c + 4] = -0.01
        let negative = Self.single(probabilities, y, classes: c, kind: .probabilities(rowSumTolerance: 1e-3), temperature: 1, blockRows: 128).1!
        #expect(negative.1 == .negative(row: 300, column: 4, value: Double(Float(-0.01))))
        probabilities[300 * c + 4] = 0.2
        let sum = Self.single(probabilities, y, classes: c, kind: .probabilities(rowSumTolerance: 1e-3), temperature: 1, blockRows: 128).1!
        if case let .rowSum(row, _) = sum.1 { #expect(row == 300) } else { Issue.record("\(sum)") }
    }

    /// The kernel's float32 exp: within 2 ulp of the correctly rounded value on a grid of
    /// [-87.3, 0] (the softmax's range after the maximum is subtracted), 0 below -87.34.
    @Test func exponentialIsAccurate() {
        let count = 200_000
        let x = (0..<count).map { Float(-87.3 * Double($0) / Double(count - 1)) }
        var y = [Float](repeating: 0, count: count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { skd_exp_f32(xp.baseAddress, $0.baseAddress, count) } }
        var worst = 0.0
        for i in 0..<count {
            let exact = Foundation.exp(Double(x[i]))
            worst = max(worst, abs(Double(y[i]) - exact) / Double(Float(exact).ulp))
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        var low: [Float] = [-87.5, -100, -.infinity], out = [Float](repeating: 1, count: 3)
        low.withUnsafeMutableBufferPointer { lp in out.withUnsafeMutableBufferPointer { skd_exp_f32(lp.baseAddress, $0.baseAddress, 3) } }
        #expect(out == [0, 0, 0])
    }
}

/// Eigenvectors from the structural spectrum's kept reduction are eigenvectors of H itself,
/// the structural zero's being the constant vector.
@Suite struct StructuralEigenvectorTests {
    @Test func vectorsOfHFromTheReflectedBlock() throws {
        let c = 30, n = 2000
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: 9)
        let h = accumulate(z, y, classes: c, temperature: 1, blockRows: 500).h
        let spectrum = try StructuralSpectrum(of: h)
        let zero = spectrum.eigenvalues.firstIndex(of: spectrum.structuralZero)!
        let wanted = [c - 1, c - 2, 0, zero, c / 2]
        let pairs = try spectrum.eigenvectors(wanted)
        let scale = spectrum.eigenvalues.map(abs).max()!
        for (i, pair) in zip(wanted, pairs) {
            #expect(abs(pair.value - spectrum.eigenvalues[i]) <= 1e-12 * scale)
            let hx = Products.symmetricTimes(h, pair.vector)
            #expect(zip(hx, pair.vector).map { abs($0 - pair.value * $1) }.max()! <= 1e-10 * scale, "index \(i)")
            #expect(abs(pair.vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        }
        let leading = try LeadingVectors(of: spectrum, eigenvalues: [spectrum.eigenvalues[c - 1]], top: 3)
        #expect(leading.vectors[0].loadings.count == 3 && leading.vectors[0].loadings[0].loading > 0)
    }
}
