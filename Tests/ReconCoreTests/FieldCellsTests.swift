import ReconCore
import TestSupport
import XCTest

/// `FieldCells` against the dictionary it replaces: the same random operations on both, compared after each one,
/// with names that are canonically equivalent but spelled apart (NFC and NFD) among them.
final class FieldCellsTests: XCTestCase {
    /// Seeded, so a failure replays.
    private typealias SplitMix = NameGenerator.Random

    /// "é" precomposed and decomposed, "Å" both ways and as the Angstrom sign, ASCII neighbours, an empty name.
    private let names = ["caf\u{E9}", "cafe\u{301}", "cafe", "caf", "\u{C5}", "A\u{30A}", "\u{212B}", "A", "a", "B",
                         "Zeta", "zeta", "", "name", "name2", "n\u{303}", "\u{F1}", "x"]
    private let values: [FieldValue] = [.text("v"), .text("caf\u{E9}"), .text("cafe\u{301}"), .text(""), .number(1),
                                        .number(-0.0), .number(0), .bool(true), .bool(false), .list([]), .list(["a", "b"])]

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Everything a caller can see of the cells equals what it saw of the dictionary, spellings byte for byte.
    private func assertSame(_ cells: FieldCells, _ model: [String: FieldValue], _ step: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        let sorted = model.sorted(by: { $0.key < $1.key })
        XCTAssertEqual(cells.count, model.count, step, file: file, line: line)
        XCTAssertEqual(cells.isEmpty, model.isEmpty, step, file: file, line: line)
        XCTAssertEqual(cells.keys.map(bytes), sorted.map { bytes($0.key) }, step, file: file, line: line)
        XCTAssertEqual(cells.map(\.value), sorted.map(\.value), step, file: file, line: line)
        for name in names { XCTAssertEqual(cells[name], model[name], "\(step) [\(name)]", file: file, line: line) }
        XCTAssertEqual(cells.dictionary, model, step, file: file, line: line)
        XCTAssertEqual(FieldCells(model), cells, step, file: file, line: line)
        XCTAssertEqual(FieldValue.contentHash(cells), FieldValue.contentHash(model), step, file: file, line: line)
        var a = JSONWriter(capacity: 64), b = JSONWriter(capacity: 64)
        a.fieldValues(cells)
        b.fieldValues(model)
        XCTAssertEqual(a.finish(), b.finish(), step, file: file, line: line)
        XCTAssertEqual(FieldValue.normalize(cells).dictionary, FieldValue.normalize(model), step, file: file, line: line)
    }

    func testRandomOperationsAnswerAsTheDictionaryDid() {
        var random = SplitMix(seed: 12)
        for round in 0..<200 {
            var cells = FieldCells(), model: [String: FieldValue] = [:]
            for op in 0..<40 {
                let name = names.randomElement(using: &random)!, value = values.randomElement(using: &random)!
                let step = "round \(round) op \(op)"
                switch Int.random(in: 0..<6, using: &random) {
                case 0, 1:
                    cells[name] = value
                    model[name] = value
                case 2:
                    cells[name] = nil
                    model[name] = nil
                case 3:
                    XCTAssertEqual(cells.removeValue(forKey: name), model.removeValue(forKey: name), step)
                case 4:
                    XCTAssertEqual(cells.updateValue(value, forKey: name), model.updateValue(value, forKey: name), step)
                default:
                    let kept = cells.filter { $0.value != value }
                    XCTAssertEqual(kept.dictionary, model.filter { $0.value != value }, step)
                    XCTAssertEqual(cells.compactMapValues(\.normalized).dictionary, model.compactMapValues(\.normalized), step)
                    XCTAssertEqual(cells.mapValues { _ in value }.dictionary, model.mapValues { _ in value }, step)
                }
                assertSame(cells, model, step)
            }
        }
    }

    func testEqualityAndHashingAnswerAsTheDictionaryDid() {
        var random = SplitMix(seed: 99)
        var pairs: [(FieldCells, [String: FieldValue])] = []
        for _ in 0..<400 {
            var cells = FieldCells(), model: [String: FieldValue] = [:]
            for _ in 0..<Int.random(in: 0..<4, using: &random) {
                let name = names.randomElement(using: &random)!, value = values.randomElement(using: &random)!
                cells[name] = value
                model[name] = value
            }
            pairs.append((cells, model))
        }
        var equalPairs = 0
        for (cells, model) in pairs {
            for (otherCells, otherModel) in pairs {
                XCTAssertEqual(cells == otherCells, model == otherModel, "\(model) vs \(otherModel)")
                if model == otherModel {
                    equalPairs += 1
                    XCTAssertEqual(cells.hashValue, otherCells.hashValue, "\(model)")
                }
            }
        }
        XCTAssertGreaterThan(equalPairs, pairs.count, "the random cells must include equal ones spelled apart")
        XCTAssertEqual(Set(pairs.map(\.0)).count, Set(pairs.map(\.1)).count)
    }

