import ArrayIO
import Foundation
import LinearDistillation
import Reporting

/// `spectralkd linear`: Phuong & Lampert's linear distillation (docs/companions.md §1). The
/// transfer risk of the gradient-flow student over transfer-set sizes up to `samples`, its
/// Monte Carlo error, the isotropic closed form, the Theorem 3 bound, the strong-monotonicity
/// check, and optionally a student actually trained by gradient descent.
public struct LinearJob: Sendable {
    public enum Distribution: String, Sendable, CaseIterable { case isotropic, margin, polynomial }

    public var dimension: Int?
    public var samples: Int
    public var distribution: Distribution
    public var degree: Double
    public var margin: Double
    /// A `rows x d` data matrix (`.npy`/`.npz`/CSV) used as the population, with `teacherWeights`.
    public var data: String?
    public var teacherWeights: String?
    public var transferSets: Int
    public var testPoints: Int
    public var seed: UInt64
    /// Depth of a student trained by gradient descent on the first transfer set at `samples` (0: none).
    public var trainDepth: Int
    public var trainSteps: Int
    /// The step as a multiple of the largest stable step of the shallow loss (`LinearStudent.safeStep`),
    /// divided by the depth.
    public var learningRate: Double
    /// Standard deviation of the deep student's initial entries (Theorem 2: the smaller, the closer
    /// to the projection, and the longer the plateau before learning starts).
    public var initScale: Double = 0.05
    public var outputFolder: String

    public init(dimension: Int?, samples: Int, distribution: Distribution = .isotropic, degree: Double = 1, margin: Double = 0.2,
                data: String? = nil, teacherWeights: String? = nil, transferSets: Int = 50, testPoints: Int = 20_000, seed: UInt64 = 0,
                trainDepth: Int = 0, trainSteps: Int = 20_000, learningRate: Double = 1, outputFolder: String = "linear-out") {
        self.dimension = dimension; self.samples = samples; self.distribution = distribution; self.degree = degree; self.margin = margin
        self.data = data; self.teacherWeights = teacherWeights; self.transferSets = transferSets; self.testPoints = testPoints
        self.seed = seed; self.trainDepth = trainDepth; self.trainSteps = trainSteps; self.learningRate = learningRate
        self.outputFolder = outputFolder
    }

    public struct Trained: Sendable {
        public let depth: Int
        public let distanceToProjection: Double
        public let relativeDistance: Double
        public let angle: Double
    }

