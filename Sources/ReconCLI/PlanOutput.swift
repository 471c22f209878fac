import Apply
import Foundation
import Manifest
import Plan
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
        guard !isFolder.boolValue, isPlan(at: out) else {
            throw ReconError("-out \(shown) already exists and is not a Recon plan file, so it is not replaced", hint: hint)
        }
    }

    /// A file that opens as Recon writes a plan (its header, read from the first bytes: parsing a 100,000-change plan
    /// whole took ~190 MB and a second, issue 12); else, as before, any JSON object with a plan file's members.
    private static func isPlan(at path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: headerBytes) else { return false }
        if PlanFile.opensAsPlan([UInt8](prefix)) { return true }
        guard prefix.count == headerBytes else { return isPlan([UInt8](prefix)) }
        return FileManager.default.contents(atPath: path).map { isPlan([UInt8]($0)) } ?? false
    }

    /// Far more than the header `PlanFile.write` makes (about 100 bytes).
    private static let headerBytes = 64 << 10

    /// A plan file's members and nothing else: an evidence bundle (`runs export`) has a digest, a format version and a
    /// plan too, and is audit evidence, never to be replaced by a plan.
    private static let planMembers: Set<String> = ["digest", "format_version", "plan", "signature"]

    /// A JSON object with the plan file's members only: what `PlanFile.encode` writes.
    private static func isPlan(_ bytes: [UInt8]) -> Bool {
        guard let document = try? JSONParser.parse(bytes), let members = document.objectValue,
              Set(members.keys).isSubset(of: planMembers) else { return false }
        return document["format_version"]?.intValue != nil && document["plan"] != nil && document["digest"]?.stringValue != nil
    }
}
