import Apply
import Foundation
import ReconCore

/// Renders a `LockStatus` as lines for a person or one JSON document, from the same value.
struct LockView {
    let console: Console

    func text(_ status: LockStatus, now: Date = Date()) -> String {
        let shown = ControlEscape.escaped
        guard let holder = status.holder else { return "The state is not locked (\(shown(status.location))).\n" }
        let alive = switch status.processAlive {
        case true?: "alive"
        case false?: "not running"
        case nil: "on another host: cannot tell from here"
        }
        let age = RunsView.duration(max(now.timeIntervalSince(holder.created), 0))
        let left = holder.expires.timeIntervalSince(now)
        let expiry = left > 0 ? "in \(RunsView.duration(left))" : "\(RunsView.duration(-left)) ago"
        var out = (status.stale == nil ? console.style("The state is locked", .yellow) : console.style("The state has a stale lock", .red))
            + " (\(shown(status.location))).\n"
        out += "  holder:     \(shown(holder.owner))\n"
        out += "  pid:        \(holder.pid) on \(shown(holder.host)) (\(alive))\n"
        out += "  operation:  \(shown(holder.operation))\n"
        out += "  since:      \(UTCTimestamp.string(holder.created)) (\(age) ago)\n"
        out += "  expires:    \(UTCTimestamp.string(holder.expires)) (\(expiry))\n"
        out += "  lease id:   \(shown(holder.id))\n"
        if let stale = status.stale, let command = status.forceUnlockCommand {
            out += "Stale: \(shown(stale)). The next run breaks it; to remove it now:\n  \(command)\n"
        }
        return out
    }

    func json(_ status: LockStatus, now: Date = Date()) -> [UInt8] {
        let holder: JSONValue = status.holder.map { lease in
            .object([
                "id": .string(lease.id), "owner": .string(lease.owner), "pid": .number(Double(lease.pid)), "host": .string(lease.host),
                "operation": .string(lease.operation), "created": .string(UTCTimestamp.string(lease.created)),
                "expires": .string(UTCTimestamp.string(lease.expires)),
                "age_seconds": .number((now.timeIntervalSince(lease.created) * 1000).rounded() / 1000),
                "expires_in_seconds": .number((lease.expires.timeIntervalSince(now) * 1000).rounded() / 1000),
                "process_alive": status.processAlive.map(JSONValue.bool) ?? .null,
            ])
        } ?? .null
        let document: JSONValue = [
            "format_version": 1, "locked": .bool(status.isLocked), "backend": .string(status.backend),
            "location": .string(status.location), "holder": holder, "stale": status.stale.map(JSONValue.string) ?? .null,
            "force_unlock": status.forceUnlockCommand.map(JSONValue.string) ?? .null,
        ]
        return document.canonicalBytes(pretty: true)
    }
}
