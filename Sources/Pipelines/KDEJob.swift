import ArrayIO
import DensityEstimation
import Foundation

/// `spectralkd kde`: an FFT kernel density estimate of a vector, written as CSV `x,density`.
public struct KDEJob: Sendable {
    public var input: String
    public var column: String?
    public var weights: String?
    public var bandwidth: BandwidthMethod
    public var gridPoints: Int
    public var lowerBound: Double?
    public var upperBound: Double?
    public var output: String
    /// Grid points of the ISJ fixed point (default 2^14, Botev's; KDEpy uses 1024).
    public var isjGridPoints: Int = ImprovedSheatherJones.defaultGridPoints

    public init(input: String, column: String? = nil, weights: String? = nil, bandwidth: BandwidthMethod = .silverman,
                gridPoints: Int = 4096, lowerBound: Double? = nil, upperBound: Double? = nil, output: String = "kde.csv") {
        self.input = input
        self.column = column
        self.weights = weights
        self.bandwidth = bandwidth
        self.gridPoints = gridPoints
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.output = output
    }

    public struct Result: Sendable {
        public let estimate: KernelDensityEstimate
        public let summary: JSONValue
    }

    /// Runs `body`, turning a `DensityEstimationError` into a one-line error naming the file it is about.
    static func attributed<T>(to file: String, weights: String?, _ body: () throws(DensityEstimationError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .badWeight, .weightCountMismatch: throw PipelineError("\(weights ?? file): \(error)")
            default: throw PipelineError("\(file): \(error)")
            }
        }
    }

    /// - Throws: `ArrayIOError` or `PipelineError` (file, problem, fix); nothing is written then.
    public func run() throws -> Result {
        // Grid, zero-padded FFT buffers and the CSV text: a few dozen bytes per grid point.
        try MemoryBudget.require(Double(max(gridPoints, isjGridPoints)) * 64, for: "a \(max(gridPoints, isjGridPoints))-point grid",
                                 file: gridPoints >= isjGridPoints ? "--grid \(gridPoints)" : "--isj-grid \(isjGridPoints)",
                                 fix: "use a smaller grid")
        let timer = StageTimer()
        let data = try timer.time("read") { try VectorInput(path: input, column: column) }
        let weightValues = try timer.time("read") { try weights.map { try VectorInput(path: $0).values } }
        let sample = try Self.attributed(to: data.file, weights: weights) { () throws(DensityEstimationError) in
            try WeightedSample(values: data.values, weights: weightValues)
        }
        var estimator = KernelDensity(bandwidth: bandwidth, gridPoints: gridPoints, lowerBound: lowerBound, upperBound: upperBound)
        estimator.isjGridPoints = isjGridPoints
        let estimate = try timer.time("estimate") {
            try Self.attributed(to: data.file, weights: weights) { () throws(DensityEstimationError) in
                try estimator.estimate(sample)
            }
        }
        let summary = JSONValue.object([
            ("input", .string(data.file)),
            ("column", data.column.map { .string($0) } ?? .null),
            ("dropped_structural_zero", .bool(data.droppedStructuralZero)),
            ("n", .int(sample.values.count)),
            ("total_weight", .double(sample.totalWeight)),
            ("bandwidth", .double(estimate.bandwidth)),
            ("bandwidth_method", .string(bandwidth.description)),
            ("grid", .int(estimate.grid.count)),
            ("isj_grid", bandwidth == .isj ? .int(isjGridPoints) : .null),
            ("grid_lower", .double(estimate.grid.lower)),
            ("grid_upper", .double(estimate.grid.upper)),
            ("lower_bound", lowerBound.map { .double($0) } ?? .null),
            ("upper_bound", upperBound.map { .double($0) } ?? .null),
            ("output", .string(output)),
            ("provenance", try Provenance(inputs: [data.file] + (weights.map { [$0] } ?? [])).json),
        ])
        var transaction = OutputTransaction()
        transaction.add(output, Writers.csv(header: ["x", "density"], columns: [estimate.grid.points, estimate.density]))
        try timer.time("write") { try transaction.commit() }
        timer.report()
        return Result(estimate: estimate, summary: summary)
    }
}
