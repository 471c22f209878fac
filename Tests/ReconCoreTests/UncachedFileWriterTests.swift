import Foundation
@testable import ReconCore
import TestSupport
import XCTest

/// A copy written around the page cache has the bytes an ordinary write has, whatever its size and wherever direct
/// I/O is refused, and (where the file system takes it) leaves none of its pages in the cache.
final class UncachedFileWriterTests: XCTestCase {
    private let folder = TemporaryDirectory("recon-uncached")

    /// Bytes that differ from page to page, so a page written twice or out of place shows.
    private func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
    }

    /// Hands `data` over in puts of `step` bytes, as the state and plan copies do.
    private func writeUncached(_ data: [UInt8], to path: String, step: Int) throws {
        try PrivateFile.write(to: path, bypassingCache: true) { put in
            var start = 0
            while start < data.count {
                try put(Array(data[start..<min(start + step, data.count)]))
                start += step
            }
        }
    }

    private func residentPages(_ path: String) throws -> Int { try XCTUnwrap(PageCacheProbe.residentPages(path)) }

    func testEverySizeIsWrittenAsAnOrdinaryWriteWritesIt() throws {
        let mebibyte = 1 << 20
        for size in [0, 1, 4095, 4096, 4097, mebibyte - 1, mebibyte, mebibyte + 1, 3 * mebibyte + 17] {
            let data = bytes(size)
            for step in [7_000, mebibyte, max(size, 1)] {
                let path = "\(folder.path)/copy-\(size)-\(step).json"
                try writeUncached(data, to: path, step: step)
                XCTAssertEqual(FileManager.default.contents(atPath: path).map { [UInt8]($0) }, data, "\(size) bytes in puts of \(step)")
                let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
                XCTAssertEqual(mode, 0o600)
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }, [],
                       "no temp file is left")
    }

    func testTheCopyLeavesNoPageInTheCacheWhereTheFileSystemTakesDirectIO() throws {
        try XCTSkipUnless(PageCacheProbe.writesAroundTheCache(in: folder.path), "\(folder.path) is on a file system without O_DIRECT")
        // 4 MiB, 500 KiB and 17 bytes: of the last, partly filled buffer only the partial block at its end goes
        // through the cache.
        let data = bytes(4 << 20 + 512_017)
        let buffered = "\(folder.path)/buffered.json"
        try PrivateFile.write(data, to: buffered)
        XCTAssertGreaterThan(try residentPages(buffered), 0, "an ordinary write leaves its pages cached: the check can see them")
        let uncached = "\(folder.path)/uncached.json"
        try writeUncached(data, to: uncached, step: 1 << 20)
        XCTAssertLessThanOrEqual(try residentPages(uncached), 1)
        XCTAssertEqual(FileManager.default.contents(atPath: uncached).map { [UInt8]($0) }, data)
    }

    func testPatchesAfterAnAlignedDirectWriteLandWhereTheySay() throws {
        try XCTSkipUnless(PageCacheProbe.writesAroundTheCache(in: folder.path), "\(folder.path) is on a file system without O_DIRECT")
        // 2 MiB: every byte goes direct, so the fd is still O_DIRECT when the patches (short, unaligned) are written.
        var data = bytes(2 << 20)
        let path = "\(folder.path)/patched.json"
        try PrivateFile.writePatched(to: path, bypassingCache: true) { put in
            try put(data)
            return [(offset: 3, bytes: Array("patch".utf8)), (offset: (2 << 20) - 2, bytes: [1, 2])]
        }
        data.replaceSubrange(3..<8, with: Array("patch".utf8))
        data.replaceSubrange(((2 << 20) - 2)..., with: [1, 2])
        XCTAssertEqual(FileManager.default.contents(atPath: path).map { [UInt8]($0) }, data)
    }

    func testAWriterWithoutDirectIOWritesTheSameBytes() throws {
        // What `bypassCache` leaves where the file system refuses O_DIRECT (older tmpfs, some FUSE and network mounts).
        let path = "\(folder.path)/buffered.json"
        let fd = PrivateFile.open(path, O_WRONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let writer = UncachedFileWriter(fd: fd, path: path, direct: false)
        let data = bytes(2 << 20 + 5)
        try writer.put(Array(data[..<300_000]))
        try writer.put(Array(data[300_000...]))
        try writer.finish()
        XCTAssertEqual(FileManager.default.contents(atPath: path).map { [UInt8]($0) }, data)
    }

    func testAWriteThatRefusesDirectIOIsFinishedThroughTheCache() throws {
        try XCTSkipUnless(PageCacheProbe.writesAroundTheCache(in: folder.path), "\(folder.path) is on a file system without O_DIRECT")
        let path = "\(folder.path)/unaligned.json"
        let fd = PrivateFile.open(path, O_WRONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        // One byte first: every direct write after it is at an unaligned offset, which the kernel refuses (EINVAL).
        try PrivateFile.writeAll([42], to: fd, path: path)
        let writer = UncachedFileWriter(fd: fd, path: path, direct: UncachedFileWriter.bypassCache(of: fd))
        XCTAssertTrue(writer.direct)
        let data = bytes(3 << 20)
        var start = 0
        while start < data.count {
            // Puts of 7,000 bytes: some are staged after the refusal and written behind what was staged before it.
            try writer.put(Array(data[start..<min(start + 7_000, data.count)]))
            start += 7_000
        }
        XCTAssertFalse(writer.direct, "the refused write turned the rest of the file over to the cache")
        try writer.finish()
        XCTAssertEqual(FileManager.default.contents(atPath: path).map { [UInt8]($0) }, [42] + data)
    }
}
