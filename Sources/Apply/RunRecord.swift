import Foundation
import ReconCore

/// The contents of a run's `ledger.json`: what ran, against what, how far it got and how it ended.
public struct RunRecord: Sendable, Equatable {
    public static let formatVersion = 1

    /// A named stretch of the run (`lock`, `verify`, `backup`, `schema`, `creates`...), in order.
    public struct Phase: Sendable, Equatable {
        public var name: String
        public var started: Date
        public var finished: Date?

        public init(name: String, started: Date, finished: Date? = nil) {
            self.name = name
            self.started = started
            self.finished = finished
        }
    }

    public var id: String
    public var operation: RunOperation
    /// The digest of the plan applied, so a run can be matched with its reviewed plan file.
    public var planDigest: String
    public var target: String
    /// The lease held while running: a `running` ledger whose lease is gone was interrupted.
    public var leaseID: String?
    public var started: Date
    public var finished: Date?
    public var heartbeat: Date
    public var phases: [Phase] = []
    public var counters = RunCounters()
    public var status: RunStatus = .running
    public var error: String?
    public var warnings: [String] = []
    /// The hooks run, in order (docs/hooks.md); written only when there are some.
    public var hooks: [HookResult] = []
    /// Who ran it and where (`user@host`, host, pid): for the report, and to tell a dead lock-less run.
    public var owner: String?
    public var host: String?
    public var pid: Int32?
    /// A drift check's counts; nil for other operations.
    public var drift: DriftCounts?

    public init(id: String, operation: RunOperation, planDigest: String, target: String, leaseID: String?,
                started: Date) {
        self.id = id
        self.operation = operation
        self.planDigest = planDigest
        self.target = target
        self.leaseID = leaseID
        self.started = started
        self.heartbeat = started
    }

    /// Whether a run that holds no lease (a drift check) may still be going: its process is alive on this
    /// host, or it ran on another host, where this one cannot tell.
    public var processMayBeAlive: Bool {
        guard let pid, let host, host == LeaseInfo.localHost, pid > 0 else { return true }
        return kill(pid, 0) == 0 || errno != ESRCH
    }

    /// From start to finish, or to the last heartbeat for a run that has not finished.
    public var duration: TimeInterval { (finished ?? heartbeat).timeIntervalSince(started) }

    // MARK: File form

    public func encoded() -> [UInt8] {
        func time(_ date: Date?) -> JSONValue { date.map { .string(UTCTimestamp.string($0)) } ?? .null }
        let phaseValues: [JSONValue] = phases.map {
            .object(["name": .string($0.name), "started": time($0.started), "finished": time($0.finished)])
        }
        var value: JSONValue = [
            "format_version": .number(Double(RunRecord.formatVersion)), "id": .string(id),
            "operation": .string(operation.rawValue), "plan_digest": .string(planDigest), "target": .string(target),
            "lease_id": leaseID.map(JSONValue.string) ?? .null, "started": time(started), "finished": time(finished),
            "heartbeat": time(heartbeat), "phases": .array(phaseValues), "counters": counters.json,
            "status": .string(status.rawValue), "error": error.map(JSONValue.string) ?? .null,
            "warnings": .array(warnings.map(JSONValue.string)),
            "owner": owner.map(JSONValue.string) ?? .null, "host": host.map(JSONValue.string) ?? .null,
            "pid": pid.map { .number(Double($0)) } ?? .null, "drift": drift?.json ?? .null,
        ]
        if !hooks.isEmpty, case .object(var members) = value {
            members["hooks"] = .array(hooks.map(\.json))
            value = .object(members)
        }
        return value.canonicalBytes(pretty: true)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> RunRecord {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ReconError("\(path): not a run ledger: \(error)")
        }
        if let version = value["format_version"]?.intValue, version > formatVersion {
            throw ReconError("\(path): run ledger format \(version) is newer than this recon understands (\(formatVersion))",
                             hint: "use a newer recon to read it")
        }
        func date(_ member: JSONValue?) -> Date? { member?.stringValue.flatMap(UTCTimestamp.parse) }
        guard let id = value["id"]?.stringValue,
              let operation = value["operation"]?.stringValue.flatMap(RunOperation.init),
              let started = date(value["started"]),
              let status = value["status"]?.stringValue.flatMap(RunStatus.init), status != .interrupted
        else {
            throw ReconError("\(path): not a run ledger: expected id, operation, started and status")
        }
        var record = RunRecord(id: id, operation: operation, planDigest: value["plan_digest"]?.stringValue ?? "",
                               target: value["target"]?.stringValue ?? "", leaseID: value["lease_id"]?.stringValue,
                               started: started)
        record.finished = date(value["finished"])
        record.heartbeat = date(value["heartbeat"]) ?? started
        record.phases = (value["phases"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue, let begun = date(item["started"]) else { return nil }
            return Phase(name: name, started: begun, finished: date(item["finished"]))
        }
        record.counters = RunCounters(json: value["counters"])
        record.status = status
        record.error = value["error"]?.stringValue
        record.warnings = (value["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
        record.hooks = (value["hooks"]?.arrayValue ?? []).compactMap(HookResult.init(json:))
        record.owner = value["owner"]?.stringValue
        record.host = value["host"]?.stringValue
        record.pid = value["pid"]?.intValue.map { Int32(truncatingIfNeeded: $0) }
        record.drift = DriftCounts(json: value["drift"])
        return record
    }
}
