import Foundation

/// Shows how far a long run is: on a terminal one live line rewritten in place (done/total, rate, ETA),
/// cleared at the end; in a log a plain line at most every `interval` seconds and a final one; nothing
/// in `--json` mode (the event stream says it) or when there is nothing to do.
public final class ProgressReporter: @unchecked Sendable {
    public enum Mode: Sendable, Equatable {
        case live
        case periodic(interval: TimeInterval)
        case silent

        public static let defaultInterval: TimeInterval = 10

        /// The mode for an output: silent for JSON, live on a terminal, periodic otherwise.
        public static func choose(isTerminal: Bool, json: Bool, interval: TimeInterval = defaultInterval) -> Mode {
            json ? .silent : isTerminal ? .live : .periodic(interval: interval)
        }
    }

    /// A live line is redrawn at most this often, so a fast run does not flood the terminal.
    public static let liveRefresh: TimeInterval = 0.1

    public let total: Int
    public let label: String
    public let mode: Mode
    private let clock: @Sendable () -> Date
    private let output: @Sendable (String) -> Void
    private let lock = NSLock()
    private let started: Date
    private var done = 0
    private var lastShown: Date?
    private var finished = false

    /// `output` receives text exactly as it should be written (stderr, usually); `clock` is injectable
    /// so tests control time.
    public init(total: Int, label: String, mode: Mode, clock: @escaping @Sendable () -> Date = { Date() },
                output: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.label = label
        self.mode = total == 0 ? .silent : mode
        self.clock = clock
        self.output = output
        self.started = clock()
    }

    public func advance(by count: Int = 1) {
        lock.withLock {
            done += count
            show(final: false)
        }
    }

    /// Sets the count outright (after a resume, or from a batch result).
    public func update(done count: Int) {
        lock.withLock {
            done = count
            show(final: false)
        }
    }

    /// Clears the live line, or writes the closing line in a log. Calling it again does nothing.
    public func finish() {
        lock.withLock {
            guard !finished else { return }
            finished = true
            switch mode {
            case .silent: break
            case .live: if lastShown != nil { output("\r\u{1B}[K") }
            case .periodic:
                // A phase over before the first periodic line says nothing a log needs: the summary follows.
                if lastShown != nil { output(line(final: true) + "\n") }
            }
        }
    }

    /// The progress text at this instant, without control characters.
    public func line(final: Bool = false) -> String {
        let elapsed = max(clock().timeIntervalSince(started), 0)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let percent = total > 0 ? Int((Double(done) * 100 / Double(total)).rounded(.down)) : 100
        var text = "\(label): \(done)/\(total) (\(percent)%)"
        if final {
            text += " in \(ProgressReporter.duration(elapsed))"
            if rate > 0 { text += ", \(ProgressReporter.rate(rate))/s" }
            return text
        }
        if rate > 0 {
            text += ", \(ProgressReporter.rate(rate))/s, ETA \(ProgressReporter.duration(Double(max(total - done, 0)) / rate))"
        }
        return text
    }

    private func show(final: Bool) {
        guard !finished else { return }
        let now = clock()
        switch mode {
        case .silent:
            return
        case .live:
            if let lastShown, now.timeIntervalSince(lastShown) < ProgressReporter.liveRefresh, done < total { return }
            lastShown = now
            output("\r\u{1B}[K" + line())
        case .periodic(let interval):
            if now.timeIntervalSince(lastShown ?? started) < interval { return }
            lastShown = now
            output(line() + "\n")
        }
    }

    /// `12s`, `4m05s`, `1h02m`.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, (whole % 3600) / 60)
    }

    /// `0.5`, `42`, `1234`: one decimal below ten per second, whole numbers above.
    static func rate(_ perSecond: Double) -> String {
        perSecond < 10 ? String(format: "%.1f", perSecond) : String(Int(perSecond.rounded()))
    }
}
