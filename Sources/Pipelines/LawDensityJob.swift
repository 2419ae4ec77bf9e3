import ArrayIO
import Laws

/// `spectralkd density`: the generalised Marchenko-Pastur density on a grid (docs/theory.md §2).
public struct LawDensityJob: Sendable {
    public var q: Double, scale: Double, correlation: Double
    public var from: Double?, to: Double?
    public var points: Int
    public var output: String

    public init(q: Double, scale: Double, correlation: Double, from: Double? = nil, to: Double? = nil,
                points: Int = 1000, output: String = "density.csv") {
        self.q = q; self.scale = scale; self.correlation = correlation
        self.from = from; self.to = to; self.points = points; self.output = output
    }

    /// - Throws: `PipelineError` for parameters outside the law's domain; `ArrayIOError` when writing fails.
    public func run() throws -> (law: GeneralizedMarchenkoPastur, summary: JSONValue) {
        try MemoryBudget.require(Double(points) * 64, for: "\(points) grid points", file: "--points \(points)", fix: "use fewer --points")
        let law: GeneralizedMarchenkoPastur
        do {
            law = try GeneralizedMarchenkoPastur(q: q, scale: scale, correlation: correlation)
        } catch {
            throw PipelineError("\(error)")
        }
        var xs = law.defaultGrid(points: points)
        if from != nil || to != nil {
            let lo = from ?? xs.first!, hi = to ?? xs.last!
            guard hi > lo else { throw PipelineError("--to (\(hi)) must be greater than --from (\(lo))") }
            xs = (0..<points).map { lo + (hi - lo) * Double($0) / Double(points - 1) }
        }
        let timer = StageTimer()
        let ys = timer.time("evaluate") { law.density(xs) }
        var transaction = OutputTransaction()
        let table = timer.time("format") { Writers.csv(header: ["x", "density"], columns: [xs, ys]) }
        transaction.add(output, table)
        try timer.time("write") { try transaction.commit() }
        timer.report()
        let summary = JSONValue.object(law.summaryPairs + [("points", .int(points)), ("output", .string(output)), ("provenance", try Provenance(inputs: []).json)])
        return (law, summary)
    }
}
