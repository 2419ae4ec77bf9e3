import ArrayIO
import Foundation
import LinearAlgebra
import Reporting
import WideNetworks

/// `spectralkd wide`: Ji & Zhu's wide-network view of distillation (docs/companions.md §3): the
/// effective student logit over a grid of teacher logits for a correct and a wrong teacher, and
/// the data inefficiency `I(n)` of the targets under the two-layer ReLU NTK (or a given Gram).
public struct WideJob: Sendable {
    public var rho: Double
    public var temperature: Double
    public var logitRange: Double
    public var gridPoints: Int
    /// A user kernel (`P x P`) with its target logits (`P`); else the seeded sphere task.
    public var gram: String?
    public var targetsFile: String?
    public var targets: WideTask.Targets
    public var inputDimension: Int
    public var modes: Int
    public var flip: Double
    public var maxSamples: Int
    public var stepFraction: Double
    public var orderings: Int
    public var seed: UInt64
    public var outputFolder: String

    public init(rho: Double, temperature: Double, logitRange: Double = 10, gridPoints: Int = 201, gram: String? = nil, targetsFile: String? = nil,
                targets: WideTask.Targets = .distill, inputDimension: Int = 3, modes: Int = 3, flip: Double = 0, maxSamples: Int = 400,
                stepFraction: Double = 0.25, orderings: Int = 20, seed: UInt64 = 0, outputFolder: String = "wide-out") {
        self.rho = rho; self.temperature = temperature; self.logitRange = logitRange; self.gridPoints = gridPoints
        self.gram = gram; self.targetsFile = targetsFile; self.targets = targets; self.inputDimension = inputDimension
        self.modes = modes; self.flip = flip; self.maxSamples = maxSamples; self.stepFraction = stepFraction
        self.orderings = orderings; self.seed = seed; self.outputFolder = outputFolder
    }

    public struct Curve: Sendable {
        public let name: String
        public let inefficiency: DataInefficiency
    }

    public struct Result: Sendable {
        /// `(teacher logit, hard label, effective logit)` rows, correct teacher then wrong.
        public let effective: [(teacherLogit: Double, hardLabel: Double, effectiveLogit: Double, correct: Bool)]
        /// The requested targets first, then the references (random and soft logits) on the built-in task.
        public let curves: [Curve]
        public let summary: JSONValue
        public let files: [String]
    }

