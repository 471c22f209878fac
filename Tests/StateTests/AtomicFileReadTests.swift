import Foundation
import State
import TestSupport
import XCTest

/// `AtomicFile.read` holds a file in about its own size: plans and states reach tens of megabytes at 100,000 records.
final class AtomicFileReadTests: XCTestCase {
    func testAFileIsReadWholeIntoAnArrayOfAboutItsSize() throws {
        let scratch = TemporaryDirectory()
        let path = scratch.file("plan.json")
        let size = 3 << 20
        let written = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(written, to: path)
        let read = try XCTUnwrap(AtomicFile.read(path))
        XCTAssertEqual(read, written)
        // Growing a full array to find the end of the file doubled it: 6 MB held for a 3 MB file.
        XCTAssertLessThan(read.capacity, size + size / 16, "capacity \(read.capacity) for a file of \(size) bytes")
    }

    func testEmptyAndMissingFiles() throws {
        let scratch = TemporaryDirectory()
        try AtomicFile.write([], to: scratch.file("empty"))
        XCTAssertEqual(try AtomicFile.read(scratch.file("empty")), [])
        XCTAssertNil(try AtomicFile.read(scratch.file("missing")))
    }
}
