import Apply
import Foundation
import ReconCore

/// A `--json` event stream: one JSON object per line on stdout, each with its `event` kind and a UTC `time`.
/// It opens with `start` (naming `stream_version`) and ends with `done` or, on a failure, `error`, so a
/// script can tell a finished stream from a cut one. A new kind of event is one more case of `Kind`.
struct EventStream {
    /// Raised when an event changes shape or meaning; new event kinds and new fields keep it.
    static let version = 1

    enum Kind: String, CaseIterable {
        case start, phase, batch, record, warning, wait, done, error, hook
    }

    /// What failed, from a closed set, so scripts need not match on messages.
    enum ErrorCode: String, CaseIterable {
        case stalePlan = "stale_plan"
        case planRefused = "plan_refused"
        case invalidManifests = "invalid_manifests"
        case notConfirmed = "not_confirmed"
        case failed
    }

    let console: Console

    func emit(_ kind: Kind, _ fields: [String: JSONValue] = [:]) {
        var object = fields
        object["event"] = .string(kind.rawValue)
        object["time"] = .string(UTCTimestamp.string(Date()))
        console.write(JSONValue.object(object).canonicalBytes() + [0x0A])
    }

    func start(command: String) {
        emit(.start, ["command": .string(command), "stream_version": .number(Double(Self.version)),
                      "tool_version": .string(ReconVersion.current)])
    }

    /// `{"event": "wait", "seconds"|"limit": …, "reason": …}`, besides the stderr line.
    func wait(_ notice: WaitNotice) {
        var fields: [String: JSONValue] = ["reason": .string(notice.reason)]
        if let seconds = notice.seconds { fields["seconds"] = .number((seconds * 10).rounded(.up) / 10) }
        if let limit = notice.limit { fields["limit"] = .number(limit) }
        emit(.wait, fields)
    }

    /// `{"event": "hook", "point": …, "argv": […], "status": …}`: a hook ended, as its ledger entry says it.
    func hook(_ result: HookResult) {
        emit(.hook, result.json.objectValue ?? [:])
    }

    /// The last event of a failed run: the message the error prints to stderr, its hint and the exit code.
    func error(_ error: any Error, exitCode: ExitCode, code known: ErrorCode? = nil) {
        var fields: [String: JSONValue] = ["exit_code": .number(Double(exitCode.rawValue))]
        let code: ErrorCode
        switch error {
        case let error as ReconError:
            fields["message"] = .string(error.message)
            if let hint = error.hint { fields["hint"] = .string(hint) }
            code = .failed
        case let error as DiagnosticsError:
            fields["message"] = .string(error.description)
            code = .invalidManifests
        case let error as StalePlanError:
            fields["message"] = .string(error.description)
            code = .stalePlan
        case let error as PlanRefusal:
            fields["message"] = .string(error.description)
            code = .planRefused
        default:
            fields["message"] = .string("\(error)")
            code = .failed
        }
        fields["code"] = .string((known ?? code).rawValue)
        emit(.error, fields)
    }
}
