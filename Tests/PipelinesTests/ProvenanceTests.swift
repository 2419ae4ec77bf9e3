import ArrayIO
import Foundation
import Pipelines
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
