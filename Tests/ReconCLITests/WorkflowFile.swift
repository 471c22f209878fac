import Foundation
import YAML

/// A GitHub Actions workflow read with the project's YAML loader, for the tests that keep the CI examples
/// honest: its top-level keys and every step's keys as text.
struct WorkflowFile {
    let root: [Node.Pair]
    let steps: [[String: String]]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let documents = try YAMLLoader().load(text, file: path)
        guard documents.count == 1, let root = documents[0].mapping else {
            throw WorkflowError("\(path): expected one YAML mapping")
        }
        self.root = root
        let jobs = root.first { $0.key.scalar == "jobs" }?.value.mapping ?? []
        steps = jobs.flatMap { job in
            (job.value.mapping?.first { $0.key.scalar == "steps" }?.value.sequence ?? []).map { step in
                Dictionary((step.mapping ?? []).compactMap { pair in pair.key.scalar.map { ($0, pair.value.scalar ?? "") } }) { a, _ in a }
            }
        }
    }

    func top(_ key: String) -> Node? { root.first { $0.key.scalar == key }?.value }

    /// The repository's scripts a `run:` block calls (`examples/ci/scripts/NAME.sh`).
    static func scripts(in run: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"examples/ci/scripts/[A-Za-z0-9_.-]+\.sh"#)
        return pattern.matches(in: run, range: NSRange(run.startIndex..., in: run)).compactMap { Range($0.range, in: run).map { String(run[$0]) } }
    }
}

struct WorkflowError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
