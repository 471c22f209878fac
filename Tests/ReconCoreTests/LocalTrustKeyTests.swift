import Foundation
import ReconCore
import TestSupport
import XCTest

final class LocalTrustKeyTests: XCTestCase {
    private var scratch: [TemporaryDirectory] = []

    private func stateDirectory() throws -> String {
        let directory = TemporaryDirectory()
        scratch.append(directory)
        return directory.file("state")
    }

    func testTheKeyIsMadeOncePrivateAndKeptAcrossLoads() throws {
        let state = try stateDirectory()
        let first = try LocalTrustKey.load(stateDirectory: state)
        let path = (state as NSString).appendingPathComponent(LocalTrustKey.fileName)
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let mac = first.mac(Array("body".utf8))
        let second = try LocalTrustKey.load(stateDirectory: state)
        XCTAssertTrue(second.verifies(mac, Array("body".utf8)))
        XCTAssertFalse(second.verifies(mac, Array("bodY".utf8)))
        XCTAssertEqual((try FileManager.default.contentsOfDirectory(atPath: state)), [LocalTrustKey.fileName], "no temp file left")
    }

    func testAnotherStateDirectorysKeyDoesNotVerify() throws {
        let a = try LocalTrustKey.load(stateDirectory: try stateDirectory())
        let b = try LocalTrustKey.load(stateDirectory: try stateDirectory())
        XCTAssertFalse(b.verifies(a.mac([1, 2, 3]), [1, 2, 3]))
    }

    func testAKeyReadableByOthersOrDamagedIsReplacedAndWhatItSignedIsNoLongerTrusted() throws {
        let state = try stateDirectory()
        let path = (state as NSString).appendingPathComponent(LocalTrustKey.fileName)
        let old = try LocalTrustKey.load(stateDirectory: state)
        let mac = old.mac([7])
        XCTAssertEqual(chmod(path, 0o644), 0)
        let replaced = try LocalTrustKey.load(stateDirectory: state)
        XCTAssertFalse(replaced.verifies(mac, [7]), "a key others could read may have been copied")
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        for damaged in ["", "zz", String(repeating: "A", count: 64) + "\n", String(repeating: "0", count: 63) + "\n\n"] {
            try Data(damaged.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(chmod(path, 0o600), 0)
            let key = try LocalTrustKey.load(stateDirectory: state)
            XCTAssertFalse(key.verifies(replaced.mac([7]), [7]), "damaged key file \(damaged.debugDescription) was used")
            XCTAssertTrue(try LocalTrustKey.load(stateDirectory: state).verifies(key.mac([7]), [7]), "the replacement is kept")
        }
    }

    func testHexDecodeTakesOnlyWhatEncodeWrites() {
        XCTAssertEqual(Hex.decode(Hex.encode([0, 1, 0xab, 0xff])), [0, 1, 0xab, 0xff])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("AB"))
        XCTAssertNil(Hex.decode("0g"))
        XCTAssertEqual(Hex.decode(""), [])
    }
}
