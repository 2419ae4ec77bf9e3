import PropertyBased
import Spectra
import Testing
import _TestSupport

/// Sums of H and Hhat over shards are the sums over the whole file, whatever the split: the
/// property behind sharded and MPI runs (docs/theory.md §1.7), over random shapes and cuts.
@Suite struct MergePropertyTests {
    /// A random shape, temperature and up to 5 cut points: merging the parts' accumulators in
    /// order gives the single-pass H, Hhat, accuracies and traces to 1e-12 relative; counts exactly.
    @Test func mergedShardsEqualTheWhole() async {
        let input = zip(Gen.int(in: 2...12), Gen.int(in: 20...200), Gen.double(in: 0.3...3), Gen.double(in: 0...1).array(of: 0...5),
                        Gen.bool, Gen.uint64(in: 1...1_000_000))
        await propertyCheck(count: 60, input: input) { c, n, temperature, cuts, withTeacher, seed in
            let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1.2, seed: seed)
            let (zt, _) = randomClassifierOutputs(rows: n, classes: c, signal: 2, seed: seed &+ 1)
            let teacher = withTeacher ? zt : nil
            let whole = accumulate(z, y, classes: c, temperature: temperature, blockRows: n, teacher: teacher)
            let bounds = [0] + cuts.map { Int($0 * Double(n)) }.sorted() + [n]
            var merged = CrossCovarianceAccumulator(classes: c, withTeacher: withTeacher)
            for (lower, upper) in zip(bounds, bounds.dropFirst()) where upper > lower {
                merged.merge(accumulator(Array(z[lower * c ..< upper * c]), Array(y[lower..<upper]), classes: c, temperature: temperature,
                                         blockRows: 7, teacher: teacher.map { Array($0[lower * c ..< upper * c]) }))
            }
            let parts = merged.finish()
            #expect(parts.samples == whole.samples && parts.accuracy == whole.accuracy && parts.agreement == whole.agreement)
            #expect(maxRelativeDifference(parts.h.elements, whole.h.elements) < 1e-12, "H, cuts \(bounds)")
            if withTeacher { #expect(maxRelativeDifference(parts.hhat!.elements, whole.hhat!.elements) < 1e-12, "Hhat, cuts \(bounds)") }
            #expect(abs(parts.softAccuracy - whole.softAccuracy) < 1e-12 && abs(parts.traceH - whole.traceH) < 1e-12)
            #expect(parts.identityHolds)
        }
    }

    /// What a rank sends is what the receiver merges: `packed` -> `init(packed:)` is the identity
    /// on random accumulators.
    @Test func packingIsLossless() async {
        let input = zip(Gen.int(in: 2...10), Gen.int(in: 1...80), Gen.bool, Gen.uint64(in: 1...1_000_000))
        await propertyCheck(count: 60, input: input) { c, n, withTeacher, seed in
            let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: seed)
            let acc = accumulator(z, y, classes: c, temperature: 1, blockRows: 16, teacher: withTeacher ? z.map { -$0 } : nil)
            let back = try? CrossCovarianceAccumulator(packed: acc.packed)
            #expect(back?.packed == acc.packed)
        }
    }
}
