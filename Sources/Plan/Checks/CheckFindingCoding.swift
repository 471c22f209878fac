import Manifest
import ReconCore

/// The plan file's `findings`: written only when there are some, read strictly (every member known and typed),
/// so a finding cannot be edited into another shape; the digest and signature cover it like every change.
enum CheckFindingCoding {
    private static let members: Set<String> = ["code", "count", "level", "message", "repo", "table", "total"]

    static func write(_ findings: [CheckFinding], to w: inout JSONWriter) {
        guard !findings.isEmpty else { return }
        w.key("findings")
        w.beginArray()
        for finding in findings {
            w.beginObject()
            w.field("code", finding.code.rawValue)
            w.field("count", finding.count)
            w.field("level", finding.level.rawValue)
            w.field("message", finding.message)
            if let repo = finding.repo { w.field("repo", repo) }
            w.field("table", finding.table)
            if let total = finding.total { w.field("total", total) }
            w.endObject()
        }
        w.endArray()
    }

    static func read(_ body: JSONValue) throws(ReconError) -> [CheckFinding] {
        guard body["findings"] != nil else { return [] }
        var findings: [CheckFinding] = []
        for json in try PlanJSON.array(body, "findings") {
            guard let object = json.objectValue, Set(object.keys).isSubset(of: members),
                  let code = CheckCode(rawValue: try PlanJSON.string(json, "code") ?? ""),
                  let level = CheckLevel(rawValue: try PlanJSON.string(json, "level") ?? ""), level != .off,
                  let table = try PlanJSON.string(json, "table"), let message = try PlanJSON.string(json, "message"),
                  let count = try PlanJSON.int(json, "count") else {
                throw ReconError("the plan file is damaged: a finding must hold a known 'code', 'level' (error or warning), "
                    + "'table', 'count' and 'message', and nothing else", hint: "make the plan again with 'recon plan -out FILE'")
            }
            findings.append(CheckFinding(code: code, level: level, table: table, repo: try PlanJSON.string(json, "repo"),
                                         count: count, total: try PlanJSON.int(json, "total"), message: message))
        }
        return findings
    }
}
