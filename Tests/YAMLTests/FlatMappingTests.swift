import Foundation
import ReconCore
import XCTest
@testable import YAML

/// `FlatMapping` must give exactly the nodes libyaml's path gives (kind, text, style, tag, line and column of
/// every node), or decline; these compare the two on the common shape, on hostile and odd inputs, on the
/// yaml-test-suite inputs and on generated ones.
final class FlatMappingTests: XCTestCase {
    private let file = "repo:docs/a.md"

    /// Every node with its place, style and tag, so two trees compare as text.
    private func dump(_ node: Node) -> String {
        let head = "\(node.location.line):\(node.location.column)\(node.tag.map { " !\($0)" } ?? "")"
        switch node.kind {
        case .scalar(let text, let style): return "\(head) \(style) \(text.debugDescription)"
        case .sequence(let items): return "\(head) [" + items.map(dump).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "\(head) {" + pairs.map { dump($0.key) + ": " + dump($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// The fast path's answer when it takes the input, checked against the full path; nil when it declines.
    @discardableResult
    private func agree(_ bytes: [UInt8], _ message: @autoclosure () -> String = "", line: UInt = #line) -> Node? {
        let full = Result { () throws(YAMLError) in try YAMLLoader().compose(bytes, file: file) }
        guard let fast = FlatMapping.read(bytes, file: file) else { return nil }
        switch full {
        case .success(let documents):
            XCTAssertEqual(documents.count, 1, "\(message()) \(String(decoding: bytes, as: UTF8.self).debugDescription)", line: line)
            if let document = documents.first {
                XCTAssertEqual(dump(fast), dump(document), "\(message()) \(String(decoding: bytes, as: UTF8.self).debugDescription)", line: line)
            }
        case .failure(let error):
            XCTFail("the fast path read what libyaml refuses (\(error.message)): \(String(decoding: bytes, as: UTF8.self).debugDescription)", line: line)
        }
        return fast
    }

    func testTheCommonFrontMatterIsReadByTheFastPathAsLibyamlReadsIt() throws {
        let text = """

            name: skill-0
            description: Skill 0, revision 0, does a useful thing.
            version: 1.0.0
            author: Author 0
            email: author0@example.com
            homepage: https://example.com/skills/0
            tags: [t0, t2]
            weight: -12.5
            enabled: false

            category: c0
            empty: []
            spaced:    [ a b ,c/d,  +1 , -2 ]   \n
            """
        let node = try XCTUnwrap(agree(Array(text.utf8)))
        XCTAssertEqual(node.mapping?.count, 12)
        XCTAssertEqual(node.location, SourceLocation(file: file, line: 2, column: 1))
        let tags = try XCTUnwrap(node.mapping?.first { $0.key.scalar == "tags" }?.value)
        XCTAssertEqual(tags.sequence?.map(\.scalar), ["t0", "t2"])
        XCTAssertEqual(tags.sequence?.last?.location, SourceLocation(file: file, line: 8, column: 12))
    }

    /// Each of these must be declined (so libyaml reads it, and reports what is wrong); every one of them is
    /// either read differently by YAML than a `key: value` line looks, or an error.
    func testHostileAndOddInputsAreLeftToLibyaml() {
        let declined = [
            "a: &x 1\nb: *x\n", "a: !!str 1\n", "!t a: 1\n", "a: b\n  c\n", "a: |\n  x\n", "a: >\n  x\n",
            "a: 'q'\n", "a: \"q\"\n", "a: {b: 1}\n", "a: [b, [c]]\n", "a: [b: c]\n", "a: [b, ]\n", "a: [b,\n c]\n",
            "a: 1\na: 2\n", "a: 1\nb: 2\na: 3\n", "\u{FEFF}a: 1\n", "a: 1\r\nb: 2\r\n", "a:\t1\n", "a: 1\t\n", "\ta: 1\n",
            "a: é\n", "é: 1\n", "a: x # c\n", "# c\na: 1\n", "a:\n", "a: \n", "a:\n  - x\n", "a:\n  b: 1\n", " a: 1\n",
            "a: b: c\n", "a: b:\n", "a : 1\n", "a:1\n", "- a\n", "---\na: 1\n", "...\n", "%YAML 1.2\n---\na: 1\n",
            "<<: {a: 1}\n", "? a\n: 1\n", "a: -\n", "a: - b\n", "a: ?x\n", "a: :x\n", "a: @x\n", "a: `x\n", "a: %x\n",
            "a: |x\n", "a: >x\n", "a: ,x\n", "a: ]x\n", "a: }x\n", "a: [x] y\n", "a: [x]]\n", "a: [x, 'y']\n", "a: [x #c]\n",
            "a: [x,y:z]\n", "a: 1\n\u{0}b: 2\n", "a: x\u{7F}\n", "a: x\u{1B}y\n", "\n\n", "", "a: [~]\n", "a: [&x y]\n",
            String(repeating: "k", count: 1100) + ": 1\n", "a: 1\n b: 2\n", "a: 1\n#\n",
        ]
        for text in declined {
            XCTAssertNil(agree(Array(text.utf8)), "taken by the fast path: \(text.debugDescription)")
        }
    }

    /// Inputs the fast path takes that a careless reader would get wrong: libyaml must agree on each.
    func testEdgesTheFastPathTakesAgreeWithLibyaml() {
        let taken = [
            "a: b#c\n", "a: x:y\n", "a: http://x/y?z=1&w=2\n", "a: it's \"fine\"\n", "a: x, y [z] {w}\n", "a: -1\n",
            "a: 1e3\n", "a: ~\n", "a: null\n", "a: yes\n", "a: 0o17\n", "key with spaces: v\n", "a-b.c_d: v\n",
            "a:    v    \n", "a: v", "a: [x]", "a: [ ]\n", "a: [.5, /x, _y, -3]\n", "a: b  c\n", "a: b ... --- c\n",
            "\n\n\na: 1\n\n\nb: 2\n\n", "a: x!y&z*w|v>u%t@s`r\n", "a: x - y\n", "a: x ? y\n", "1: 2\n", "true: false\n",
        ]
        for text in taken {
            XCTAssertNotNil(agree(Array(text.utf8)), "declined: \(text.debugDescription)")
        }
    }

    /// A duplicate key is declined, so the error is libyaml's path's, located at the second key; in a wide mapping
    /// (keys hashed, not compared in place) too.
    func testADuplicateKeyIsStillRefusedWithItsPlace() {
        XCTAssertThrowsError(try YAMLLoader().load("a: 1\nb: 2\na: 3\n", file: file)) { error in
            XCTAssertEqual((error as? YAMLError)?.location, SourceLocation(file: file, line: 3, column: 1))
        }
        let wide = (0..<40).map { "k\($0): v\($0)\n" }.joined()
        XCTAssertEqual(agree(Array(wide.utf8))?.mapping?.count, 40)
        for duplicate in ["k3", "k20", "k39"] {
            XCTAssertNil(agree(Array((wide + "\(duplicate): again\n").utf8)), duplicate)
            XCTAssertThrowsError(try YAMLLoader().load(wide + "\(duplicate): again\n", file: file)) { error in
                XCTAssertEqual((error as? YAMLError)?.location, SourceLocation(file: file, line: 41, column: 1))
            }
        }
    }

    func testEveryYAMLTestSuiteInputAgrees() throws {
        let folder = YAMLTestSuiteTests.folder
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".in.yaml") }
        XCTAssertGreaterThan(inputs.count, 80)
        for name in inputs {
            agree(Array(try Data(contentsOf: folder.appendingPathComponent(name))), name)
        }
    }

    /// Lines built from pieces that sit on the fast path's edges, with a fixed seed: whatever the fast path takes,
    /// libyaml must read the same way, and enough is taken for the comparison to mean something.
    func testGeneratedInputsAgree() {
        // Each piece is a usual one three times in four, an odd one otherwise.
        let keys = (["a", "b", "a b", "a-b", "_", "1", "k.v"], ["a ", " a", "a#", "é", "<<", "?", "-", "a:b", "a\tb"])
        let separators = ([": ", ":  "], [":", ": \t", ":\t", " : ", ":\r"])
        let values = (["x", "x y", "-1", "x#c", "x:y", "[a, b]", "[a,b ]", "[]", "~", "[a b, -2, .5]", "x ---", "a, b", "x  "],
                      ["- x", "x # c", "x: y", "'x'", "\"x\"", "[a, [b]]", "[a, ]", "{a: 1}", "&x y", "*x", "!t y", "|", ">", "",
                       "é", "x\u{7F}", "[a: b]", "[a #c]", "%x", "@x", "[x] y", "x:", "[x", "[x,\n y]"])
        let ends = (["\n", "\n\n"], ["\r\n", "\n  y\n", "\n# c\n", "\n\t\n", "\n---\n", "\n...\n", ""])
        var seed: UInt64 = 0x5EED
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
        func pick(_ pieces: ([String], [String])) -> String {
            let from = next() % 4 == 0 ? pieces.1 : pieces.0
            return from[next() % from.count]
        }
        var taken = 0
        for _ in 0..<5000 {
            var text = next() % 20 == 0 ? "\u{FEFF}" : "\n"
            for _ in 0...(next() % 3) { text += pick(keys) + pick(separators) + pick(values) + pick(ends) }
            if agree(Array(text.utf8)) != nil { taken += 1 }
        }
        XCTAssertGreaterThan(taken, 500, "the generator hardly reaches the fast path")
    }
}
