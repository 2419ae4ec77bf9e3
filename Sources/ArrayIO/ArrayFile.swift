import Foundation

/// Opens an array file by its extension, the one entry point the pipelines use.
///
/// * `x.npy`: streamed with `pread`, never loaded whole.
/// * `x.npz` (the only member) or `x.npz:key`: a stored member streamed like `.npy`, a deflated
///   one inflated into memory.
/// * `x.safetensors` (the only tensor) or `x.safetensors:NAME`: streamed like `.npy`.
/// * `x.csv` / `x.txt`: parsed whole; a header line is skipped (see `CSVTable`).
public enum ArrayFile {
    /// - Throws: `ArrayIOError` for a missing file, an unknown extension or any defect of the file.
    public static func open(_ spec: String, csv: CSVOptions = .auto) throws -> RowSource {
        let (path, member) = split(spec)
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") {
            return try NPYArray(path: path)
        } else if lower.hasSuffix(".npz") {
            return try NPZArchive(path: path).array(named: member)
        } else if lower.hasSuffix(".safetensors") {
            return try SafetensorsArray(path: path, tensor: member)
        } else if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") {
            return try CSVTable.read(path: path, options: csv).asRowSource(name: path)
        }
        throw ArrayIOError.unsupported(file: spec, detail: "unknown file type",
                                       fix: "use .npy, .npz (optionally .npz:KEY), .safetensors (optionally :NAME) or .csv")
    }

    /// Splits `archive.npz:key` (or `file.safetensors:name`) into path and member; other specs
    /// have no member.
    static func split(_ spec: String) -> (path: String, member: String?) {
        if let range = spec.range(of: ".safetensors:", options: [.caseInsensitive, .backwards]) {
            let path = String(spec[..<range.lowerBound]) + String(spec[range.lowerBound...].prefix(12))
            let member = String(spec[range.upperBound...])
            return (path, member.isEmpty ? nil : member)
        }
        if let range = spec.range(of: ".npz:", options: [.caseInsensitive, .backwards]) {
            let path = String(spec[..<range.lowerBound]) + String(spec[range.lowerBound...].prefix(4))
            let member = String(spec[range.upperBound...])
            return (path, member.isEmpty ? nil : member)
        }
        return (spec, nil)
    }
}
