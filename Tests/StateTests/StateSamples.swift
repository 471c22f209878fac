import ReconCore
@testable import State
import TestSupport

/// States with every kind of value, and stores in scratch directories.
enum StateSamples {
    static let target = "sqlite:state/catalog.sqlite"

    static func store(in scratch: TemporaryDirectory) -> StateStore {
        StateStore(path: scratch.file("state/recon.state.json"))
    }

    static func record(_ n: Int) -> ManagedRecord {
        ManagedRecord(id: "rec\(String(format: "%014d", n))", values: [
            "Name": .text("Skill \(n) \"quoted\"\nline"),
            "Stars": .number(Double(n) + 0.25),
            "Reviewed": .bool(n % 2 == 0),
            "Tags": .list(["cli", "ai"]),
            "Plugin": .list(["core:plugins/p\(n % 3)"]),
        ])
    }

    static func populated(records count: Int = 3) -> StateModel {
        var state = StateStore.newState(target: target)
        state.tables["Skills"] = TableState(id: "tblSKILLS0000000", fields: ["Key": "fldKEY0000000000", "Name": "fldNAME000000000"])
        state.tables["Plugins"] = TableState(id: "tblPLUGINS000000", fields: ["Key": "fldPKEY000000000"])
        for n in 0..<count { state.records["Skills", default: [:]]["core:skills/s\(n)/SKILL.md"] = record(n) }
        state.records["Plugins"] = ["core:plugins/p0": ManagedRecord(id: "recP", values: ["Name": .text("P")])]
        state.repos["core"] = RepoState(commit: "0123456789abcdef0123456789abcdef01234567")
        return state
    }
}
