import ReconCore
import XCTest

final class FieldCellsSharingTests: XCTestCase {
    private func storage(_ value: FieldValue?) -> UnsafeRawPointer? {
        switch value {
        case .text(let text)?: text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        case .list(let items)?: items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        default: nil
        }
    }

    private func buffer(_ cells: FieldCells) -> UnsafeRawPointer? {
        cells.values.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// Made at run time, so two equal texts are two heap storages (a literal would be one constant).
    private func text(_ words: String...) -> String { words.joined(separator: " ") }

    func testTheSameCellsAreTheHeldOnesStorage() {
        let held: FieldCells = ["Description": .text(text("a description", "longer than fifteen bytes")), "Tags": .list(["t0", "t1"]),
                                "Weight": .number(3)]
        let read: FieldCells = ["Description": .text(text("a description", "longer than fifteen bytes")), "Tags": .list(["t0", "t1"]),
                                "Weight": .number(3)]
        XCTAssertNotEqual(buffer(read), buffer(held))

        let shared = read.sharingStorage(with: held)
        XCTAssertEqual(shared, read)
        XCTAssertEqual(buffer(shared), buffer(held))
    }

    func testEqualValuesUnderOtherNamesOrBesideOtherValuesAreTakenOneByOne() {
        let description = text("a description", "longer than fifteen bytes")
        let held: FieldCells = ["Description": .text(description), "Homepage": .text(text("https://example.com/", "one")),
                                "Plugin": .list(["core:plugins/alpha"]), "Weight": .number(3)]
        // The base's copy: the key field the state does not hold, a link as ids, another homepage.
        let read: FieldCells = ["Description": .text(text("a description", "longer than fifteen bytes")),
                                "Homepage": .text(text("https://example.com/", "two")), "Key": .text(text("core:plugins/alpha/", "skills/one")),
                                "Plugin": .list(["recAAAAAAAAAAAAAA"]), "Weight": .number(3)]

        let shared = read.sharingStorage(with: held)
        XCTAssertEqual(shared, read)
        XCTAssertEqual(storage(shared["Description"]), storage(held["Description"]))
        XCTAssertEqual(storage(shared["Homepage"]), storage(read["Homepage"]))
        XCTAssertEqual(storage(shared["Key"]), storage(read["Key"]))
        XCTAssertEqual(storage(shared["Plugin"]), storage(read["Plugin"]))
    }

    /// `==` calls an NFC and an NFD spelling one string, and 0.0 and -0.0 one number: a writer would emit the other
    /// bytes, so neither is shared.
    func testCanonicallyEquivalentOrSignedZeroValuesKeepTheirOwnBytes() {
        let composed = "caf\u{E9} cr\u{E8}me br\u{FB}l\u{E9}e, twice"
        let decomposed = "cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e, twice"
        XCTAssertEqual(composed, decomposed, "the premise: Swift calls them equal")
        let held: FieldCells = ["A": .text(composed), "B": .list([composed]), "N": .number(0)]
        let read: FieldCells = ["A": .text(decomposed), "B": .list([decomposed]), "N": .number(-0.0)]

        let shared = read.sharingStorage(with: held)
        XCTAssertEqual(shared.values.map { value -> [UInt8] in
            switch value {
            case .text(let text): Array(text.utf8)
            case .list(let items): Array(items[0].utf8)
            case .number(let number): withUnsafeBytes(of: number.bitPattern) { Array($0) }
            case .bool: []
            }
        }, [Array(decomposed.utf8), Array(decomposed.utf8), withUnsafeBytes(of: (-0.0).bitPattern) { Array($0) }])
        XCTAssertNotEqual(buffer(shared), buffer(held))

        // Names compare by bytes too: an NFD name is not the NFC one.
        let byName = (["\u{C5}ngstr\u{F6}m field": .text(text("the same value", "in both records"))] as FieldCells)
            .sharingStorage(with: ["A\u{30A}ngstro\u{308}m field": .text(text("the same value", "in both records"))])
        XCTAssertEqual(byName.keys.map { Array($0.utf8) }, [Array("\u{C5}ngstr\u{F6}m field".utf8)])
    }

    func testRandomCellsStayEqualToThemselves() {
        var generator = SystemRandomNumberGenerator()
        let names = ["A", "B", "C", "Key", "e\u{301}", "\u{E9}", "Z"]
        let values: [FieldValue] = [.text(text("one value", "longer than fifteen")), .text("short"), .number(1), .number(-0.0),
                                    .number(0), .bool(true), .list(["x", "y"]), .list(["e\u{301}"]), .list(["\u{E9}"])]
        for _ in 0..<500 {
            var a: [String: FieldValue] = [:], b: [String: FieldValue] = [:]
            for name in names where Bool.random(using: &generator) { a[name] = values.randomElement(using: &generator)! }
            for name in names where Bool.random(using: &generator) { b[name] = values.randomElement(using: &generator)! }
            let read = FieldCells(a), held = FieldCells(b)
            let shared = read.sharingStorage(with: held)
            XCTAssertEqual(shared, read)
            XCTAssertEqual(shared.keys.map { Array($0.utf8) }, read.keys.map { Array($0.utf8) })
            XCTAssertTrue(zip(shared.values, read.values).allSatisfy { $0.isIdentical(to: $1) })
        }
    }
}
