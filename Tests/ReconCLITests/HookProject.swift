import Foundation
import TestSupport
import XCTest

/// A `CLIProject` with hook scripts under scripts/ and a manifests/hooks.yaml.
extension CLIProject {
    /// Writes an executable `scripts/NAME` running `body` under /bin/sh.
    func script(_ name: String, _ body: String, executable: Bool = true) {
        let path = directory.write("scripts/\(name)", "#!/bin/sh\n" + body + "\n")
        chmod(path, executable ? 0o755 : 0o644)
    }

    func hooks(_ yaml: String) {
        directory.write("manifests/hooks.yaml", yaml)
    }

    /// The newest run of `recon runs --format json`.
    func lastRun() throws -> [String: Any] {
        let listing = try recon("runs", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap((document["runs"] as? [[String: Any]])?.first, listing.stdout)
    }

    /// `KEY=value` lines a hook wrote with `env > FILE`.
    func environment(in file: String) throws -> [String: String] {
        let text = try XCTUnwrap(directory.read(file), "the hook did not write \(file)")
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }
}
