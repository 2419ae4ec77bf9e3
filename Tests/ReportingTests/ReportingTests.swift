import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reporting
import Testing

/// Parses markup as XML; returns the element names in document order (nil when not well formed).
func elements(_ markup: String) -> [String]? {
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) { names.append(name) }
    }
    let parser = XMLParser(data: Data(markup.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.names : nil
}

@Suite struct AxisTests {
    @Test(arguments: [(0.0, 1.0), (-3.2, 7.9), (0.00012, 0.0073), (1234.0, 98765.0), (-1e-7, 4e-6), (0.3, 0.3000001)])
    func ticksAreNiceAndCoverTheData(range: (Double, Double)) {
        let axis = Axis(covering: [range.0, range.1])
        #expect(axis.lower <= range.0 && axis.upper >= range.1)
        #expect(axis.ticks.count >= 2 && axis.ticks.count <= 12)
        let steps = zip(axis.ticks.dropFirst(), axis.ticks).map { $0 - $1 }
        let step = steps[0]
        #expect(steps.allSatisfy { abs($0 - step) <= 1e-6 * step })  // ticks near 0.3 apart by 2.5e-8 differ by ulps of 0.3
        // step = m 10^k with m in {1, 2, 2.5, 5}
        let mantissa = step / pow(10, floor(log10(step)))
        #expect([1, 2, 2.5, 5, 10].contains { abs($0 - mantissa) < 1e-6 })
        // Labels are distinct, so no two ticks read the same.
        #expect(Set(axis.labels).count == axis.labels.count, "\(axis.labels)")
    }

    @Test func labelsShareDecimalsAndGoScientificWhenSmall() {
        #expect(Axis(covering: [0, 1]).labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(Axis(covering: [0, 10]).labels == ["0", "2", "4", "6", "8", "10"])
        let small = Axis(covering: [0, 0.00049])
        #expect(small.labels.first == "0" && small.labels.dropFirst().allSatisfy { $0.hasSuffix("e-4") }, "\(small.labels)")
        let quarter = Axis(covering: [0, 1.25], target: 6)
        #expect(quarter.labels.contains("0.25") || quarter.labels.contains("0.2"), "\(quarter.labels)")
    }

    @Test func exactRangeKeepsItsEnds() {
        let axis = Axis(exactly: 0.13...0.87)
        #expect(axis.lower == 0.13 && axis.upper == 0.87)
        #expect(axis.ticks.allSatisfy { $0 >= 0.13 && $0 <= 0.87 })
    }
}

@Suite struct SVGTests {
    func figure() -> Figure {
        Figure(title: "A <title> & more", subtitle: "fit NOT adequate", xLabel: "eigenvalue", yLabel: "density", series: [
            Series(.bars(edges: [0, 1, 2, 3], heights: [0.2, 0.5, 0.3]), label: "histogram", color: .skyBlue),
            Series(.line(x: [0, 1, 2, 3, 4], y: [0, 1, .nan, 1, 0]), label: "law", color: .blue),
            Series(.points(x: [1, 2], y: [1.5, .infinity], xError: [0.1, 0.1]), label: "runs", color: .vermillion, marker: .triangle),
            Series(.verticalRule(x: 2.5), label: nil, color: .gray, dashed: true),
        ])
    }

    @Test func isWellFormedWithTitleLabelsAndLegend() throws {
        let svg = figure().svg()
        let names = try #require(elements(svg))
        #expect(names.first == "svg")
        #expect(svg.contains("width=\"800\" height=\"500\""))
        #expect(svg.contains("A &lt;title&gt; &amp; more") && svg.contains("fit NOT adequate"))
        #expect(svg.contains(">eigenvalue<") && svg.contains(">density<"))
        // Legend: the three labelled series, not the unlabelled rule.
        #expect(svg.contains(">histogram<") && svg.contains(">law<") && svg.contains(">runs<"))
        #expect(names.filter { $0 == "rect" }.count >= 3 + 1 + 1)  // bars, frame, legend box
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func nonFiniteValuesBreakLinesAndDropPoints() throws {
        let svg = figure().svg()
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)  // the line split at the NaN
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 1 + 1)  // one finite triangle + its legend marker
    }

    @Test func clipIdsDifferPerFigure() {
        #expect(figure().svg(id: "a").contains("id=\"a-clip\"") && figure().svg(id: "b").contains("url(#b-clip)"))
    }

    @Test func dataAreMappedIntoThePlotArea() {
        // A single point in the middle of a fixed range lands in the middle of the plot area.
        var f = Figure(title: "t", xLabel: "x", yLabel: "y", series: [Series(.points(x: [5], y: [5], xError: nil), label: nil, color: .blue)])
        f.xRange = 0...10
        f.yRange = 0...10
        let svg = f.svg()
        // plot area x: 86...776, y: 52...436 -> centre (431, 244)
        #expect(svg.contains("<circle cx=\"431\" cy=\"244\""), "\(svg)")
    }
}

@Suite struct HTMLReportTests {
    @Test func selfContainedWithWarningsTablesAndFigures() throws {
        let figure = Figure(title: "f", xLabel: "x", yLabel: "y", series: [Series(.line(x: [0, 1], y: [0, 1]), label: "l", color: .blue)])
        let report = HTMLReport(title: "R & D", introduction: "intro", sections: [
            .init(heading: "Numbers", blocks: [.keyValues([("q", "0.01")]), .table(header: ["a", "b"], rows: [["x", "1"]]),
                                               .warning("fit NOT adequate"), .figure(figure, caption: "c1"), .figure(figure, caption: "c2")]),
        ])
        let html = report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>R &amp; D</title>"))
        #expect(html.contains("class=\"warning\"") && html.contains("fit NOT adequate"))
        #expect(html.contains("id=\"figure1-clip\"") && html.contains("id=\"figure2-clip\""))
        #expect(html.contains("Figure 2. c2"))
        // Nothing to fetch: no scripts, no external links or images.
        for forbidden in ["<script", "src=", "href=\"http", "@import", "url(http"] { #expect(!html.contains(forbidden), "\(forbidden)") }
        // The body is well-formed markup once the doctype is dropped.
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
            .replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
            .replacingOccurrences(of: "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", with: "")
        #expect(elements(body) != nil)
    }
}
