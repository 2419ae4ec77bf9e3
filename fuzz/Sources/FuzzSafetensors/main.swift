import ArrayIO
import FuzzSupport

/// `.safetensors` header and body: parse the header (length, JSON, dtype, shape, offsets), then
/// read every row of the first tensor the way the pipelines do, and the integer-vector path.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    expectCleanOutcome(file: "fuzz.safetensors") {
        let source = MemoryByteSource(name: "fuzz.safetensors", bytes: bytes)
        let array: SafetensorsArray
        do { array = try SafetensorsArray(source: source, tensor: nil) } catch let error as ArrayIOError {
            // Several tensors: read the one the error does not name, as a user would next.
            guard "\(error)".contains("holds") else { throw error }
            array = try SafetensorsArray(source: source, tensor: "labels")
        }
        try drain(array)
        if array.columns == 1 { _ = try? array.readIntegerVector() }
    }
    return 0
}
