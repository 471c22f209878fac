import Foundation
import State
import TestSupport
import XCTest

/// The property behind a nightly drift job: after any successful apply, `plan -detailed-exitcode` and
/// `drift` exit 0 until someone changes the base or the manifests. Seeded values of every field type go
/// through the real binary on SQLite and on the Airtable emulator, twice (create, then change).
final class ZeroDriftPropertyTests: XCTestCase {
    private static let token = "RECON_TEST_AIRTABLE_TOKEN"

    func testNoPlanAndNoDriftAfterApplyOnSQLite() throws {
        for seed: UInt64 in [1, 2, 3] {
            let project = TemporaryDirectory("zero-drift-sqlite")
            try check(seed: seed, project: project, target: "target: {provider: sqlite, database: \(project.path)/state/base.sqlite}",
                      environment: [:])
        }
    }

    func testNoPlanAndNoDriftAfterApplyOnTheAirtableEmulator() throws {
        let emulator = try AirtableEmulator(requestsPerSecond: 50)
        defer { emulator.stop() }
        for seed: UInt64 in [4, 5] {
            let base = emulator.addBase()
            let project = TemporaryDirectory("zero-drift-airtable")
            let target = """
                target:
                  provider: airtable
                  base: \(base)
                  token_env: \(Self.token)
                  api_url: \(emulator.url.absoluteString)
                  requests_per_second: 40
                """
            try check(seed: seed, project: project, target: target, environment: [Self.token: emulator.token])
        }
    }

    private func check(seed: UInt64, project: TemporaryDirectory, target: String, environment: [String: String]) throws {
        var values = ValueGenerator(seed: seed)
        let repo = GitFixture("zero-drift-repo")
        let precision = values.int(0...3)
        project.write("manifests/schema.yaml", Self.manifest(target: target, repo: repo.path, precision: precision))
        let plugins = (0..<3).map { "p\($0)" }
        for plugin in plugins { repo.write("plugins/\(plugin)/plugin.json", #"{"name": "Plugin \#(plugin)"}"#) }
        let keys = plugins.map { "core:plugins/\($0)" }
        for round in 1...2 {
            for item in 0..<8 {
                repo.write("items/i\(item)/item.md", "---\n\(values.frontMatter(plugins: keys))\n---\nBody.\n")
            }
            _ = repo.commit("round \(round)")
            let context = "seed \(seed), round \(round), precision \(precision)"
            let apply = try ReconProcess.run(["apply", "--auto-approve", "--no-color"], in: project.path, environment: environment)
            XCTAssertEqual(apply.status, 0, "\(context): \(apply.stdout)\(apply.stderr)")
            let plan = try ReconProcess.run(["plan", "-detailed-exitcode", "--no-color"], in: project.path, environment: environment)
            XCTAssertEqual(plan.status, 0, "\(context): \(plan.stdout)\(plan.stderr)\n\(frontMatter(repo))")
            let drift = try ReconProcess.run(["drift", "--no-color"], in: project.path, environment: environment)
            XCTAssertEqual(drift.status, 0, "\(context): \(drift.stdout)\(drift.stderr)")
            // Not vacuous: every field was applied with a value somewhere.
            let state = try StateStore(path: project.path + "/state/recon.state.json").load(expectedTarget: nil)
            let filled = Set((state?.records["Items"] ?? [:]).values.flatMap(\.values.keys))
            XCTAssertEqual(filled, ["Title", "Body", "Site", "Mail", "Phone", "Score", "Done", "Day", "When", "Stage", "Tags", "Plugins"], context)
        }
    }

    private func frontMatter(_ repo: GitFixture) -> String {
        (0..<8).compactMap { try? String(contentsOfFile: "\(repo.path)/items/i\($0)/item.md", encoding: .utf8) }.joined(separator: "\n")
    }

    private static func manifest(target: String, repo: String, precision: Int) -> String {
        """
        \(target)
        tables:
          - name: Plugins
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
          - name: Items
            key: Key
            fields:
              - {name: Key, type: singleLineText}
              - {name: Title, type: singleLineText}
              - {name: Body, type: multilineText}
              - {name: Site, type: url}
              - {name: Mail, type: email}
              - {name: Phone, type: phoneNumber}
              - {name: Score, type: number, precision: \(precision)}
              - {name: Done, type: checkbox}
              - {name: Day, type: date}
              - {name: When, type: dateTime}
              - {name: Stage, type: singleSelect, choices: [\(ValueGenerator.choices.joined(separator: ", "))]}
              - {name: Tags, type: multipleSelects, choices: [\(ValueGenerator.tags.joined(separator: ", "))]}
              - {name: Plugins, type: multipleRecordLinks, table: Plugins}
        repos:
          - name: core
            path: \(repo)
            extract:
              - table: Plugins
                files: ["plugins/*/plugin.json"]
                as: json
                root: .
                fields: {Name: name}
              - table: Items
                files: ["items/*/item.md"]
                as: frontmatter
                root: .
                fields:
                  Title: title
                  Body: body
                  Site: site
                  Mail: mail
                  Phone: phone
                  Score: score
                  Done: done
                  Day: day
                  When: when
                  Stage: stage
                  Tags: tags
                  Plugins: {link: Plugins, from: plugins}
        """
    }
}
