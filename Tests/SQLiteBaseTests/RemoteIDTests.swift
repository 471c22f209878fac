import Foundation
import Remote
import XCTest

/// Record ids come from a pool of random draws refilled a block at a time (issue 12): across refills and threads
/// they must keep Airtable's shape and never repeat.
final class RemoteIDTests: XCTestCase {
    func testIdsAcrossManyRefillsHaveTheShapeAndNeverRepeat() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var seen = Set<String>()
        for _ in 0..<5_000 {  // 10,000 draws: about twenty refills of the pool
            let id = RemoteID.record()
            XCTAssertEqual(id.count, 17, id)
            XCTAssertTrue(id.hasPrefix("rec"), id)
            XCTAssertTrue(id.dropFirst(3).allSatisfy(alphabet.contains), id)
            XCTAssertTrue(seen.insert(id).inserted, "repeated id \(id)")
        }
        XCTAssertTrue(RemoteID.table().hasPrefix("tbl"))
        XCTAssertTrue(RemoteID.field().hasPrefix("fld"))
    }

    func testIdsMadeOnSeveralThreadsAtOnceNeverRepeat() {
        let collected = Collected()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            collected.add((0..<2_000).map { _ in RemoteID.record() })
        }
        let all = collected.ids
        XCTAssertEqual(all.count, 16_000)
        XCTAssertEqual(Set(all).count, all.count, "a draw was handed to two ids")
    }
}

/// The ids each thread made, gathered under a lock.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [String] = []

    func add(_ ids: [String]) { lock.withLock { made += ids } }
    var ids: [String] { lock.withLock { made } }
}
