// Micro-benchmarks of the kernels behind SpectralKD's speed claims, each beside the plain
// alternative it replaced where there is one (glibc's exp and cbrt, the polar method), so the
// ratio in a doc comment is measured here: `make bench-kernels`. One iteration = the work named.
import Benchmark
import Foundation
import SpectralKDKit

/// Marsaglia's polar method, the reference the Ziggurat doc comment compares with.
func polarNormal(_ rng: inout Xoshiro256StarStar) -> Double {
    while true {
        let u = 2 * rng.uniform() - 1, v = 2 * rng.uniform() - 1
        let s = u * u + v * v
        if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
    }
}

let benchmarks: @Sendable () -> Void = {
    let short = Benchmark.Configuration(metrics: [.wallClock, .throughput], warmupIterations: 3, maxDuration: .seconds(2), maxIterations: 2000)
    Benchmark.defaultConfiguration = short

    // exp: 1000 x 1000 entries, the softmax's work for a 1000-row block of C = 1000.
    let count = 1_000_000
    let logits = (0..<count).map { Double($0 % 997) / 997 * 20 - 10 }
    Benchmark("VectorExp.exponentiate, 1e6 entries") { benchmark in
        var work = logits
        for _ in benchmark.scaledIterations {
            work.withUnsafeMutableBufferPointer { w in
                Benchmark.blackHole(VectorExp.exponentiate(from: logits.withUnsafeBufferPointer { $0.baseAddress! }, into: w.baseAddress!,
                                                           count: count, shift: 10, scale: 1))
            }
        }
    }
    Benchmark("glibc exp loop, 1e6 entries") { benchmark in
        var work = logits
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for i in 0..<count { work[i] = exp(logits[i] - 10); total += work[i] }
            Benchmark.blackHole(total)
        }
    }

    // Cube roots: 1e6 arguments over many decades.
    let arguments = (0..<count).map { pow(10, Double($0 % 600) / 10 - 30) * ($0 % 2 == 0 ? 1 : -1) }
    Benchmark("cubeRoot, 1e6 arguments") { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for x in arguments { total += cubeRoot(x) }
            Benchmark.blackHole(total)
        }
    }
    Benchmark("glibc cbrt, 1e6 arguments") { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for x in arguments { total += cbrt(x) }
            Benchmark.blackHole(total)
        }
    }

    // Normal variates: 1e6 draws.
    Benchmark("Ziggurat normal, 1e6 draws") { benchmark in
        var rng = Xoshiro256StarStar(seed: 1)
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for _ in 0..<count { total += rng.normal() }
            Benchmark.blackHole(total)
        }
    }
    Benchmark("polar normal, 1e6 draws") { benchmark in
        var rng = Xoshiro256StarStar(seed: 1)
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for _ in 0..<count { total += polarNormal(&rng) }
            Benchmark.blackHole(total)
        }
    }

    // The GMP density at 1e6 points (the doc comment says about 30 ns per point per core).
    if let law = try? GeneralizedMarchenkoPastur(q: 0.5, scale: 1, correlation: 0.3) {
        let grid = law.defaultGrid(points: count)
        Benchmark("GMP density, 1e6 points, all threads") { benchmark in
            for _ in benchmark.scaledIterations { Benchmark.blackHole(law.density(grid)) }
        }
    }

    // The accumulator: 20000 rows of C = 1000 probabilities, no teacher (scatter-add and sums).
    let (rows, classes) = (20_000, 1000)
    var probabilities = [Double](repeating: 0, count: rows * classes)
    var labels = [Int](repeating: 0, count: rows)
    var rng = Xoshiro256StarStar(seed: 2)
    for r in 0..<rows {
        labels[r] = Int(rng.next() % UInt64(classes))
        var total = 0.0
        for j in 0..<classes { let v = exp(rng.normal()); probabilities[r * classes + j] = v; total += v }
        for j in 0..<classes { probabilities[r * classes + j] /= total }
    }
    let (p, y) = (probabilities, labels)
    Benchmark("CrossCovarianceAccumulator.add, 20000 x 1000") { benchmark in
        for _ in benchmark.scaledIterations {
            var acc = CrossCovarianceAccumulator(classes: classes, withTeacher: false)
            p.withUnsafeBufferPointer { pp in y.withUnsafeBufferPointer { yy in acc.add(probabilities: pp, scores: pp, labels: yy) } }
            Benchmark.blackHole(acc)
        }
    }

    // .npy block reads: 20000 x 1000 float32 from the page cache, converted to float64.
    let folder = NSTemporaryDirectory() + "spectralkd-bench-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/p32.npy"
    var header = NPYHeader.encode(descr: "<f4", shape: [rows, classes])
    header.reserveCapacity(header.count + rows * classes * 4)
    for v in probabilities { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { header.append(contentsOf: $0) } }
    _ = FileManager.default.createFile(atPath: path, contents: Data(header))
    if let source = try? ArrayFile.open(path) {
        Benchmark("npy float32 readRows, 20000 x 1000 (80 MB)") { benchmark in
            var buffer = [Double](repeating: 0, count: rows * classes)
            for _ in benchmark.scaledIterations {
                try buffer.withUnsafeMutableBufferPointer { try source.readRows(0..<rows, into: $0) }
                Benchmark.blackHole(buffer)
            }
        }
    }
}
