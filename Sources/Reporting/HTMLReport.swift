/// One self-contained HTML page (inline CSS and SVG; no scripts, fonts or links to fetch):
/// sections of headings, key numbers, tables, warnings and figures.
public struct HTMLReport: Sendable {
    public enum Block: Sendable {
        case paragraph(String)
        /// A two-column table of named values.
        case keyValues([(String, String)])
        case table(header: [String], rows: [[String]])
        /// Shown in a highlighted box: a bad fit or a failed identity must not be missed.
        case warning(String)
        case figure(Figure, caption: String)
        /// An SVG drawn elsewhere (a file another command wrote), inlined as is.
        case rawFigure(String, caption: String)
    }

    public struct Section: Sendable {
        public var heading: String
        public var blocks: [Block]
        public init(heading: String, blocks: [Block]) { self.heading = heading; self.blocks = blocks }
    }

    public var title: String
    public var introduction: String?
    public var sections: [Section]
    /// Provenance lines, written as `<meta>` tags and as a final "Provenance" section.
    public var provenance: [String] = []

    public init(title: String, introduction: String? = nil, sections: [Section]) {
        self.title = title; self.introduction = introduction; self.sections = sections
    }

    public func html() -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeMarkup(title))</title>
        \(provenance.enumerated().map { "<meta name=\"spectralkd-provenance-\($0.offset)\" content=\"\(escapeMarkup($0.element))\">" }.joined(separator: "\n"))
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
        h1 { font-size: 1.6rem; border-bottom: 2px solid #0072B2; padding-bottom: .3rem; }
        h2 { font-size: 1.25rem; margin-top: 2.2rem; }
        table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
        th, td { border: 1px solid #cfcfcf; padding: .25rem .6rem; text-align: left; }
        th { background: #f0f4f8; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .warning { background: #fff4e5; border-left: 5px solid #D55E00; padding: .5rem .8rem; margin: .8rem 0; }
        figure { margin: 1rem 0; }
        figure svg { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
        figcaption { font-size: .9rem; color: #444; }
        </style>
        </head>
        <body>
        <h1>\(escapeMarkup(title))</h1>

        """
        if let introduction { s += "<p>\(escapeMarkup(introduction))</p>\n" }
        var figureIndex = 0
        for section in sections {
            s += "<section>\n<h2>\(escapeMarkup(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case let .paragraph(text): s += "<p>\(escapeMarkup(text))</p>\n"
                case let .warning(text): s += "<div class=\"warning\" role=\"alert\">\(escapeMarkup(text))</div>\n"
                case let .keyValues(pairs):
                    s += "<table>\n"
                    for (k, v) in pairs { s += "<tr><th scope=\"row\">\(escapeMarkup(k))</th><td class=\"num\">\(escapeMarkup(v))</td></tr>\n" }
                    s += "</table>\n"
                case let .table(header, rows):
                    s += "<table>\n<tr>" + header.map { "<th>\(escapeMarkup($0))</th>" }.joined() + "</tr>\n"
                    for row in rows {
                        s += "<tr>" + row.enumerated().map { i, cell in
                            i == 0 ? "<td>\(escapeMarkup(cell))</td>" : "<td class=\"num\">\(escapeMarkup(cell))</td>"
                        }.joined() + "</tr>\n"
                    }
                    s += "</table>\n"
                case let .figure(figure, caption):
                    figureIndex += 1
                    s += "<figure>\n" + figure.svg(id: "figure\(figureIndex)")
                    s += "<figcaption>Figure \(figureIndex). \(escapeMarkup(caption))</figcaption>\n</figure>\n"
                case let .rawFigure(svg, caption):
                    figureIndex += 1
                    s += "<figure>\n" + svg.replacingOccurrences(of: "-clip", with: "-clip-figure\(figureIndex)")
                    s += "<figcaption>Figure \(figureIndex). \(escapeMarkup(caption))</figcaption>\n</figure>\n"
                }
            }
            s += "</section>\n"
        }
        if !provenance.isEmpty {
            s += "<section>\n<h2>Provenance</h2>\n<ul>\n" + provenance.map { "<li>\(escapeMarkup($0))</li>\n" }.joined() + "</ul>\n</section>\n"
        }
        return s + "</body>\n</html>\n"
    }
}
