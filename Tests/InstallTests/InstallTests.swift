import Foundation
import TestSupport
import XCTest

/// `make install` as a user runs it: the only test that makes a release build (in `.build-install`, kept between
/// runs so a second run only relinks). The installed binary must run with the toolchain out of reach.
final class InstallTests: XCTestCase {
    /// The checkout: two folders above this file.
    private let root = ((Golden.folder() as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent

    private struct Output {
        var status: Int32
        var text: String
    }

    /// Runs `executable` with `environment` as the whole environment; stdout and stderr together.
    private func run(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }

    /// The toolchain's `usr`: `dirname $(dirname $(readlink -f $(which swift)))`.
    private func toolchain() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let swift = try XCTUnwrap(path.split(separator: ":").map { "\($0)/swift" }.first { FileManager.default.isExecutableFile(atPath: $0) },
                                  "swift is on the PATH of the test")
        let resolved = URL(fileURLWithPath: swift).resolvingSymlinksInPath()
        return resolved.deletingLastPathComponent().deletingLastPathComponent().path
    }

    func testMakeInstallGivesABinaryThatRunsWithoutTheToolchain() throws {
        let prefix = TemporaryDirectory("install")
        let environment = ProcessInfo.processInfo.environment
        let install = try run("/usr/bin/env", ["make", "install", "PREFIX=\(prefix.path)", "BUILD_DIR=.build-install"], in: root,
                              environment: environment)
        XCTAssertEqual(install.status, 0, String(install.text.suffix(4000)))
        let binary = prefix.path + "/bin/recon"
        let installed = ["bin/recon", "share/man/man1/recon.1", "share/bash-completion/completions/recon",
                         "share/zsh/site-functions/_recon", "share/fish/vendor_completions.d/recon.fish"]
        for file in installed { XCTAssertTrue(FileManager.default.fileExists(atPath: prefix.path + "/" + file), file) }

        // No toolchain anywhere a loader or a shell would look: no LD_LIBRARY_PATH, no toolchain on PATH.
        let toolchain = try toolchain()
        let bare = ["PATH": "/usr/bin:/bin", "HOME": prefix.path, "LANG": "C"]
        let ldd = try run("/usr/bin/ldd", [binary], in: prefix.path, environment: bare)
        XCTAssertEqual(ldd.status, 0, ldd.text)
        for line in ldd.text.split(separator: "\n") {
            XCTAssertFalse(line.contains(toolchain), "resolves into the toolchain: \(line)")
            XCTAssertFalse(line.contains("not found"), String(line))
            for library in ["libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "lib_FoundationICU"] {
                XCTAssertFalse(line.contains(library), "links \(library) dynamically: \(line)")
            }
        }
        let version = try run(binary, ["--version"], in: prefix.path, environment: bare)
        XCTAssertEqual(version.status, 0, version.text)
        XCTAssertTrue(version.text.hasPrefix("recon "), version.text)

        let project = TemporaryDirectory("install-project")
        project.write("manifests/schema.yaml", """
            target: {provider: sqlite, database: state/catalog.sqlite}
            tables:
              - name: Docs
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
            """)
        let validate = try run(binary, ["validate"], in: project.path, environment: bare)
        XCTAssertEqual(validate.status, 0, validate.text)

        // What was installed is what the binary prints.
        let page = try run(binary, ["help", "--man"], in: prefix.path, environment: bare)
        XCTAssertEqual(try String(contentsOfFile: prefix.path + "/share/man/man1/recon.1", encoding: .utf8), page.text)
        let bash = try run(binary, ["completion", "bash"], in: prefix.path, environment: bare)
        XCTAssertEqual(try String(contentsOfFile: prefix.path + "/share/bash-completion/completions/recon", encoding: .utf8), bash.text)

        let uninstall = try run("/usr/bin/env", ["make", "uninstall", "PREFIX=\(prefix.path)", "BUILD_DIR=.build-install"], in: root,
                                environment: environment)
        XCTAssertEqual(uninstall.status, 0, uninstall.text)
        for file in installed { XCTAssertFalse(FileManager.default.fileExists(atPath: prefix.path + "/" + file), file) }
    }
}
