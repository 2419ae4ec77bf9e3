import Foundation
import ArrayIO
import LinearAlgebra
import Testing
import WideNetworks
import _TestSupport

@Suite struct WideNetworksTests {
    /// At T = 1 the root is `logit(rho sigma(z_t) + (1 - rho) y_g)`, over a grid of rho, z_t and
    /// both labels, to 1e-9 relative.
    @Test func temperatureOneClosedForm() {
        for rho in [0.01, 0.05, 0.3, 0.5, 0.9, 0.999] {
            for zt in stride(from: -12.0, through: 12, by: 0.75) {
                for y in [0.0, 1.0] {
                    let p = rho * EffectiveLogit.sigmoid(zt) + (1 - rho) * y
                    let exact = log(p) - log1p(-p)
                    let z = EffectiveLogit.solve(teacherLogit: zt, hardLabel: y, rho: rho, temperature: 1)
                    #expect(abs(z - exact) <= 1e-9 * max(1, abs(exact)), "rho \(rho) z_t \(zt) y \(y)")
                }
            }
        }
    }

    /// The root makes the derivative vanish and is the unique sign change, for T != 1; the
    /// properties Ji & Zhu report hold: a correct teacher's student is more confident than the
    /// teacher for T >= 1 (|z_eff| >= |z_t|), rho = 1 returns z_t, and with a hard label y_g = 1 a
    /// wrong teacher still leaves sigma(z_eff) >= 1 - rho at T = 1 (correct whenever rho <= 1/2).
    @Test func rootPropertiesOverAGrid() {
        for t in [1.0, 2, 5, 10] {
            for rho in [0.05, 0.5, 0.95] {
                for zt in stride(from: -8.0, through: 8, by: 0.5) where zt != 0 {
                    let correct: Double = zt > 0 ? 1 : 0
                    let z = EffectiveLogit.solve(teacherLogit: zt, hardLabel: correct, rho: rho, temperature: t)
                    let scale = max(1, abs(z))
                    #expect(EffectiveLogit.residual(z - 1e-6 * scale, teacherLogit: zt, hardLabel: correct, rho: rho, temperature: t) < 0)
                    #expect(EffectiveLogit.residual(z + 1e-6 * scale, teacherLogit: zt, hardLabel: correct, rho: rho, temperature: t) > 0)
                    #expect(abs(z) >= abs(zt) - 1e-9, "T \(t) rho \(rho) z_t \(zt)")
                    #expect(EffectiveLogit.solve(teacherLogit: zt, hardLabel: correct, rho: 1, temperature: t) == zt)
                }
            }
        }
        for rho in [0.1, 0.5, 0.8] {
            for zt in stride(from: -10.0, through: -0.5, by: 0.5) {
                let z = EffectiveLogit.solve(teacherLogit: zt, hardLabel: 1, rho: rho, temperature: 1)
                #expect(EffectiveLogit.sigmoid(z) >= 1 - rho - 1e-12)
                if rho <= 0.5 { #expect(z >= -1e-9) }
            }
        }
    }

    /// The kernel's closed form against a Monte Carlo width-20000 network's empirical NTK, and
    /// its diagonal `|x|^2` (each term gives |x|^2 / 2 at u = 0).
    @Test func reluKernelMatchesAWideNetwork() {
        var rng = SplitMix64(seed: 4)
        let x = [0.3, 1.0, -0.8, 1.0, 0.05, 1.0, 2.0, -0.5]     // four 2-d inputs
        let g = ReLUKernel.gram(x, rows: 4, dimension: 2)
        for i in 0..<4 { #expect(abs(g[i, i] - (x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1])) < 1e-12) }
        let width = 20_000
        var empirical = [Double](repeating: 0, count: 16)
        for _ in 0..<width {
            let w = [rng.normal(), rng.normal()], a = rng.normal()
            let pre = (0..<4).map { w[0] * x[2 * $0] + w[1] * x[2 * $0 + 1] }
            for i in 0..<4 { for j in 0..<4 {
                let outer = max(0, pre[i]) * max(0, pre[j])
                let hidden = (pre[i] > 0 && pre[j] > 0 ? a * a : 0) * (x[2 * i] * x[2 * j] + x[2 * i + 1] * x[2 * j + 1])
                empirical[i * 4 + j] += (outer + hidden) / Double(width)
            } }
        }
        for k in 0..<16 { #expect(abs(empirical[k] - g.elements[k]) < 0.03 * max(1, abs(g.elements[k])), "entry \(k)") }
    }

    /// The nested-Cholesky shortcut gives dz^T Theta_n^{-1} dz of every leading block: checked
    /// against a separate Cholesky solve of each block.
    @Test func nestedCholeskyMatchesSeparateSolves() throws {
        let task = WideTask(pool: 40, modes: 3, seed: 2)
        let gram = ReLUKernel.gram(task.inputs, rows: 40, dimension: task.featureDimension)
        let dz = task.targets(.soft, rho: 1, temperature: 1, seed: 1)
        let all = try DataInefficiency.weightNorms(gram: gram, targets: dz)
        #expect(all.jitter == 0)
        for n in [1, 2, 7, 20, 40] {
            var block = SquareMatrix(zeros: n)
            for i in 0..<n { for j in 0..<n { block.elements[i * n + j] = gram[i, j] } }
            let y = try Cholesky(block).forwardSolve(Array(dz[0..<n]))
            let direct = sqrt(y.map { $0 * $0 }.reduce(0, +))
            #expect(abs(all.norms[n - 1] - direct) < 1e-10 * direct)
        }
        // The Cholesky factor reproduces the matrix.
        let l = try Cholesky(gram).lower
        for (i, j) in [(0, 0), (3, 1), (39, 20)] {
            let v = (0..<40).map { l[i, $0] * l[j, $0] }.reduce(0, +)
            #expect(abs(v - gram[i, j]) < 1e-12 * gram[0, 0])
        }
    }

    /// An indefinite matrix is refused, not jittered into something else.
    @Test func indefiniteIsRefused() {
        #expect(throws: LinearAlgebraError.self) { try Cholesky(SquareMatrix(order: 2, elements: [1, 2, 2, 1])) }
    }

    /// Ordering by difficulty (Ji & Zhu, Fig. 3 and 4): random targets are the least data-efficient,
    /// a step (hard labels) next, the smooth teacher logits least; distillation at small rho
    /// behaves like hard labels and at rho = 1 like the soft logits.
    @Test(.slow) func orderingByDifficulty() throws {
        let task = WideTask(pool: 700, dimension: 3, modes: 3, seed: 7)
        let gram = ReLUKernel.gram(task.inputs, rows: 700, dimension: task.featureDimension)
        let sizes = [140, 280, 550]
        func curve(_ kind: WideTask.Targets, rho: Double = 1) throws -> DataInefficiency {
            try DataInefficiency(gram: gram, targets: task.targets(kind, rho: rho, temperature: 2, seed: 5), sizes: sizes,
                                 stepFraction: 0.25, orderings: 20, seed: 9)
        }
        let random = try curve(.random), hard = try curve(.hard), soft = try curve(.soft)
        let small = try curve(.distill, rho: 0.05), pure = try curve(.distill, rho: 1)
        // Measured (seeds 7 and 9): n = 280: random 0.67 ± 0.03, hard 0.58 ± 0.07, soft 0.069;
        // n = 550: random 0.70 ± 0.03, hard 0.48 ± 0.03, soft 0.034. The point estimates are ordered at
        // every size; at the largest each pair is more than 2 standard errors apart.
        func gap(_ a: DataInefficiency, _ b: DataInefficiency, _ k: Int) -> Double {
            (a.points[k].value - b.points[k].value) / hypot(a.points[k].standardError, b.points[k].standardError)
        }
        for k in 1..<sizes.count {
            #expect(random.points[k].value > hard.points[k].value && hard.points[k].value > soft.points[k].value, "n = \(sizes[k])")
            #expect(small.points[k].value > pure.points[k].value)
        }
        let last = sizes.count - 1
        #expect(gap(random, hard, last) > 2 && gap(hard, soft, last) > 2 && gap(small, pure, last) > 2)
        #expect((0.3...0.7).contains(hard.points.last!.value))      // the hard-label plateau near 1/2
        #expect(soft.points.last!.value < 0.1 && soft.points.last!.value < soft.points[0].value)
        #expect(pure.points == soft.points)
    }
}

@Suite struct CommittedGramTests {
    /// The committed example Gram (numpy, experiments/companion_examples.py) and the Swift kernel
    /// on the same inputs agree: two independent implementations of the closed form.
    @Test func numpyAndSwiftKernelsAgree() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/example_companions").path
        let inputs = try ArrayFile.open(folder + "/wide_inputs.npy")
        let gram = try ArrayFile.open(folder + "/wide_gram.npy").readAll()
        let swift = ReLUKernel.gram(try inputs.readAll(), rows: inputs.rows, dimension: inputs.columns)
        let largest = gram.map(abs).max()!
        for (a, b) in zip(swift.elements, gram) { #expect(abs(a - b) < 1e-12 * largest) }
    }
}
