import ArrayIO
import FuzzSupport

/// JSON (summaries and fits that users may edit by hand): parse, and what parses must
/// re-render and parse back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    expectCleanOutcome(file: "fuzz.json") {
        let value = try JSONValue.parse(bytes, file: "fuzz.json")
        let again = try JSONValue.parse(Array(value.rendered().utf8), file: "fuzz.json")
        if again != value { fatalError("JSON does not round-trip") }
    }
    return 0
}
