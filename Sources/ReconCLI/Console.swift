import Foundation
import ReconCore

/// Where the CLI writes, and whether it may colour: only on a terminal, never with
/// NO_COLOR set or `--no-color` given.
public final class Console: @unchecked Sendable {
    public enum Stream { case out, err }

    private let lock = NSLock()
    private var capturedOut: [UInt8]?
    private var capturedErr: [UInt8]?
    public var colorEnabled: Bool
    public let stdoutIsTerminal: Bool
    public let stderrIsTerminal: Bool
    public let stdinIsTerminal: Bool

    /// The process's real stdout and stderr.
    public init(environment: [String: String]) {
        stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        stderrIsTerminal = isatty(STDERR_FILENO) == 1
        stdinIsTerminal = isatty(STDIN_FILENO) == 1
        colorEnabled = stdoutIsTerminal && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
    }

    /// A console that keeps what is written, for tests.
    public init(capturing: Void = ()) {
        capturedOut = []
        capturedErr = []
        stdoutIsTerminal = false
        stderrIsTerminal = false
        stdinIsTerminal = false
        colorEnabled = false
    }

    public var standardOutput: String { lock.withLock { String(decoding: capturedOut ?? [], as: UTF8.self) } }
    public var standardError: String { lock.withLock { String(decoding: capturedErr ?? [], as: UTF8.self) } }

    public func write(_ text: String, to stream: Stream = .out) {
        write(Array(text.utf8), to: stream)
    }

    public func write(_ bytes: [UInt8], to stream: Stream = .out) {
        lock.withLock {
            switch stream {
            case .out where capturedOut != nil: capturedOut!.append(contentsOf: bytes)
            case .err where capturedErr != nil: capturedErr!.append(contentsOf: bytes)
            default:
                let handle = stream == .out ? FileHandle.standardOutput : FileHandle.standardError
                handle.write(Data(bytes))
            }
        }
    }

    public func line(_ text: String = "", to stream: Stream = .out) {
        write(text + "\n", to: stream)
    }

    /// A line typed by the user; nil at end of input.
    public func readLine() -> String? {
        Swift.readLine(strippingNewline: true)
    }

    public func style(_ text: String, _ style: TextStyle) -> String {
        colorEnabled ? style.apply(to: text) : text
    }
}

