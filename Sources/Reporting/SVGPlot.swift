import Foundation

extension Figure {
    /// The figure as a standalone SVG document (no scripts, no external fonts or links), readable
    /// at its nominal size: title, axis labels, ticks with labels, light grid, clipped series and
    /// a legend.
    ///
    /// - Parameter id: prefix for element ids (the clip path), unique per page when several
    ///   figures are inlined into one HTML file.
    public func svg(id: String = "figure") -> String {
        let top = subtitle == nil ? 52.0 : 72.0, bottom = 64.0, left = 86.0
        let right = legend == .outsideRight ? legendSize().width + 24 : 24.0
        let plotLeft = left, plotRight = width - right, plotTop = top, plotBottom = height - bottom
        let (xAxis, yAxis) = axes()
        func X(_ v: Double) -> Double { xAxis.position(v, from: plotLeft, to: plotRight) }
        func Y(_ v: Double) -> Double { yAxis.position(v, from: plotBottom, to: plotTop) }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(px(width))" height="\(px(height))" viewBox="0 0 \(px(width)) \(px(height))" \
        role="img" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <title>\(escapeMarkup(title))</title>
        \(metadata.isEmpty ? "" : "<metadata>\n" + metadata.map(escapeMarkup).joined(separator: "\n") + "\n</metadata>")
        <rect width="100%" height="100%" fill="#ffffff"/>
        <defs><clipPath id="\(id)-clip"><rect x="\(px(plotLeft))" y="\(px(plotTop))" width="\(px(plotRight - plotLeft))" height="\(px(plotBottom - plotTop))"/></clipPath></defs>
        <text x="\(px(width / 2))" y="28" text-anchor="middle" font-size="17" font-weight="bold">\(escapeMarkup(title))</text>

        """
        if let subtitle {
            s += "<text x=\"\(px(width / 2))\" y=\"50\" text-anchor=\"middle\" font-size=\"13\" fill=\"#333333\">\(escapeMarkup(subtitle))</text>\n"
        }
        // Grid and ticks.
        s += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n"
        for t in xAxis.ticks { s += "<line x1=\"\(px(X(t)))\" y1=\"\(px(plotTop))\" x2=\"\(px(X(t)))\" y2=\"\(px(plotBottom))\"/>\n" }
        for t in yAxis.ticks { s += "<line x1=\"\(px(plotLeft))\" y1=\"\(px(Y(t)))\" x2=\"\(px(plotRight))\" y2=\"\(px(Y(t)))\"/>\n" }
        s += "</g>\n<g font-size=\"12\" fill=\"#222222\">\n"
        for (t, label) in zip(xAxis.ticks, xAxis.labels) {
            s += "<line x1=\"\(px(X(t)))\" y1=\"\(px(plotBottom))\" x2=\"\(px(X(t)))\" y2=\"\(px(plotBottom + 5))\" stroke=\"#222222\"/>"
            s += "<text x=\"\(px(X(t)))\" y=\"\(px(plotBottom + 19))\" text-anchor=\"middle\">\(escapeMarkup(label))</text>\n"
        }
        for (t, label) in zip(yAxis.ticks, yAxis.labels) {
            s += "<line x1=\"\(px(plotLeft - 5))\" y1=\"\(px(Y(t)))\" x2=\"\(px(plotLeft))\" y2=\"\(px(Y(t)))\" stroke=\"#222222\"/>"
            s += "<text x=\"\(px(plotLeft - 8))\" y=\"\(px(Y(t) + 4))\" text-anchor=\"end\">\(escapeMarkup(label))</text>\n"
        }
        s += "</g>\n"
        s += "<text x=\"\(px((plotLeft + plotRight) / 2))\" y=\"\(px(height - 18))\" text-anchor=\"middle\" font-size=\"14\">\(escapeMarkup(xLabel))</text>\n"
        s += "<text transform=\"translate(20 \(px((plotTop + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">\(escapeMarkup(yLabel))</text>\n"

        // Series, clipped to the plot area.
        s += "<g clip-path=\"url(#\(id)-clip)\">\n"
        for series in self.series { s += draw(series, X: X, Y: Y, top: plotTop, bottom: plotBottom, right: plotRight) }
        s += "</g>\n"
        s += "<rect x=\"\(px(plotLeft))\" y=\"\(px(plotTop))\" width=\"\(px(plotRight - plotLeft))\" height=\"\(px(plotBottom - plotTop))\" fill=\"none\" stroke=\"#222222\"/>\n"
        s += legendMarkup(plotLeft: plotLeft, plotRight: plotRight, plotTop: plotTop, plotBottom: plotBottom)
        return s + "</svg>\n"
    }

    /// The two axes: fixed ranges where given, else covering the data (histograms from 0 up).
    func axes() -> (Axis, Axis) {
        var xs: [Double] = [], ys: [Double] = []
        var hasBars = false
        for series in series {
            let e = series.extent
            xs += e.x; ys += e.y
            if case .bars = series.shape { hasBars = true }
        }
        if squareAxes {
            let both = Axis(covering: xs + ys)
            let range = xRange ?? yRange
            let axis = range.map { Axis(exactly: $0) } ?? both
            return (axis, axis)
        }
        let x = xRange.map { Axis(exactly: $0) } ?? Axis(covering: xs)
        let y = yRange.map { Axis(exactly: $0) } ?? Axis(covering: ys, includeZero: hasBars)
        return (x, y)
    }

    func draw(_ series: Series, X: (Double) -> Double, Y: (Double) -> Double, top: Double, bottom: Double, right: Double) -> String {
        let color = series.color.hex
        let dash = series.dashed ? " stroke-dasharray=\"7 5\"" : ""
        switch series.shape {
        case let .bars(edges, heights):
            var s = "<g fill=\"\(color)\" fill-opacity=\"0.45\" stroke=\"\(color)\" stroke-width=\"0.8\">\n"
            for (i, h) in heights.enumerated() where h.isFinite && h > 0 {
                let x0 = X(edges[i]), x1 = X(edges[i + 1]), y = Y(h)
                s += "<rect x=\"\(px(x0))\" y=\"\(px(y))\" width=\"\(px(max(x1 - x0, 0.5)))\" height=\"\(px(max(Y(0) - y, 0)))\"/>\n"
            }
            return s + "</g>\n"
        case let .line(xs, ys):
            var s = ""
            var piece: [String] = []
            func flush() {
                if piece.count >= 2 {
                    s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(px(series.lineWidth))\"\(dash) stroke-linejoin=\"round\" points=\"\(piece.joined(separator: " "))\"/>\n"
                }
                piece.removeAll()
            }
            for (x, y) in zip(xs, ys) {
                if x.isFinite && y.isFinite { piece.append("\(px(X(x))),\(px(Y(y)))") } else { flush() }
            }
            flush()
            return s
        case let .points(xs, ys, xError):
            var s = "<g fill=\"\(color)\" stroke=\"\(color)\">\n"
            // Label boxes already placed: a label that would overlap one moves down a line.
            var placed: [(x: Double, y: Double, width: Double)] = []
            for (i, (x, y)) in zip(xs, ys).enumerated() where x.isFinite && y.isFinite {
                if let e = xError?[i], e.isFinite, e > 0 {
                    s += "<line x1=\"\(px(X(x - e)))\" y1=\"\(px(Y(y)))\" x2=\"\(px(X(x + e)))\" y2=\"\(px(Y(y)))\" stroke-width=\"1.2\"/>"
                }
                if let interval = series.yInterval, i < interval.low.count, interval.low[i].isFinite, interval.high[i].isFinite {
                    s += "<line x1=\"\(px(X(x)))\" y1=\"\(px(Y(interval.low[i])))\" x2=\"\(px(X(x)))\" y2=\"\(px(Y(interval.high[i])))\" stroke-width=\"1.2\" stroke-opacity=\"0.7\"/>"
                }
                s += Self.marker(series.marker, x: X(x), y: Y(y)) + "\n"
                if let labels = series.pointLabels, i < labels.count {
                    let width = 5.2 * Double(labels[i].count)
                    var lx = X(x) + 6, ly = Y(y) - 5
                    if lx + width > right { lx = X(x) - 6 - width }  // keep it inside the plot
                    while placed.contains(where: { abs($0.y - ly) < 10 && lx < $0.x + $0.width && $0.x < lx + width }) { ly += 10 }
                    placed.append((lx, ly, width))
                    s += "<text x=\"\(px(lx))\" y=\"\(px(ly))\" font-size=\"9\" stroke=\"none\" fill=\"#333\">\(escapeMarkup(labels[i]))</text>\n"
                }
            }
            return s + "</g>\n"
        case let .verticalRule(x):
            guard x.isFinite else { return "" }
            return "<line x1=\"\(px(X(x)))\" y1=\"\(px(top))\" x2=\"\(px(X(x)))\" y2=\"\(px(bottom))\" stroke=\"\(color)\" stroke-width=\"\(px(series.lineWidth))\"\(dash)/>\n"
        }
    }

    static func marker(_ marker: Series.Marker, x: Double, y: Double, size: Double = 4.5) -> String {
        switch marker {
        case .circle: return "<circle cx=\"\(px(x))\" cy=\"\(px(y))\" r=\"\(px(size))\" fill-opacity=\"0.85\"/>"
        case .square: return "<rect x=\"\(px(x - size))\" y=\"\(px(y - size))\" width=\"\(px(2 * size))\" height=\"\(px(2 * size))\" fill-opacity=\"0.85\"/>"
        case .triangle:
            return "<polygon points=\"\(px(x)),\(px(y - size * 1.2)) \(px(x - size * 1.1)),\(px(y + size * 0.8)) \(px(x + size * 1.1)),\(px(y + size * 0.8))\" fill-opacity=\"0.85\"/>"
        case .diamond:
            return "<polygon points=\"\(px(x)),\(px(y - size * 1.3)) \(px(x + size)),\(px(y)) \(px(x)),\(px(y + size * 1.3)) \(px(x - size)),\(px(y))\" fill-opacity=\"0.85\"/>"
        case .cross:
            return "<path d=\"M\(px(x - size)) \(px(y - size))L\(px(x + size)) \(px(y + size))M\(px(x - size)) \(px(y + size))L\(px(x + size)) \(px(y - size))\" stroke-width=\"2\" fill=\"none\"/>"
        }
    }

    static let legendRow = 19.0, legendSwatch = 26.0

    /// The legend box (text width estimated at 6.9 px per character of 12 px DejaVu Sans).
    func legendSize() -> (width: Double, height: Double) {
        let labels = series.compactMap(\.label)
        guard !labels.isEmpty else { return (0, 0) }
        return (Self.legendSwatch + 16 + labels.map { Double($0.count) * 6.9 }.max()!, Double(labels.count) * Self.legendRow + 10)
    }

    func legendMarkup(plotLeft: Double, plotRight: Double, plotTop: Double, plotBottom: Double) -> String {
        let entries = series.filter { $0.label != nil }
        guard !entries.isEmpty else { return "" }
        let rowHeight = Self.legendRow, swatch = Self.legendSwatch
        let (boxWidth, boxHeight) = legendSize()
        let x0: Double, y0: Double
        switch legend {
        case .topRight: (x0, y0) = (plotRight - boxWidth - 8, plotTop + 8)
        case .topLeft: (x0, y0) = (plotLeft + 8, plotTop + 8)
        case .bottomRight: (x0, y0) = (plotRight - boxWidth - 8, plotBottom - boxHeight - 8)
        case .outsideRight: (x0, y0) = (plotRight + 12, plotTop)
        }
        var s = "<g font-size=\"12\">\n<rect x=\"\(px(x0))\" y=\"\(px(y0))\" width=\"\(px(boxWidth))\" height=\"\(px(boxHeight))\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"/>\n"
        for (i, e) in entries.enumerated() {
            let cy = y0 + 5 + rowHeight * (Double(i) + 0.5), sx = x0 + 8
            let color = e.color.hex
            switch e.shape {
            case .bars:
                s += "<rect x=\"\(px(sx))\" y=\"\(px(cy - 6))\" width=\"\(px(swatch))\" height=\"12\" fill=\"\(color)\" fill-opacity=\"0.45\" stroke=\"\(color)\"/>"
            case .line, .verticalRule:
                let dash = e.dashed ? " stroke-dasharray=\"7 5\"" : ""
                s += "<line x1=\"\(px(sx))\" y1=\"\(px(cy))\" x2=\"\(px(sx + swatch))\" y2=\"\(px(cy))\" stroke=\"\(color)\" stroke-width=\"\(px(e.lineWidth))\"\(dash)/>"
            case .points:
                s += "<g fill=\"\(color)\" stroke=\"\(color)\">" + Self.marker(e.marker, x: sx + swatch / 2, y: cy) + "</g>"
            }
            s += "<text x=\"\(px(sx + swatch + 8))\" y=\"\(px(cy + 4))\">\(escapeMarkup(e.label!))</text>\n"
        }
        return s + "</g>\n"
    }
}
