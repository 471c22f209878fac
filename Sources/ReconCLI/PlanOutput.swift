import Apply
import Foundation
import Manifest
import ReconCore

/// Where `-out FILE` may save a plan: a new file, or one that holds a Recon plan already. Never the
/// state, its journal, Recon's files beside them, the SQLite base, or anything in the manifests folder.
/// Checked before the plan is made, so a refused `-out` writes nothing.
enum PlanOutput {
    static func check(_ out: String, globals: GlobalOptions) throws {
        let shown = PathRule.quoted(out)
        let hint = "save the plan to a new file (e.g. plan.json) or over an earlier plan; nothing was written"
        var database: String?
        // An invalid manifest is reported by the command itself; here it only names the base.
        if let manifest = try? ManifestLoader().load(directory: globals.manifests), case .sqlite(let path) = manifest.target.kind {
            database = path
        }
        let resolved = PathRule.resolved(out)
        if StatePlacement.isReconsOwn(out, statePath: globals.statePath) || database.map(PathRule.resolved) == resolved
            || PathRule.isWithin(resolved, PathRule.resolved(globals.manifests)) {
            throw ReconError("-out \(shown) names one of Recon's own files (the base, the state or the manifests)", hint: hint)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) else { return }
        guard !isFolder.boolValue, let data = FileManager.default.contents(atPath: out), isPlan([UInt8](data)) else {
            throw ReconError("-out \(shown) already exists and is not a Recon plan file, so it is not replaced", hint: hint)
        }
    }

    /// A JSON object with the plan file's header: what `PlanFile.encode` writes.
    private static func isPlan(_ bytes: [UInt8]) -> Bool {
        guard let document = try? JSONParser.parse(bytes) else { return false }
        return document["format_version"]?.intValue != nil && document["plan"] != nil && document["digest"]?.stringValue != nil
    }
}
