import Foundation

/// The files of one logical input split into shards: `--labels 'y_*.npy' --logits 'z_*.npy'`.
///
/// A specification is one path (one shard), a comma-separated list (shards in the order given)
/// or a glob (`*`, `?`, `[...]`, quoted so that the shell passes it through), whose matches are
/// taken in natural order (`z_2` before `z_10`). `.npz`/`.safetensors` members keep their key:
/// `'runs/*.npz:logits'`.
///
/// Shard `i` of the labels pairs with shard `i` of the outputs, so pairing is checked, never
/// assumed: the lists must have the same length, and where there are several shards the part of
/// each name that varies (what the wildcard matched, e.g. `3` in `y_3.npy` and `z_3.npy`) must be
/// the same in every list. A file listed twice is refused (its rows would count twice).
public struct ShardList: Sendable, Equatable {
    /// One shard: the labels, the student's outputs and the teacher's, row-aligned.
    public struct Shard: Sendable, Equatable, Codable {
        public let labels: String
        public let student: String
        public let teacher: String?
    }

    public let shards: [Shard]

    /// Whether a specification names more than one file pattern (a list or a glob).
    public static func isSharded(_ specification: String) -> Bool {
        if FileManager.default.fileExists(atPath: specification) { return false }
        return specification.contains(",") || specification.contains(where: { "*?[".contains($0) })
    }

    /// Expands and pairs the three specifications.
    /// - Throws: `PipelineError` naming the specification when a pattern matches nothing, a file
    ///   is listed twice, the lists differ in length or two paired names differ in their shard part.
    public init(labels: String, student: String, teacher: String?) throws {
        let labelFiles = try Self.expand(labels, role: "--labels")
        let studentFiles = try Self.expand(student, role: "the student's outputs")
        let teacherFiles = try teacher.map { try Self.expand($0, role: "the teacher's outputs") }
        for (files, spec) in [(labelFiles, labels), (studentFiles, student)] + (teacherFiles.map { [($0, teacher!)] } ?? []) {
            guard files.count == labelFiles.count else {
                throw PipelineError(file: spec, problem: "names \(files.count) shard(s) but \(labels) names \(labelFiles.count)",
                                    fix: "give one labels shard per outputs shard, in the same order")
            }
        }
        if labelFiles.count > 1 {
            let lists = [labelFiles, studentFiles] + (teacherFiles.map { [$0] } ?? [])
            let stems = lists.map(Self.varyingParts)
            for i in labelFiles.indices {
                for l in 1..<lists.count where stems[l][i] != stems[0][i] {
                    throw PipelineError(file: lists[l][i],
                                        problem: "pairs with labels shard \(labelFiles[i]), but their names differ in the shard part ('\(stems[l][i])' vs '\(stems[0][i])')",
                                        fix: "name the shards alike (y_3.npy with z_3.npy) or list them in matching order")
                }
            }
        }
        shards = labelFiles.indices.map { Shard(labels: labelFiles[$0], student: studentFiles[$0], teacher: teacherFiles?[$0]) }
    }

    /// The files a specification names, in shard order.
    static func expand(_ specification: String, role: String) throws -> [String] {
        guard isSharded(specification) else { return [specification] }
        var files: [String] = []
        for item in specification.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw PipelineError(file: specification, problem: "has an empty entry in its comma-separated list", fix: "remove the extra comma")
            }
            let (path, member) = splitMember(trimmed)
            guard path.contains(where: { "*?[".contains($0) }) else { files.append(trimmed); continue }
            let matches = glob(path).sorted(by: naturalOrder)
            guard !matches.isEmpty else {
                throw PipelineError(file: trimmed, problem: "no file matches this pattern (\(role))",
                                    fix: "check the folder and the pattern; quote it so that the shell passes it to spectralkd")
            }
            files += matches.map { path in member.map { "\(path):\($0)" } ?? path }
        }
        var seen = Set<String>()
        for f in files where !seen.insert(f).inserted {
            throw PipelineError(file: f, problem: "is listed twice in \(specification)", fix: "list each shard once (its rows would count twice)")
        }
        return files
    }

    /// `runs/a.npz:logits` -> (`runs/a.npz`, `logits`); other paths have no member.
    static func splitMember(_ item: String) -> (path: String, member: String?) {
        for ext in [".npz:", ".safetensors:"] {
            if let r = item.range(of: ext, options: .backwards) {
                return (String(item[..<r.lowerBound]) + ext.dropLast(), String(item[r.upperBound...]))
            }
        }
        return (item, nil)
    }

    /// POSIX `glob(3)`: the paths matching `pattern` (unsorted).
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }

    /// Natural order: runs of digits compare as numbers, so `z_2` sorts before `z_10`.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var i2 = i, j2 = j
                while i2 < x.count && isDigit(x[i2]) { i2 += 1 }
                while j2 < y.count && isDigit(y[j2]) { j2 += 1 }
                // Compare digit runs by value: strip leading zeros, then length, then digits.
                let u = x[i..<i2].drop { $0 == 48 }, v = y[j..<j2].drop { $0 == 48 }
                if u.count != v.count { return u.count < v.count }
                if !u.elementsEqual(v) { return u.lexicographicallyPrecedes(v) }
                if i2 - i != j2 - j { return i2 - i < j2 - j }
                i = i2; j = j2
            } else {
                if x[i] != y[j] { return x[i] < y[j] }
                i += 1; j += 1
            }
        }
        return x.count - i < y.count - j
    }

    /// What varies across a list of names: each name without the list's common prefix and suffix.
    static func varyingParts(_ names: [String]) -> [String] {
        let bytes = names.map { Array($0.utf8) }
        guard let shortest = bytes.map(\.count).min() else { return [] }
        var prefix = 0
        while prefix < shortest, bytes.allSatisfy({ $0[prefix] == bytes[0][prefix] }) { prefix += 1 }
        var suffix = 0
        while suffix < shortest - prefix, bytes.allSatisfy({ $0[$0.count - 1 - suffix] == bytes[0][bytes[0].count - 1 - suffix] }) { suffix += 1 }
        return bytes.map { String(decoding: $0[prefix ..< $0.count - suffix], as: UTF8.self) }
    }
}
