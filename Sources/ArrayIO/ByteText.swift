/// A growing UTF-8 byte buffer that the writers fill, numbers included, without making a
/// `String` per value.
///
/// Doubles are written in Swift's shortest round-trip form, the same text as `"\(d)"` (so
/// `float(text)` in Python, `pandas.read_csv` and `Double(text)` give back the same bits), by the
/// standard library's own formatter: `Double.write(to:)` hands its stack buffer to this stream's
/// `_writeASCII`, so the digits are copied straight into `bytes`. Going through `"\(d)"` made a
/// string and an interpolation per value: 2e6 doubles took 0.25-0.5 s, this 0.11-0.16 s on
/// one core (`density --points 1000000`, `SPECTRALKD_TIMINGS=1`; README "bench/density"). Should a later standard library stop
/// calling `_writeASCII`, `write(_:)` receives the same text as a `String`: slower, same bytes.
public struct ByteText: TextOutputStream {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// The standard library's fast path for ASCII text (its number formatters use it).
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    @inline(__always) public mutating func append(byte: UInt8) { bytes.append(byte) }

    public mutating func append(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// The shortest decimal that reads back as `value` (`nan`, `inf`, `-inf` for the others).
    @inline(__always) public mutating func append(_ value: Double) { value.write(to: &self) }

    /// A decimal integer (few per file: the JSON counts, so `String(value)` is fast enough).
    public mutating func append(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Whether the bytes from `start` on hold a `.`, an exponent or a NaN/inf letter: a double
    /// written without one (never by Swift's formatter today) would read back as an integer.
    func looksFractional(from start: Int) -> Bool {
        bytes[start...].contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "n") }
    }

    var count: Int { bytes.count }
}
