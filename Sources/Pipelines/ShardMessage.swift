import Foundation
import Spectra

/// The bytes ranks exchange in a sharded `spectrum` run: rank 0's plan (the segments) to every
/// rank, then one message per segment from its rank to rank 0: the segment's sums, its error line,
/// or "skipped" after an earlier error on that rank (so both sides stay in step).
///
/// Layout: an 8-byte little-endian header length, a JSON header (`Header`, typed), then the
/// packed sums as little-endian float64 bit patterns, so every value arrives bit for bit.
enum ShardMessage {
    static let planTag = 1
    static let sumsTag = 2

    /// A failure carried as its one line.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Header: Codable {
        enum Status: String, Codable { case plan, planFailed, sums, failed, skipped }
        var status: Status
        var error: String? = nil
        var segments: [SpectrumJob.Segment]? = nil
        var warnings: [String]? = nil
        var inputs: [Provenance.Input]? = nil
        /// The softmax precisions the segment used (`single`, `double`).
        var softmaxPrecisions: [String]? = nil
        /// Lengths of the packed arrays after the header: the accumulator, then each soft trace.
        var counts: [Int]? = nil
    }

    static func plan(_ outcome: Result<[SpectrumJob.Segment], Failure>) -> [UInt8] {
        switch outcome {
        case let .success(segments): return encode(Header(status: .plan, segments: segments))
        case let .failure(failure): return encode(Header(status: .planFailed, error: failure.description))
        }
    }

    /// The segments, or nil when rank 0 could not plan (it reports why).
    static func decodePlan(_ bytes: [UInt8]) throws -> [SpectrumJob.Segment]? {
        let (header, _) = try decode(bytes)
        switch header.status {
        case .plan: return header.segments ?? []
        case .planFailed: return nil
        default: throw PipelineError("internal: expected a plan from rank 0, got \(header.status.rawValue)")
        }
    }

    static func sums(_ sums: SpectrumJob.SegmentSums) -> [UInt8] {
        let arrays = [sums.accumulator.packed] + sums.softTraces.map(\.packed)
        return encode(Header(status: .sums, warnings: sums.warnings, inputs: sums.inputs,
                             softmaxPrecisions: sums.softmaxPrecisions.map(\.rawValue).sorted(), counts: arrays.map(\.count)),
                      values: arrays.flatMap { $0 })
    }

    static func failure(_ line: String) -> [UInt8] { encode(Header(status: .failed, error: line)) }

    static func skipped() -> [UInt8] { encode(Header(status: .skipped)) }

    /// A segment's sums; nil when skipped.
    /// - Throws: the sending rank's error line as a `PipelineError`.
    static func decodeSums(_ bytes: [UInt8], gammas: [Double], temperature: Double, logits: Bool) throws -> SpectrumJob.SegmentSums? {
        let (header, values) = try decode(bytes)
        switch header.status {
        case .skipped: return nil
        case .failed: throw PipelineError(header.error ?? "another rank failed without a reason")
        case .sums: break
        default: throw PipelineError("internal: expected a segment's sums, got \(header.status.rawValue)")
        }
        let counts = header.counts ?? []
        guard counts.count == 1 + gammas.count, counts.reduce(0, +) == values.count else {
            throw PipelineError("internal: a segment's sums have \(values.count) values in \(counts.count) arrays")
        }
        var offset = counts[0]
        let accumulator = try CrossCovarianceAccumulator(packed: Array(values[0 ..< offset]))
        var softTraces: [SoftTraceAccumulator] = []
        for (k, gamma) in gammas.enumerated() {
            let template = SoftTraceAccumulator(classes: accumulator.classes, temperature: gamma * temperature, logits: logits)
            softTraces.append(try template.unpacked(Array(values[offset ..< offset + counts[k + 1]])))
            offset += counts[k + 1]
        }
        return SpectrumJob.SegmentSums(accumulator: accumulator, softTraces: softTraces, warnings: header.warnings ?? [],
                                       inputs: header.inputs ?? [],
                                       softmaxPrecisions: Set((header.softmaxPrecisions ?? []).compactMap(SpectrumJob.SoftmaxPrecision.init(rawValue:))))
    }

    static func encode(_ header: Header, values: [Double] = []) -> [UInt8] {
        let json = Array(try! JSONEncoder().encode(header))  // plain strings and numbers: cannot fail
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + 8 * values.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out += $0 }
        out += json
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    static func decode(_ bytes: [UInt8]) throws -> (Header, [Double]) {
        guard bytes.count >= 8 else { throw PipelineError("internal: a message between ranks is \(bytes.count) bytes") }
        let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        guard length <= bytes.count - 8, (bytes.count - 8 - length) % 8 == 0 else {
            throw PipelineError("internal: a message between ranks has a bad length")
        }
        let header = try JSONDecoder().decode(Header.self, from: Data(bytes[8 ..< 8 + length]))
        let count = (bytes.count - 8 - length) / 8
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 + length + 8 * i, as: UInt64.self)))
            }
        }
        return (header, values)
    }
}
