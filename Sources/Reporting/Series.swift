/// What a figure draws: data already computed (Reporting never evaluates a law or a KDE), with
/// the style a reader needs to tell series apart.
public struct Series: Sendable {
    public enum Shape: Sendable {
        /// Histogram bars: `edges.count == heights.count + 1`.
        case bars(edges: [Double], heights: [Double])
        /// A polyline; non-finite points break it into pieces rather than drawing to 0.
        case line(x: [Double], y: [Double])
        /// Markers, with optional horizontal error bars (half-widths).
        case points(x: [Double], y: [Double], xError: [Double]?)
        /// A vertical rule across the plot at `x` (support edges, atoms).
        case verticalRule(x: Double)
    }

    public enum Marker: String, Sendable { case circle, square, triangle, diamond, cross }

    public var shape: Shape
    /// Legend text; `nil` keeps the series out of the legend.
    public var label: String?
    public var color: Color
    public var dashed: Bool
    public var marker: Marker
    public var lineWidth: Double
    /// For `points`: a short text beside each marker (e.g. "T=4 aH=0.1").
    public var pointLabels: [String]?
    /// For `points`: vertical bars from `low` to `high` (an interval), NaN for none.
    public var yInterval: (low: [Double], high: [Double])?

    public init(_ shape: Shape, label: String?, color: Color, dashed: Bool = false, marker: Marker = .circle, lineWidth: Double = 2) {
        self.shape = shape; self.label = label; self.color = color; self.dashed = dashed; self.marker = marker; self.lineWidth = lineWidth
    }

    /// The x and y values that should fit inside the axes.
    var extent: (x: [Double], y: [Double]) {
        switch shape {
        case let .bars(edges, heights): (edges, heights + [0])
        case let .line(x, y): (x, y)
        case let .points(x, y, xError):
            (xError.map { e in zip(x, e).flatMap { [$0 - $1, $0 + $1] } } ?? x, y + (yInterval.map { $0.low + $0.high } ?? []))
        case let .verticalRule(x): ([x], [])
        }
    }
}

/// A 2-D chart: axes with labels and ticks, series, a legend, and notes under the title.
public struct Figure: Sendable {
    /// Inside the plot area, or in a column right of it (the plot area narrows to make room),
    /// for scatter plots whose points may lie anywhere.
    public enum LegendPlacement: Sendable { case topRight, topLeft, bottomRight, outsideRight }

    public var title: String
    /// A second line under the title (sample sizes, a verdict such as "fit NOT adequate").
    public var subtitle: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var width = 800.0
    public var height = 500.0
    /// Fixed axis ranges; by default each covers its data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var legend: LegendPlacement = .topRight
    /// Give both axes the same range (predicted against observed, with an identity line).
    public var squareAxes = false
    /// Provenance lines (tool, command, time, inputs with their SHA-256), written into the SVG's
    /// `<metadata>` element: invisible, but kept with the picture wherever it is copied.
    public var metadata: [String] = []

    public init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title; self.subtitle = subtitle; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }
}

/// An sRGB colour written as `#rrggbb`.
public struct Color: Sendable, Equatable {
    public let hex: String
    public init(hex: String) { self.hex = hex }

    // Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
    public static let black = Color(hex: "#000000")
    public static let orange = Color(hex: "#E69F00")
    public static let skyBlue = Color(hex: "#56B4E9")
    public static let green = Color(hex: "#009E73")
    public static let yellow = Color(hex: "#F0E442")
    public static let blue = Color(hex: "#0072B2")
    public static let vermillion = Color(hex: "#D55E00")
    public static let purple = Color(hex: "#CC79A7")
    public static let gray = Color(hex: "#999999")
}
