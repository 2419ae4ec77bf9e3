import ArrayIO
import Foundation
import Testing

/// `.npz` containers as numpy and Python's zipfile write them, and every damage a byte can do.
@Suite struct NPZArchiveTests {
    func bytes(_ name: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture(name)))) }

    @Test(arguments: ["stored.npz", "deflated.npz", "streamed.npz", "zip64.npz"])
    func readsEveryLayoutNumpyAndZipfileWrite(name: String) throws {
        let archive = try NPZArchive(path: fixture(name))
        #expect(archive.keys.first == "base")
        #expect(try archive.array(named: "base").readAll() == base)
    }

    @Test func dataDescriptorsAndUTF8Names() throws {
        // streamed.npz was written to an unseekable stream: sizes follow each member (flag bit 3).
        let archive = try NPZArchive(path: fixture("streamed.npz"))
        #expect(archive.keys == ["base", "labels_é"])
        #expect(try ArrayFile.open(fixture("streamed.npz") + ":labels_é").readAll() == [0, 1, 2])
    }

    @Test func zip64DirectoryMatchesTheClassicOne() throws {
        let classic = try NPZArchive(path: fixture("stored.npz")), zip64 = try NPZArchive(path: fixture("zip64.npz"))
        #expect(classic.keys == zip64.keys)
        for key in classic.keys { #expect(try classic.array(named: key).readAll() == zip64.array(named: key).readAll()) }
    }

    @Test func memoryAndFileAgree() throws {
        for name in ["stored.npz", "deflated.npz", "streamed.npz"] {
            let archive = try NPZArchive(source: MemoryByteSource(name: name, bytes: try bytes(name)))
            #expect(try archive.array(named: "base").readAll() == base)
        }
    }

    /// One line starting with the archive's name: the contract every reader keeps.
    func expectClean(_ error: Error, _ name: String, _ context: String) {
        guard let error = error as? ArrayIOError else { Issue.record("\(context): not an ArrayIOError: \(error)"); return }
        #expect(error.description.hasPrefix(name) && !error.description.contains("\n"), "\(context): \(error.description)")
    }

    @Test(arguments: ["stored.npz", "deflated.npz", "streamed.npz", "zip64.npz"])
    func everyPrefixFailsCleanly(name: String) throws {
        let whole = try bytes(name)
        for length in 0..<whole.count {
            do {
                let archive = try NPZArchive(source: MemoryByteSource(name: name, bytes: Array(whole[..<length])))
                _ = try archive.array(named: "base").readAll()
                Issue.record("\(name) cut to \(length) bytes was read")
            } catch { expectClean(error, name, "\(name) cut to \(length) bytes") }
        }
    }

    /// Every byte of an archive flipped: the reader either returns exactly the original (the
    /// byte was one it ignores, like a timestamp) or fails cleanly; CRC-32 catches the rest, for
    /// stored members too (checked as they are read, as numpy.load does).
    @Test(arguments: ["deflated.npz", "streamed.npz", "stored.npz", "zip64.npz"])
    func everyFlippedByteIsCaughtOrHarmless(name: String) throws {
        let whole = try bytes(name)
        for position in whole.indices {
            var damaged = whole
            damaged[position] ^= 0xFF
            do {
                let archive = try NPZArchive(source: MemoryByteSource(name: name, bytes: damaged))
                let values = try archive.array(named: "base").readAll()
                #expect(values == base, "\(name) with byte \(position) flipped read different values")
            } catch { expectClean(error, name, "\(name) byte \(position) flipped") }
        }
    }

    @Test func refusesWhatNumpyNeverWrites() throws {
        var whole = try bytes("deflated.npz")
        let central = try #require(findSignature([0x50, 0x4B, 0x01, 0x02], in: whole))
        whole[central + 10] = 12  // bzip2
        let method = #expect(throws: ArrayIOError.self) { try NPZArchive(source: MemoryByteSource(name: "m.npz", bytes: whole)) }
        #expect(method?.description.contains("compression method 12") == true)
        whole[central + 10] = 8
        whole[central + 8] |= 1  // encrypted
        let encrypted = #expect(throws: ArrayIOError.self) { try NPZArchive(source: MemoryByteSource(name: "e.npz", bytes: whole)) }
        #expect(encrypted?.description.contains("encrypted") == true)
    }

    @Test func inflatingBeyondTheClaimIsRefused() throws {
        // The directory says 100 bytes uncompressed; the stream holds more: refused, not truncated silently.
        var whole = try bytes("deflated.npz")
        let central = try #require(findSignature([0x50, 0x4B, 0x01, 0x02], in: whole))
        whole.replaceSubrange((central + 24)..<(central + 28), with: [100, 0, 0, 0])
        let error = #expect(throws: ArrayIOError.self) { try NPZArchive(source: MemoryByteSource(name: "x.npz", bytes: whole)).array(named: nil) }
        #expect(error?.description.contains("more than the 100 bytes it claims") == true)
    }

    @Test func streamCutShortEndsWithAnErrorNotAHang() throws {
        // The directory gives the member 10 fewer compressed bytes than its stream needs: the
        // stream stops before its final block (ZIPFoundation 0.9.20 looped forever on this).
        var whole = try bytes("deflated.npz")
        let central = try #require(findSignature([0x50, 0x4B, 0x01, 0x02], in: whole))
        whole[central + 20] -= 10
        let error = #expect(throws: ArrayIOError.self) { try NPZArchive(source: MemoryByteSource(name: "cut.npz", bytes: whole)).array(named: nil) }
        #expect(error?.description.hasPrefix("cut.npz:base: malformed file: deflate stream ends early") == true, "\(String(describing: error))")
    }

    @Test func claimsBeyondDeflatesRatioAreRefusedBeforeAllocating() throws {
        // 4 GiB claimed from about 100 deflated bytes: refused up front, whatever the stream holds.
        var whole = try bytes("deflated.npz")
        let central = try #require(findSignature([0x50, 0x4B, 0x01, 0x02], in: whole))
        whole.replaceSubrange((central + 24)..<(central + 28), with: [0xFE, 0xFF, 0xFF, 0xFF])
        let error = #expect(throws: ArrayIOError.self) { try NPZArchive(source: MemoryByteSource(name: "bomb.npz", bytes: whole)).array(named: nil) }
        #expect(error?.description.contains("deflate cannot exceed 1032:1") == true, "\(String(describing: error))")
    }

    func findSignature(_ signature: [UInt8], in bytes: [UInt8]) -> Int? {
        (0...(bytes.count - signature.count)).first { Array(bytes[$0..<($0 + signature.count)]) == signature }
    }
}
