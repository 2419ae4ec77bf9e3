import Ensembles
import Spectra
import Testing
import _TestSupport

/// The float32 pass on a planted spectrum (docs/theory.md §3): a planted student and teacher
/// with spiked class groups, so H and Hhat have outliers above the bulk. The eigenvalues of the
/// float32 pass agree with the float64 path's to 1e-6 of the largest (the gate the issue set for
/// the float32 teacher product), and the argmax statistics are equal.
@Suite struct SinglePrecisionPlantedTests {
    @Test(arguments: [(60, 4000, 1.0), (45, 3000, 2.5)])
    func plantedSpectraAgree(classes c: Int, rows n: Int, temperature: Double) throws {
        var planted = try PlantedClassifier(classes: c, accuracy: 0.6, temperature: temperature, teacherAccuracy: 0.8, agreement: 0.7)
        planted.spikes = (groups: 3, size: 5, strength: 2)
        var rng = Xoshiro256StarStar(seed: 17)
        var labels = [Int](repeating: 0, count: n), student = [Double](repeating: 0, count: n * c), teacher = student
        var row = [Double](repeating: 0, count: c)
        for r in 0..<n {
            let y = Int(rng.next() % UInt64(c))
            labels[r] = y
            let (s, t) = planted.topClasses(label: y, using: &rng)
            student.withUnsafeMutableBufferPointer { z in row.withUnsafeMutableBufferPointer { p in
                planted.fillRow(top: s, temperature: 1, row: p.baseAddress!, scores: z.baseAddress! + r * c, label: y, using: &rng)
            } }
            teacher.withUnsafeMutableBufferPointer { z in row.withUnsafeMutableBufferPointer { p in
                planted.fillRow(top: t!, temperature: 1, row: p.baseAddress!, scores: z.baseAddress! + r * c, label: y, using: &rng)
            } }
        }
        // Scores as a float32 log stores them; both paths see the same numbers.
        let z32 = student.map(Float.init), t32 = teacher.map(Float.init)
        let z = z32.map(Double.init), t = t32.map(Double.init)
        var double = CrossCovarianceAccumulator(classes: c, withTeacher: true)
        double.teacherPrecision = .double
        var p = z, q = t
        p.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: n, columns: c, temperature: temperature) }
        q.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: n, columns: c, temperature: temperature) }
        p.withUnsafeBufferPointer { pp in z.withUnsafeBufferPointer { zz in labels.withUnsafeBufferPointer { yy in
            q.withUnsafeBufferPointer { qq in t.withUnsafeBufferPointer { tt in double.add(probabilities: pp, scores: zz, labels: yy, teacher: (qq, tt)) } }
        } } }
        var single = CrossCovarianceAccumulator(classes: c, withTeacher: true)
        single.teacherPrecision = .single
        var workspace = SinglePrecisionWorkspace()
        let refused = z32.withUnsafeBufferPointer { zz in t32.withUnsafeBufferPointer { tt in labels.withUnsafeBufferPointer { yy in
            single.addSingle(student: SinglePrecisionScores(scores: zz, kind: .logits, temperature: temperature), labels: yy,
                             teacher: SinglePrecisionScores(scores: tt, kind: .logits, temperature: temperature), workspace: &workspace)
        } } }
        #expect(refused == nil)
        let (a, b) = (single.finish(), double.finish())
        for (x, y) in [(a.h, b.h), (a.hhat!, b.hhat!)] {
            let got = try StructuralSpectrum(of: x).eigenvalues, expected = try StructuralSpectrum(of: y).eigenvalues
            let largest = expected.map(abs).max()!
            #expect(zip(got, expected).map { abs($0 - $1) }.max()! <= 1e-6 * largest)
            // The spikes put outliers above the bulk: the comparison covers a planted structure.
            #expect(expected[c - 1] > 1.5 * expected[c - 4])
        }
        #expect(a.accuracy == b.accuracy && a.agreement == b.agreement && a.teacherAccuracy == b.teacherAccuracy)
    }
}
