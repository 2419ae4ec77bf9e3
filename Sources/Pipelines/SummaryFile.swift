import Foundation

/// Reads top-level numbers from a summary.json that SpectralKD wrote, exactly: the text of the
/// number is parsed with `Double(_:)`, which round-trips the shortest representation we write
/// (Foundation's JSONSerialization on Linux does not always give back the same bits).
struct SummaryFile {
    let text: String

    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        text = String(decoding: data, as: UTF8.self)
    }

    func number(_ key: String) -> Double? {
        guard let range = text.range(of: "\"\(key)\":") else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        let token = rest.prefix { "0123456789+-.eE".contains($0) }
        return Double(token)
    }
}