    public struct Result: Sendable {
        public let curve: TransferCurve
        public let trained: Trained?
        public let summary: JSONValue
        public let files: [String]
        /// The point at `samples`.
        public var final: TransferCurve.Point { curve.points.last! }
    }

    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "linear", summaryName: "linear.json", knownOutputs: ["linear.json", "linear.csv", "linear.svg"]) { folder in
            let (family, teacher, d) = try population()
            let sizes = TransferCurve.sizes(upTo: samples, dimension: d)
            let curve = try TransferCurve(dimension: d, sizes: sizes, distribution: family, teacher: teacher, transferSets: transferSets,
                                          testPoints: testPoints, seed: seed)
            let trained = try trainedStudent(family: family, teacher: curve.teacher)
            let inputs = [data, teacherWeights].compactMap { $0 }
            let provenance = try Provenance(inputs: inputs, seed: seed)
            let last = curve.points.last!
            var pairs: [(String, JSONValue)] = [
                ("dimension", .int(d)), ("samples", .int(samples)), ("distribution", .string(family.name)),
            ]
            if case let .polynomial(k) = family { pairs.append(("degree", .double(k))) }
            if case let .margin(m) = family { pairs.append(("margin", .double(m))) }
            if case let .empirical(rows, _) = family { pairs.append(("data_rows", .int(rows))) }
            pairs += [
                ("transfer_risk", .double(last.risk)), ("transfer_risk_se", .double(last.riskSE)), ("transfer_risk_upper95", .double(last.upper95)),
                ("closed_form_risk", last.closedFormRisk.map(JSONValue.double) ?? .null),
                ("angle", .double(last.angle)), ("bound", .double(last.bound)),
                ("transfer_sets", .int(transferSets)), ("test_points", .int(curve.testPoints)),
                ("monotonicity_violations", .int(curve.monotonicityViolations)),
            ]
            if case .empirical = family { pairs.append(("risk_increases", .int(curve.riskIncreases))) }
            if let trained {
                pairs.append(("trained", .object([("depth", .int(trained.depth)), ("steps", .int(trainSteps)), ("learning_rate", .double(learningRate)),
                                                  ("init_scale", .double(trainDepth == 1 ? 0 : initScale)),
                                                  ("distance_to_projection", .double(trained.distanceToProjection)),
                                                  ("relative_distance", .double(trained.relativeDistance)), ("angle", .double(trained.angle)),
                                                  ("converged", .bool(trained.relativeDistance < 1e-3))])))
            }
            let names = ["linear.csv", "linear.json", "linear.svg"]
            pairs += [("seed", .int(Int(seed))), ("manifest", folder.manifest(files: names).json), ("provenance", provenance.json)]
            let summary = JSONValue.object(pairs)
            let p = curve.points
            let csv = Writers.csv(header: ["samples", "transfer_risk", "transfer_risk_se", "transfer_risk_upper95", "closed_form_risk", "angle", "bound"],
                                  leadingText: [p.map { String($0.samples) }], columns: [p.map(\.risk), p.map(\.riskSE), p.map(\.upper95), p.map { $0.closedFormRisk ?? .nan },
                                            p.map(\.angle), p.map(\.bound)])
            var figure = Self.figure(curve)
            figure.metadata = provenance.lines
            let files: [(name: String, bytes: [UInt8])] = [("linear.csv", csv), ("linear.json", Writers.json(summary)),
                                                          ("linear.svg", Array(figure.svg().utf8))]
            return (files, Result(curve: curve, trained: trained, summary: summary, files: files.map { folder.file($0.name) }))
        }
    }

    /// The family, the teacher (nil: seeded), and the dimension, with data files checked.
    func population() throws -> (TransferDistribution, [Double]?, Int) {
        guard let data else {
            guard let d = dimension else { throw PipelineError(file: "--dimension", problem: "is missing", fix: "give --dimension D, or --data X.npy with --teacher-weights") }
            if teacherWeights != nil {
                throw PipelineError(file: "--teacher-weights", problem: "is only read with --data", fix: "pass --data X.npy as well, or drop it")
            }
            let family: TransferDistribution = switch distribution {
            case .isotropic: .isotropic
            case .margin: .margin(margin)
            case .polynomial: .polynomial(degree: degree)
            }
            return (family, nil, d)
        }
        guard let teacherWeights else {
            throw PipelineError(file: data, problem: "has no teacher to distil", fix: "pass the teacher's weight vector with --teacher-weights w.npy")
        }
        let x = try ArrayFile.open(data)
        let d = x.columns
        if let dimension, dimension != d {
            throw PipelineError(file: x.name, problem: "has \(d) columns but --dimension is \(dimension)", fix: "drop --dimension with --data, or pass the matching file")
        }
        try MemoryBudget.require(Double(x.rows) * Double(d) * 8, for: "the \(x.rows) x \(d) data", file: x.name, fix: "use a subset of the rows")
        let values = try x.readAll()
        guard values.allSatisfy(\.isFinite) else { throw PipelineError(file: x.name, problem: "has a non-finite value", fix: "remove or fix the row") }
        guard x.rows >= samples else {
            throw PipelineError(file: x.name, problem: "has \(x.rows) rows, fewer than --samples \(samples)", fix: "lower --samples or pass more rows")
        }
        let w = try ArrayFile.open(teacherWeights)
        guard w.rows * w.columns == d else {
            throw PipelineError(file: w.name, problem: "holds \(w.rows * w.columns) weights for \(d) data columns", fix: "save w* as a vector of length \(d)")
        }
        let weights = try w.readAll()
        guard weights.allSatisfy(\.isFinite), weights.contains(where: { $0 != 0 }) else {
            throw PipelineError(file: w.name, problem: "is zero or not finite", fix: "save the teacher's (non-zero) weight vector")
        }
        return (.empirical(rows: x.rows, values: values), weights, d)
    }

    /// The student gradient descent reaches on the first transfer set of size `samples`.
    func trainedStudent(family: TransferDistribution, teacher w: [Double]) throws -> Trained? {
        guard trainDepth > 0 else { return nil }
        let d = w.count
        let x = TransferCurve.transferPool(family, teacher: w, count: samples, seed: seed, set: 0)   // the curve's first set
        // Inputs scaled to unit mean square norm (w* scaled back, so the logits are unchanged).
        let scale = sqrt(x.map { $0 * $0 }.reduce(0, +) / Double(samples))
        let xs = x.map { $0 / scale }, ws = w.map { $0 * scale }
        let projection = try LinearStudent.projection(inputs: xs, rows: samples, teacher: ws)
        // Divided by the depth: each layer's update moves the end-to-end map, so a deep student
        // with the shallow step diverges (measured at depth 3; depth x smaller is stable).
        let step = learningRate * LinearStudent.safeStep(inputs: xs, rows: samples, dimension: d) / Double(trainDepth)
        let student = LinearStudent.trainByGradientDescent(inputs: xs, rows: samples, teacher: ws, depth: trainDepth, hidden: d,
                                                           steps: trainSteps, learningRate: step, initScale: trainDepth == 1 ? 0 : initScale,
                                                           seed: seed)
        guard student.allSatisfy(\.isFinite) else {
            throw PipelineError(file: "--learning-rate", problem: "made gradient descent diverge (depth \(trainDepth))", fix: "lower --learning-rate, e.g. to \(learningRate / 4)")
        }
        let distance = sqrt(zip(student, projection).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
        let norm = sqrt(projection.map { $0 * $0 }.reduce(0, +))
        return Trained(depth: trainDepth, distanceToProjection: distance / scale, relativeDistance: distance / norm,
                       angle: TransferCurve.angle(ws, student))
    }

    /// Risk (with a 2-standard-error band), the isotropic closed form and the bound, over n.
    static func figure(_ curve: TransferCurve) -> Figure {
        let p = curve.points
        let n = p.map { Double($0.samples) }
        var series = [
            Series(.line(x: n, y: p.map(\.bound)), label: "Theorem 3 bound", color: .vermillion, dashed: true),
            Series(.line(x: n, y: p.map { $0.risk + 2 * $0.riskSE }), label: nil, color: .blue, dashed: true, lineWidth: 1),
            Series(.line(x: n, y: p.map { max(0, $0.risk - 2 * $0.riskSE) }), label: nil, color: .blue, dashed: true, lineWidth: 1),
            Series(.points(x: n, y: p.map(\.risk), xError: nil), label: "Monte Carlo risk (± 2 SE)", color: .blue),
        ]
        if p.allSatisfy({ $0.closedFormRisk != nil }) {
            series.append(Series(.line(x: n, y: p.map { $0.closedFormRisk! }), label: "angle / π (exact, isotropic)", color: .black, lineWidth: 1.2))
        }
        var figure = Figure(title: "Linear distillation: transfer risk against transfer-set size",
                            subtitle: "d = \(curve.dimension), \(curve.distribution.name) inputs, \(curve.transferSets) transfer sets, \(curve.testPoints) test points",
                            xLabel: "transfer-set size n", yLabel: "P[sign(w*·x) ≠ sign(ŵ·x)]", series: series)
        figure.yRange = 0...max(0.05, min(1, (p.map(\.bound) + p.map(\.risk)).max()! * 1.05))
        figure.legend = .topRight
        return figure
    }
}
