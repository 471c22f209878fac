import TestSupport
import XCTest

/// Manifest errors as `recon validate` prints them: at file:line:column, each once, exit 1,
/// nothing written.
final class ManifestErrorCLITests: XCTestCase {
    func testABadByteIsOneErrorAtItsLineWithNoEchoesFromOtherFiles() throws {
        let temp = TemporaryDirectory()
        temp.write("m/a-target.yaml", "target: {provider: sqlite, database: state/catalog.sqlite}\n")
        temp.write("m/schema.yaml", Array("tables:\n  - name: Skills\n    key: Key\n    description: \"caf".utf8) + [0xE9]
            + Array("\"\n    fields: [{name: Key, type: singleLineText}]\n".utf8))
        temp.write("m/sources.yaml", """
            protected: {Skills: [Notes]}
            repos:
              - name: core
                path: ../core
                extract:
                  - {table: Skills, files: ["**/SKILL.md"], as: frontmatter, fields: {Name: name}}

            """)
        let before = temp.listing()
        let result = try ReconProcess.run(["validate", "-m", "m"], in: temp.path)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, """
            m/schema.yaml:4:22: error: the byte 0xE9 is not valid UTF-8
              YAML is read as UTF-8 (or UTF-16 with a byte order mark): save the file as UTF-8
            1 error in the manifests; nothing was written.

            """)
        XCTAssertEqual(temp.listing(), before)
    }

    func testAMegabyteFieldTypeIsRefusedShortly() throws {
        let temp = TemporaryDirectory()
        temp.write("m/schema.yaml", "tables:\n  - name: Skills\n    key: Key\n    fields:\n      - {name: Key, type: singleLineText}\n"
            + "      - name: Big\n        type: " + String(repeating: "x", count: 5_000_000) + "\n")
        let result = try ReconProcess.run(["validate", "-m", "m"], in: temp.path)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, """
            m/schema.yaml:7:15: error: the value of 'type' in field 'Big' of table 'Skills' is 5000000 bytes long; at most 255 are allowed
            1 error in the manifests; nothing was written.

            """)
    }
}
