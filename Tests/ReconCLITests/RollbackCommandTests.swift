import Foundation
import TestSupport
import XCTest

/// `recon rollback RUN` through the real binary: the plan is built from what the run committed.
final class RollbackCommandTests: XCTestCase {
    private func journalLines(_ project: CLIProject) -> Int {
        (project.directory.read("state/recon.state.journal") ?? "").split(separator: "\n").count
    }

    private func keys(_ project: CLIProject) -> Set<String> {
        Set(project.sql("SELECT Key FROM Plugins UNION ALL SELECT Key FROM Skills"))
    }

    /// Run ids, oldest first.
    private func runIDs(_ project: CLIProject) throws -> [String] {
        let listing = try project.recon("runs", "--format", "json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        let runs = try XCTUnwrap(document["runs"] as? [[String: Any]])
        return runs.compactMap { $0["id"] as? String }.reversed()
    }

    private func rollbackJSON(_ project: CLIProject, _ run: String) throws -> [String: Any] {
        let result = try project.recon("rollback", run, "--format", "json")
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        return try XCTUnwrap(document["plan"] as? [String: Any], result.stdout)
    }

    private func changes(_ plan: [String: Any], _ action: String) -> Set<String> {
        Set(((plan["record_changes"] as? [[String: Any]]) ?? []).filter { $0["action"] as? String == action }
            .compactMap { $0["key"] as? String })
    }

    private func applyRollback(_ project: CLIProject, _ run: String) throws {
        let saved = try project.recon("rollback", run, "-out", "undo.json")
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let applied = try project.recon("apply", "undo.json", "--auto-approve")
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr)
    }

    /// The reproduced defect: an interrupted run, a later run that creates the rest; rolling back the
    /// first run planned a delete for every record of its plan, the later run's included.
    func testRollbackOfAnInterruptedRunDeletesOnlyWhatItCommitted() throws {
        let project = CLIProject(protected: false)
        for index in 0..<120 { project.skill("p\(index % 4)", "s\(index)") }
        project.repo.commit("many")
        let process = try ReconProcess.start(["apply", "--auto-approve", "--batch-size", "4"], in: project.path)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, journalLines(project) < 6, Date() < deadline { usleep(500) }
        _ = Glibc.kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, "the first run is interrupted mid-apply")
        let first = keys(project)
        XCTAssertGreaterThan(first.count, 4)
        XCTAssertLessThan(first.count, 124)

        let rest = try project.recon("apply", "--auto-approve")
        XCTAssertEqual(rest.status, 0, rest.stderr)
        let all = keys(project)
        XCTAssertEqual(all.count, 124)
        let runs = try runIDs(project)
        XCTAssertEqual(runs.count, 2)

        let plan = try rollbackJSON(project, runs[0])
        let deletes = changes(plan, "delete")
        XCTAssertEqual(deletes.count, first.count)
        XCTAssertEqual(deletes, first, "exactly the records the interrupted run committed")
        XCTAssertTrue(deletes.isDisjoint(with: all.subtracting(first)), "never a record of the later run")
        XCTAssertEqual((plan["record_changes"] as? [[String: Any]])?.count, first.count)