    func testTheBuilderReadsPairsAsAssigningIntoADictionaryDid() {
        var random = SplitMix(seed: 7)
        for round in 0..<300 {
            var builder = FieldCells.Builder(), model: [String: FieldValue] = [:]
            var read: [(String, FieldValue)] = []
            for _ in 0..<Int.random(in: 0..<12, using: &random) {
                read.append((names.randomElement(using: &random)!, values.randomElement(using: &random)!))
            }
            // Half the rounds in written (sorted) order, the others as a hostile file may have them.
            if round.isMultiple(of: 2) { read.sort { $0.0 < $1.0 } }
            for (name, value) in read {
                builder.append(name, value)
                model[name] = value
            }
            assertSame(builder.cells(), model, "round \(round) \(read)")
        }
    }

    func testCellsOfTheSameNamesShareOneLayoutButNotAcrossSpellings() {
        let first: FieldCells = ["caf\u{E9}": .text("1"), "b": .number(2)]
        let second = FieldCells(["b": .number(3), "caf\u{E9}": .text("4")])
        var built = FieldCells.Builder()
        built.append("b", .bool(true))
        built.append("caf\u{E9}", .text("5"))
        XCTAssertTrue(first.layout === second.layout)
        XCTAssertTrue(first.layout === built.cells().layout)
        let decomposed = FieldCells(["b": .number(2), "cafe\u{301}": .text("1")])
        XCTAssertFalse(first.layout === decomposed.layout, "an NFD name must keep its own bytes")
        XCTAssertEqual(first, decomposed)
        XCTAssertEqual(decomposed.keys.map(bytes), [bytes("b"), bytes("cafe\u{301}")])
    }

    func testAssigningAnEquivalentNameKeepsTheFirstSpelling() {
        var cells: FieldCells = ["cafe\u{301}": .text("old")]
        var model: [String: FieldValue] = ["cafe\u{301}": .text("old")]
        cells["caf\u{E9}"] = .text("new")
        model["caf\u{E9}"] = .text("new")
        assertSame(cells, model, "NFC over NFD")
        XCTAssertEqual(cells.keys.map(bytes), [bytes("cafe\u{301}")])
    }

    func testAMutatedCopyLeavesTheSharedLayoutAndTheOriginalAlone() {
        let original: FieldCells = ["a": .text("1"), "c": .text("3")]
        var copy = original
        copy["b"] = .text("2")
        copy["a"] = nil
        XCTAssertEqual(original.keys, ["a", "c"])
        XCTAssertEqual(original.layout.names, ["a", "c"])
        XCTAssertEqual(copy.keys, ["b", "c"])
        XCTAssertEqual(FieldCells(["a": .text("1"), "c": .text("3")]).layout.names, ["a", "c"])
    }
}

extension FieldCellsTests {
    /// Rows are read in `nameOrder`: the builder meets the cells sorted, repeated names as the columns gave them.
    func testCellsReadInNameOrderAreTheDictionaryFilledInColumnOrder() {
        var random = SplitMix(seed: 31)
        for round in 0..<300 {
            let columns = (0..<Int.random(in: 0..<10, using: &random)).map { _ in names.randomElement(using: &random)! }
            let row = columns.map { _ in values.randomElement(using: &random)! }
            var model: [String: FieldValue] = [:]
            for (name, value) in zip(columns, row) { model[name] = value }
            var builder = FieldCells.Builder()
            for index in FieldCells.nameOrder(columns) { builder.append(columns[index], row[index]) }
            assertSame(builder.cells(), model, "round \(round) \(columns)")
            var merged: FieldCells = ["x": .text("mine")]
            merged.merge(FieldCells(model)) { $1 }
            XCTAssertEqual(merged.dictionary, ["x": .text("mine")].merging(model) { $1 })
        }
    }

    /// A name added to cells (a link the assembler resolves) leaves no empty slots: an insert into a full array doubled it.
    func testANameAddedMakesAnArrayOfTheCellsSize() {
        var cells: FieldCells = ["A": .text("a"), "C": .text("c")]
        let before = cells
        cells["B"] = .list(["core:plugins/alpha"])
        XCTAssertEqual(cells.values.capacity, 3)
        XCTAssertEqual(cells.dictionary, ["A": .text("a"), "B": .list(["core:plugins/alpha"]), "C": .text("c")])
        XCTAssertEqual(before.dictionary, ["A": .text("a"), "C": .text("c")])
        cells["D"] = .number(1)
        XCTAssertEqual(cells.keys, ["A", "B", "C", "D"])
        XCTAssertEqual(cells.values.capacity, 4)
    }
}
