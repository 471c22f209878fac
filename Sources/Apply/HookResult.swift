import Foundation
import Manifest
import ReconCore

/// How one hook ran: kept in the run ledger, shown by `recon runs`, and the substance of a hook's error.
public struct HookResult: Sendable, Equatable {
    /// How the command ended. A closed set; `status` names it in JSON.
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut(seconds: Double)
        case notStarted(String)
    }

    public var point: HookPoint
    public var arguments: [String]
    public var ending: Ending
    public var duration: Double
    /// The last part of stdout and stderr together, secrets redacted (`CapturedOutput`).
    public var output: String
    /// Bytes of output left out from the start; 0 when all of it is kept.
    public var droppedBytes: Int

    public init(point: HookPoint, arguments: [String], ending: Ending, duration: Double, output: String = "", droppedBytes: Int = 0) {
        self.point = point
        self.arguments = arguments
        self.ending = ending
        self.duration = duration
        self.output = output
        self.droppedBytes = droppedBytes
    }

    public var succeeded: Bool { ending == .exited(0) }

    /// `hook pre_apply ./scripts/x.sh`
    public var name: String { "hook \(point.rawValue) \(ControlEscape.escaped(arguments.first ?? ""))" }

    /// `exited with status 1`, `timed out after 30 s`, `was killed by signal 9`, `could not start: …`
    public var endingText: String {
        switch ending {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let number): "was killed by signal \(number)"
        case .timedOut(let seconds): "timed out after \(JSONWriter.format(seconds)) s"
        case .notStarted(let reason): "could not start: \(reason)"
        }
    }

    /// The last `count` lines of the output, for an error message.
    public func lastLines(_ count: Int = 10) -> [String] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return Array(lines.suffix(count))
    }

    /// The error that stops a run at a `pre_` point: what failed, how, and its last output.
    public var failure: ReconError {
        let lines = lastLines()
        let cut = droppedBytes > 0 || lines.count < lastLines(.max).count ? " (last \(lines.count) lines)" : ""
        let shown = lines.isEmpty ? "it printed nothing" : "its output\(cut):\n" + lines.map { "  | " + $0 }.joined(separator: "\n")
        return ReconError("\(name) \(endingText); nothing was written", hint: shown)
    }

    // MARK: Ledger form

    var status: String {
        switch ending {
        case .exited(0): "succeeded"
        case .exited: "failed"
        case .signalled: "signalled"
        case .timedOut: "timed_out"
        case .notStarted: "not_started"
        }
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "point": .string(point.rawValue), "argv": .array(arguments.map(JSONValue.string)), "status": .string(status),
            "duration_seconds": .number((duration * 1000).rounded() / 1000), "output": .string(output),
            "output_dropped_bytes": .number(Double(droppedBytes)),
        ]
        switch ending {
        case .exited(let code): object["exit_code"] = .number(Double(code))
        case .signalled(let number): object["signal"] = .number(Double(number))
        case .timedOut(let seconds): object["timeout_seconds"] = .number(seconds)
        case .notStarted(let reason): object["error"] = .string(reason)
        }
        return .object(object)
    }

    /// Nil for an entry this recon cannot read (a point it does not know).
    public init?(json: JSONValue) {
        guard let point = json["point"]?.stringValue.flatMap(HookPoint.init), let status = json["status"]?.stringValue else { return nil }
        let ending: Ending
        switch status {
        case "succeeded", "failed": ending = .exited(Int32(json["exit_code"]?.intValue ?? (status == "succeeded" ? 0 : 1)))
        case "signalled": ending = .signalled(Int32(json["signal"]?.intValue ?? 0))
        case "timed_out": ending = .timedOut(seconds: json["timeout_seconds"]?.numberValue ?? 0)
        case "not_started": ending = .notStarted(json["error"]?.stringValue ?? "")
        default: return nil
        }
        self.init(point: point, arguments: (json["argv"]?.arrayValue ?? []).compactMap(\.stringValue), ending: ending,
                  duration: json["duration_seconds"]?.numberValue ?? 0, output: json["output"]?.stringValue ?? "",
                  droppedBytes: json["output_dropped_bytes"]?.intValue ?? 0)
    }
}
