import Apply
import Foundation
import Plan
import ReconCore

/// What apply shows while it works: a progress line for people, or one JSON event per line for scripts.
final class ApplyView: ApplyObserver {
    private let console: Console
    private let json: Bool
    private let events: EventStream
    private var progress: ProgressReporter?
    private var warnings: [String] = []
    /// Wall time per phase, for `--timings`.
    private(set) var timings = StageTimings()
    private var phase: (name: String, started: UInt64)?

    init(console: Console, json: Bool) {
        self.console = console
        self.json = json
        events = EventStream(console: console)
    }

    func phaseStarted(_ phase: ApplyPhase, total: Int) {
        progress?.finish()
        progress = nil
        closePhase()
        self.phase = (phase.rawValue, DispatchTime.now().uptimeNanoseconds)
        if json {
            events.emit(.phase, ["phase": .string(phase.rawValue), "total": .number(Double(total))])
            return
        }
        guard total > 0, [.creates, .updates, .links, .deletes].contains(phase) else { return }
        let mode = ProgressReporter.Mode.choose(isTerminal: console.stderrIsTerminal, json: false)
        let console = self.console
        progress = ProgressReporter(total: total, label: phase.rawValue, mode: mode) { console.write($0, to: .err) }
    }

    func batchFinished(_ phase: ApplyPhase, done: Int, total: Int) {
        if json {
            events.emit(.batch, ["phase": .string(phase.rawValue), "done": .number(Double(done)), "total": .number(Double(total))])
        }
        progress?.update(done: done)
    }

    func recordFinished(_ outcome: EntityOutcome) {
        guard json else { return }
        var object: [String: JSONValue] = ["table": .string(outcome.table), "key": .string(outcome.key),
                                           "action": .string(outcome.action.rawValue), "status": .string(outcome.status.rawValue)]
        if let id = outcome.recordID { object["record_id"] = .string(id) }
        if let error = outcome.error { object["error"] = .string(error) }
        events.emit(.record, object)
    }

    func hookFinished(_ result: HookResult) {
        if json { events.hook(result) }
    }

    func warning(_ message: String) {
        if json { events.emit(.warning, ["message": .string(message)]) } else { warnings.append(message) }
    }

    func finish() {
        progress?.finish()
        progress = nil
        closePhase()
        for warning in warnings { console.line(console.style("warning:", .yellow) + " " + ControlEscape.escapedKeepingLines(warning), to: .err) }
    }

    private func closePhase() {
        guard let phase else { return }
        timings.record(phase.name, seconds: Double(DispatchTime.now().uptimeNanoseconds - phase.started) / 1e9)
        self.phase = nil
    }
}
