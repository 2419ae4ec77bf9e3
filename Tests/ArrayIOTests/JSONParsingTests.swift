import ArrayIO
import Foundation
import Testing

@Suite struct JSONParsingTests {
    /// What `rendered()` writes, `parse` reads back unchanged (keys in order, doubles bit for bit).
    @Test func roundTripsRenderedValues() throws {
        var doubles: [JSONValue] = []
        var state: UInt64 = 7
        for _ in 0..<200 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let d = Double(bitPattern: (state >> 2) | 0x3000_0000_0000_0000) * (state & 1 == 0 ? 1 : -1)
            if d.isFinite { doubles.append(.double(d)) }
        }
        let value = JSONValue.object([
            ("z", .int(-3)), ("a", .array(doubles)), ("text", .string("quote \" backslash \\ newline \n tab \t é ✓ \u{01}")),
            ("nested", .object([("t", .bool(true)), ("f", .bool(false)), ("n", .null), ("e", .array([]))])), ("tiny", .double(5e-324)),
        ])
        for pretty in [true, false] {
            let parsed = try JSONValue.parse(Array(value.rendered(pretty: pretty).utf8), file: "x.json")
            #expect(parsed == value)
        }
    }

    @Test func readsWhatOthersWrite() throws {
        let text = #"{"k": [1, 2.5, -0.0, 1E3, "\u00e9\ud83d\ude00"], "s": "\/"}"#
        let v = try JSONValue.parse(Array(text.utf8), file: "x.json")
        #expect(v["k"]?.array?.compactMap(\.number) == [1, 2.5, -0.0, 1000])
        #expect(v["k"]?.array?.last?.string == "é😀")
        #expect(v["s"]?.string == "/")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "\"open", "01x", "1 2", "{\"a\":NaN}", "[1e999]",
                      "\"\\x\"", "\"\u{01}\"", "-", "+1",
                      // RFC 8259's number grammar: no leading zeros, digits on both sides of '.', digits after 'e'.
                      "01", "[00]", "-01", ".5", "[-.5]", "1.", "[1.e3]", "1e", "[1e+]", "{\"q\": 1e}", "1.5.2", "[12abc]", "0x10", "[-]", String(repeating: "[", count: 300) + String(repeating: "]", count: 300)])
    func malformedIsOneLineNamingTheFile(text: String) {
        #expect {
            _ = try JSONValue.parse(Array(text.utf8), file: "bad.json")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("bad.json: ") && message.contains("not valid JSON") && !message.contains("\n")
        }
    }

    /// What the grammar allows is still read, exactly.
    @Test(arguments: [("0", 0.0), ("-0", -0.0), ("10", 10), ("0.5", 0.5), ("-0.5", -0.5), ("1e3", 1000), ("1E-2", 0.01), ("2.5e+1", 25),
                      ("123456789012", 123456789012)])
    func validNumbersAreRead(text: String, value: Double) throws {
        #expect(try JSONValue.parse(Array(("[" + text + "]").utf8), file: "x.json").array?.first?.number == value)
        #expect(try JSONValue.parse(Array(text.utf8), file: "x.json").number == value)
    }

    @Test func missingFile() {
        #expect { _ = try JSONValue.read(path: "/nonexistent/fit.json") } throws: { "\($0)".contains("/nonexistent/fit.json") }
    }
}