    static let outputs = ["wide.json", "effective_logits.csv", "effective_logits.svg", "inefficiency.csv", "inefficiency.svg"]

    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "wide", summaryName: "wide.json", knownOutputs: Self.outputs) { folder in
            var effective: [(teacherLogit: Double, hardLabel: Double, effectiveLogit: Double, correct: Bool)] = []
            for correct in [true, false] {
                for i in 0..<gridPoints {
                    let zt = -logitRange + 2 * logitRange * Double(i) / Double(gridPoints - 1)
                    let y: Double = (zt > 0) == correct ? 1 : 0
                    effective.append((zt, y, EffectiveLogit.solve(teacherLogit: zt, hardLabel: y, rho: rho, temperature: temperature), correct))
                }
            }
            let threshold = EffectiveLogit.solve(teacherLogit: 0, hardLabel: 1, rho: rho, temperature: temperature)
            let curves = try inefficiencyCurves()
            let provenance = try Provenance(inputs: [gram, targetsFile].compactMap { $0 }, seed: seed)
            let main = curves[0].inefficiency
            var pairs: [(String, JSONValue)] = [
                ("rho", .double(rho)), ("temperature", .double(temperature)),
                ("threshold", .double(threshold)),
                ("targets", .string(gram == nil ? curves[0].name : "file")),
            ]
            if gram == nil {
                pairs += [("kernel", .string("relu-ntk")), ("input_dimension", .int(inputDimension)), ("modes", .int(modes)), ("flip", .double(flip))]
            } else {
                pairs += [("kernel", .string("file"))]
            }
            pairs += [
                ("orderings", .int(orderings)), ("step_fraction", .double(stepFraction)), ("max_samples", .int(maxSamples)),
                ("data_inefficiency", .double(main.points.last!.value)), ("data_inefficiency_se", .double(main.points.last!.standardError)),
                ("relative_jitter", .double(curves.map(\.inefficiency.relativeJitter).max()!)),
                ("references", .object(curves.dropFirst().map { ($0.name, .double($0.inefficiency.points.last!.value)) })),
            ]
            let names = Self.outputs.sorted()
            pairs += [("seed", .int(Int(seed))), ("manifest", folder.manifest(files: names).json), ("provenance", provenance.json)]
            let summary = JSONValue.object(pairs)
            let effectiveCSV = Writers.csv(header: ["teacher", "teacher_logit", "hard_label", "effective_logit"],
                                           text: effective.map { $0.correct ? "correct" : "wrong" },
                                           columns: [effective.map(\.teacherLogit), effective.map(\.hardLabel), effective.map(\.effectiveLogit)])
            let rows = curves.flatMap { c in c.inefficiency.points.enumerated().map { (c.name, $0.element, c.inefficiency.steps[$0.offset]) } }
            let inefficiencyCSV = Writers.csv(header: ["targets", "samples", "step", "data_inefficiency", "standard_error", "weight_norm"],
                                              leadingText: [rows.map(\.0), rows.map { String($0.1.samples) }, rows.map { String($0.2) }],
                                              columns: [rows.map(\.1.value),
                                                        rows.map(\.1.standardError), rows.map(\.1.weightNorm)])
            var first = Self.effectiveFigure(effective, rho: rho, temperature: temperature)
            var second = Self.inefficiencyFigure(curves, kernel: gram == nil ? "two-layer ReLU NTK, inputs on S^\(inputDimension - 1)" : "given Gram matrix")
            first.metadata = provenance.lines
            second.metadata = provenance.lines
            let files: [(name: String, bytes: [UInt8])] = [
                ("effective_logits.csv", effectiveCSV), ("effective_logits.svg", Array(first.svg().utf8)),
                ("inefficiency.csv", inefficiencyCSV), ("inefficiency.svg", Array(second.svg().utf8)), ("wide.json", Writers.json(summary)),
            ]
            return (files, Result(effective: effective, curves: curves, summary: summary, files: files.map { folder.file($0.name) }))
        }
    }

    /// The n at which I(n) is reported: about 12 geometric steps from 10 (or 1) to maxSamples.
    func sizes() -> [Int] {
        let start = min(10, maxSamples)
        var set = Set<Int>([start, maxSamples])
        for i in 0..<12 { set.insert(Int((Double(start) * pow(Double(maxSamples) / Double(start), Double(i) / 11)).rounded())) }
        return set.sorted()
    }

    func inefficiencyCurves() throws -> [Curve] {
        let sizes = sizes()
        let needed = zip(sizes, sizes.map { max(1, Int((stepFraction * Double($0)).rounded())) }).map { $0 + $1 }.max()!
        if let gram {
            guard let targetsFile else {
                throw PipelineError(file: gram, problem: "comes without target logits", fix: "pass the pool's targets dz with --targets-file z.npy")
            }
            let g = try ArrayFile.open(gram)
            guard g.rows == g.columns, g.rows >= 2 else {
                throw PipelineError(file: g.name, problem: "is \(g.rows) x \(g.columns), not a square Gram matrix", fix: "save the P x P kernel matrix")
            }
            let p = g.rows
            guard needed <= p else {
                throw PipelineError(file: g.name, problem: "has a pool of \(p) points; --max-samples \(maxSamples) with its step needs \(needed)",
                                    fix: "lower --max-samples to at most \(Int(Double(p - 1) / (1 + stepFraction))) or pass a larger Gram")
            }
            try MemoryBudget.require(Double(p) * Double(p) * 16, for: "the \(p) x \(p) Gram matrix", file: g.name, fix: "use a smaller pool")
            let matrix = SquareMatrix(order: p, elements: try g.readAll())
            guard matrix.elements.allSatisfy(\.isFinite) else { throw PipelineError(file: g.name, problem: "has a non-finite entry", fix: "recompute the kernel") }
            let largest = matrix.elements.map(abs).max()!
            guard matrix.asymmetry <= 1e-10 * max(largest, 1e-300) else {
                throw PipelineError(file: g.name, problem: "is not symmetric (largest |G - G^T| \(matrix.asymmetry))", fix: "save a symmetric kernel matrix")
            }
            let t = try ArrayFile.open(targetsFile)
            guard t.rows * t.columns == p else {
                throw PipelineError(file: t.name, problem: "holds \(t.rows * t.columns) targets for a pool of \(p)", fix: "save one target logit per Gram row")
            }
            let dz = try t.readAll()
            guard dz.allSatisfy(\.isFinite) else { throw PipelineError(file: t.name, problem: "has a non-finite target", fix: "fix the targets") }
            do {
                return [Curve(name: "file", inefficiency: try DataInefficiency(gram: matrix, targets: dz, sizes: sizes, stepFraction: stepFraction,
                                                                               orderings: orderings, seed: seed))]
            } catch is LinearAlgebraError {
                throw PipelineError(file: g.name, problem: "is not positive semi-definite (Cholesky fails even with a jitter of 1e-2 of its mean diagonal)",
                                    fix: "pass a kernel (Gram) matrix")
            }
        }
        let pool = needed + 1
        let task = WideTask(pool: pool, dimension: inputDimension, modes: modes, flip: flip, seed: seed)
        let matrix = ReLUKernel.gram(task.inputs, rows: pool, dimension: task.featureDimension)
        var kinds = [targets]
        for reference in [WideTask.Targets.random, .soft] where !kinds.contains(reference) { kinds.append(reference) }
        return try kinds.map { kind in
            Curve(name: kind.rawValue, inefficiency: try DataInefficiency(gram: matrix, targets: task.targets(kind, rho: rho, temperature: temperature, seed: seed),
                                                                         sizes: sizes, stepFraction: stepFraction, orderings: orderings, seed: seed))
        }
    }

    /// Ji & Zhu's Fig. 1: the effective logit against the teacher's, correct (solid) and wrong (dashed).
    static func effectiveFigure(_ rows: [(teacherLogit: Double, hardLabel: Double, effectiveLogit: Double, correct: Bool)], rho: Double, temperature: Double) -> Figure {
        let right = rows.filter(\.correct), wrong = rows.filter { !$0.correct }
        let x = right.map(\.teacherLogit)
        var figure = Figure(title: "Effective student logit (ρ = \(shortNumber(rho)), T = \(shortNumber(temperature)))",
                            subtitle: "root of (ρ/T)(σ(z/T) − σ(z_t/T)) + (1 − ρ)(σ(z) − y_g) = 0",
                            xLabel: "teacher logit z_t", yLabel: "effective student logit z_eff", series: [
                                Series(.line(x: [x.first!, x.last!], y: [x.first!, x.last!]), label: "z_eff = z_t", color: .black, dashed: true, lineWidth: 1),
                                Series(.line(x: x, y: right.map(\.effectiveLogit)), label: "correct teacher, y_g = 1[z_t > 0]", color: .blue),
                                Series(.line(x: wrong.map(\.teacherLogit), y: wrong.map(\.effectiveLogit)), label: "wrong teacher, y_g = 1[z_t < 0]",
                                       color: .vermillion, dashed: true),
                            ])
        figure.legend = .topLeft
        return figure
    }

    /// I(n) of each target kind with its ±2 SE band.
    static func inefficiencyFigure(_ curves: [Curve], kernel: String) -> Figure {
        let colors: [Color] = [.blue, .vermillion, .black]
        var series: [Series] = []
        for (i, c) in curves.enumerated() {
            let n = c.inefficiency.points.map { Double($0.samples) }
            series.append(Series(.points(x: n, y: c.inefficiency.points.map(\.value), xError: nil), label: c.name, color: colors[i % colors.count]))
            let se = c.inefficiency.points.map { $0.standardError.isFinite ? $0.standardError : 0 }
            series.append(Series(.line(x: n, y: zip(c.inefficiency.points, se).map { $0.value + 2 * $1 }), label: nil, color: colors[i % colors.count],
                                 dashed: true, lineWidth: 1))
            series.append(Series(.line(x: n, y: zip(c.inefficiency.points, se).map { $0.value - 2 * $1 }), label: nil, color: colors[i % colors.count],
                                 dashed: true, lineWidth: 1))
        }
        var figure = Figure(title: "Data inefficiency I(n) (Ji & Zhu)", subtitle: "\(kernel); ±2 jackknife SE over \(curves[0].inefficiency.orderings) orderings",
                            xLabel: "samples n", yLabel: "I(n) = d ln E‖Δw_n‖ / d ln n", series: series)
        figure.legend = .topRight
        return figure
    }
}