        try applyRollback(project, runs[0])
        XCTAssertEqual(keys(project), all.subtracting(first))
    }

    /// Keys with an `ok` outcome of `action` in a run's outcomes file.
    private func outcomeKeys(_ project: CLIProject, run: String, action: String) throws -> Set<String> {
        let text = try XCTUnwrap(project.directory.read("state/runs/\(run)/outcomes.jsonl"))
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["status"] as? String == "ok", object["action"] as? String == action else { return nil }
            return object["key"] as? String
        })
    }

    /// The same with SIGKILL: the batch in flight may reach the base unrecorded (the next run adopts it), but
    /// rollback deletes exactly what the killed run recorded as committed, and nothing the later run created.
    func testRollbackOfAKilledRunDeletesWhatItRecordedAndNothingOfTheNextRun() throws {
        let project = CLIProject(protected: false)
        for index in 0..<120 { project.skill("p\(index % 4)", "s\(index)") }
        project.repo.commit("many")
        let process = try ReconProcess.start(["apply", "--auto-approve", "--batch-size", "4"], in: project.path)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, journalLines(project) < 8, Date() < deadline { usleep(500) }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the first run dies mid-apply")
        let inBase = keys(project)

        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        XCTAssertEqual(keys(project).count, 124)
        let runs = try runIDs(project)
        let recorded = try outcomeKeys(project, run: runs[0], action: "create")
        let created = try outcomeKeys(project, run: runs[1], action: "create")
        XCTAssertGreaterThan(recorded.count, 4)
        XCTAssertTrue(recorded.isSubset(of: inBase))
        XCTAssertLessThanOrEqual(inBase.count - recorded.count, 4, "at most the batch in flight went unrecorded")

        let deletes = changes(try rollbackJSON(project, runs[0]), "delete")
        XCTAssertEqual(deletes, recorded)
        XCTAssertTrue(deletes.isDisjoint(with: created), "never a record the later run created")
        XCTAssertEqual(created.union(inBase).count, 124)
    }

    /// A record the run created (or updated) and a later run changed: a conflict, shown and not touched.
    func testRecordsALaterRunChangedAreConflictsLeftAlone() throws {
        let project = CLIProject(protected: false)
        project.skill("p", "a")
        project.skill("p", "b")
        project.repo.commit("first")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("p", "c")
        project.repo.commit("second")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        project.skill("p", "a", title: "renamed by run 3")
        project.skill("p", "c", title: "c renamed by run 3")
        project.repo.commit("third")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        let runs = try runIDs(project)
        XCTAssertEqual(runs.count, 3)
        let a = "core:plugins/p/skills/a", b = "core:plugins/p/skills/b", c = "core:plugins/p/skills/c"

        let plan = try rollbackJSON(project, runs[0])
        XCTAssertEqual(changes(plan, "delete"), [b, "core:plugins/p"], "b and the plugin go; a was renamed by a later run")
        let conflicts = try XCTUnwrap(plan["rollback_conflicts"] as? [[String: Any]], "\(plan)")
        let conflicted = Set(conflicts.compactMap { $0["key"] as? String })
        XCTAssertTrue(conflicted.contains(a), "\(conflicts)")
        XCTAssertFalse(conflicted.contains(b))
        XCTAssertEqual((plan["summary"] as? [String: Any])?["conflicts"] as? Int, conflicted.count)

        let text = try project.recon("rollback", runs[0])
        XCTAssertTrue(text.stdout.contains("conflict"), text.stdout)
        XCTAssertTrue(text.stdout.contains(a), text.stdout)
        XCTAssertTrue(text.stdout.contains("renamed by run 3"), text.stdout)
        let markdown = try project.recon("rollback", runs[0], "--format", "markdown")
        XCTAssertTrue(markdown.stdout.contains(a), markdown.stdout)
        XCTAssertTrue(markdown.stdout.lowercased().contains("conflict"), markdown.stdout)

        // Run 2 created c and run 3 renamed it: rolling back run 2 must not delete it either.
        let second = try rollbackJSON(project, runs[1])
        XCTAssertEqual(changes(second, "delete"), [])
        XCTAssertEqual(Set(((second["rollback_conflicts"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String }), [c])

        try applyRollback(project, runs[0])
        XCTAssertEqual(project.sql("SELECT Name FROM Skills WHERE Key = '\(a)'"), ["renamed by run 3"], "the conflict is untouched")
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills WHERE Key = '\(b)'"), ["0"])
    }

    /// Rolling back a delete writes back every column of the before-image, those the manifests do not declare too.
    func testRollbackOfADeleteRestoresUndeclaredColumns() throws {
        let project = CLIProject(protected: false)
        project.skill("p", "a")
        project.skill("p", "b")
        project.repo.commit("first")
        XCTAssertEqual(try project.recon("apply", "--auto-approve").status, 0)
        let b = "core:plugins/p/skills/b"
        _ = project.sql("ALTER TABLE Skills ADD COLUMN Notes TEXT")
        _ = project.sql("ALTER TABLE Skills ADD COLUMN Rank INTEGER")
        _ = project.sql("UPDATE Skills SET Notes = 'kept by hand: naïve ✓', Rank = 7 WHERE Key = '\(b)'")
        XCTAssertEqual(try project.recon("plan", "-detailed-exitcode").status, 0, "undeclared columns are no drift")
        project.repo.remove("plugins/p/skills/b")
        project.repo.commit("drop b")
        XCTAssertEqual(try project.recon("apply", "--auto-approve", "--allow", "RC101").status, 0)
        XCTAssertEqual(project.sql("SELECT COUNT(*) FROM Skills WHERE Key = '\(b)'"), ["0"])

        let runs = try runIDs(project)
        let plan = try rollbackJSON(project, runs[1])
        XCTAssertEqual(changes(plan, "recreate"), [b])
        try applyRollback(project, runs[1])
        XCTAssertEqual(project.sql("SELECT Name, Notes, Rank, typeof(Rank) FROM Skills WHERE Key = '\(b)'"),
                       ["b|kept by hand: naïve ✓|7|integer"])
    }
}
