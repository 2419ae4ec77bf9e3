import ArrayIO
import Foundation
import PropertyBased
import Testing

/// The byte writer behind every CSV and JSON file: it must write exactly the text Swift's
/// `description` gives (shortest round trip), whatever the value, and CSVs formatted in parallel
/// chunks must be the bytes of one sequential pass.
@Suite struct ByteTextTests {
    /// Doubles by bit pattern (subnormals, -0, huge and tiny exponents, NaN payloads, infinities):
    /// the bytes are `"\(d)"`, and a finite one parses back to the same bits.
    @Test func doublesAreTheShortestRoundTripText() async {
        await propertyCheck(count: 20000, input: Gen.uint64().map { Double(bitPattern: $0) }) { d in
            var text = ByteText()
            text.append(d)
            let written = String(decoding: text.bytes, as: UTF8.self)
            #expect(written == "\(d)")
            if d.isFinite { #expect(Double(written)?.bitPattern == d.bitPattern, "\(written) is not \(d.bitPattern)") }
        }
    }

    /// Values where the layout changes (decimal or exponent, leading zeros, integers) and the edges.
    @Test func layoutEdges() {
        let values: [Double] = [0, -0.0, 1, -1, 0.1, 1e-4, 9.999e-5, 1e-5, 1e15, 1e16, 9007199254740992, 18014398509481984,
                                123456789.125, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                -.greatestFiniteMagnitude, .ulpOfOne, Double(bitPattern: 1), Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), .pi, 1 / 3]
        for d in values {
            var text = ByteText()
            text.append(d)
            #expect(String(decoding: text.bytes, as: UTF8.self) == "\(d)")
        }
    }

    /// Integers over the whole range, both signs and the extremes.
    @Test func integersAreDecimal() async {
        for i in [0, 1, -1, 9, 10, -10, Int.max, Int.min, Int.min + 1] {
            var text = ByteText()
            text.append(i)
            #expect(String(decoding: text.bytes, as: UTF8.self) == String(i))
        }
        await propertyCheck(count: 2000, input: Gen.int(in: Int.min...Int.max)) { i in
            var text = ByteText()
            text.append(i)
            #expect(String(decoding: text.bytes, as: UTF8.self) == String(i))
        }
    }

    /// A table longer than one parallel chunk, with text columns and non-finite values, is the
    /// same bytes as a plain line-by-line rendering.
    @Test func chunkedCSVIsOneSequentialPass() {
        let rows = 3 * (1 << 16) + 17
        var rng = SystemRandomNumberGenerator()
        let a = (0..<rows).map { r -> Double in r % 1000 == 7 ? .infinity : r % 1001 == 3 ? .nan : Double(bitPattern: rng.next() >> 2) }
        let b = (0..<rows).map { _ in Double.random(in: -1...1, using: &rng) }
        let labels = (0..<rows).map { $0 % 5 == 0 ? "a,\($0)" : "c\($0)" }
        let bytes = Writers.csv(header: ["label", "a", "b"], text: labels, columns: [a, b])
        var expected = "label,a,b\n"
        for r in 0..<rows {
            let label = labels[r].contains(",") ? "\"\(labels[r])\"" : labels[r]
            func cell(_ v: Double) -> String { v.isNaN ? "" : v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)" }
            expected += "\(label),\(cell(a[r])),\(cell(b[r]))\n"
        }
        #expect(bytes == Array(expected.utf8))
    }
}
