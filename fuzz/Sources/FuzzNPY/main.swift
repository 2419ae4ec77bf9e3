import ArrayIO
import FuzzSupport

/// `.npy` header and body: parse the header, then read every row through the same path the
/// pipelines use, and the integer-vector path used for labels.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    expectCleanOutcome(file: "fuzz.npy") {
        let array = try NPYArray(source: MemoryByteSource(name: "fuzz.npy", bytes: bytes))
        try drain(array)
        if array.columns == 1 { _ = try? array.readIntegerVector() }
    }
    return 0
}
