import ArrayIO
import Foundation
@testable import Pipelines
import Testing
import _TestSupport

@Suite struct ProvenanceTests {
    /// Files hashed in parallel come back in input order, each once, with their sizes and the
    /// SHA-256 that `sha256sum` prints; the first unreadable one in order is the error.
    @Test func recordsKeepOrderAndNameTheFirstBadFile() throws {
        let folder = makeTemporaryFolder("provenance")
        let names = (0..<7).map { folder + "/f\($0).bin" }
        for (i, name) in names.enumerated() { writeFile(name, Array(repeating: UInt8(i), count: 1000 * (i + 1))) }
        writeFile(folder + "/abc.txt", Array("abc".utf8))
        let records = try Provenance.records(for: names + [names[2], folder + "/abc.txt"])
        #expect(records.map(\.path) == names + [folder + "/abc.txt"])
        #expect(records.map(\.bytes) == (1...7).map { $0 * 1000 } + [3])
        #expect(records.last?.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")  // FIPS 180-2 "abc"
        #expect { try Provenance.records(for: [names[0], folder + "/missing-1", folder + "/missing-2"]) } throws: {
            "\($0)".contains("missing-1") && !"\($0)".contains("missing-2")
        }
    }
}

/// Digests of large files remembered by identity: found again for the same file, never for a
/// changed one, not stored for a file written too recently, not kept for small files.
@Suite struct DigestCacheTests {
    static func status(_ path: String) -> stat {
        var info = stat()
        precondition(stat(path, &info) == 0)
        return info
    }

    @Test func remembersOnlyUnchangedLargeFiles() throws {
        let folder = makeTemporaryFolder("digest-cache")
        let cache = folder + "/cache"
        let large = folder + "/large.bin", small = folder + "/small.bin"
        writeFile(large, [UInt8](repeating: 7, count: DigestCache.minimumBytes))
        writeFile(small, [UInt8](repeating: 7, count: 1000))
        let before = Self.status(large)
        #expect(DigestCache.lookup(before, in: cache) == nil)
        let digest = String(repeating: "ab", count: 32)
        // Written just now: racy, not stored.
        DigestCache.store(digest, before: before, after: before, started: before.st_ctim.tv_sec, in: cache)
        #expect(DigestCache.lookup(before, in: cache) == nil)
        // Hashed long enough after its last change: stored and found.
        DigestCache.store(digest, before: before, after: before, started: before.st_ctim.tv_sec + 10, in: cache)
        #expect(DigestCache.lookup(before, in: cache) == digest)
        // Changed during the hash: not stored.
        var moved = before
        moved.st_mtim.tv_nsec += 1
        DigestCache.store(digest, before: before, after: moved, started: before.st_ctim.tv_sec + 10, in: cache + "2")
        #expect(DigestCache.lookup(before, in: cache + "2") == nil)
        // Rewritten: a new identity, not found.
        let handle = FileHandle(forWritingAtPath: large)!
        handle.write(Data([1]))
        try handle.close()
        #expect(DigestCache.lookup(Self.status(large), in: cache) == nil)
        #expect(DigestCache.key(Self.status(small)) == nil)
        // The full digest of the rewritten file is computed, not taken from the stale entry.
        #expect(try Provenance.digest(large).sha256 != digest)
    }
}
