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
        // A closed pipe is an EPIPE to handle, not a signal that kills the process mid-write.
        signal(SIGPIPE, SIG_IGN)
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
                writeAll(bytes, to: stream == .out ? STDOUT_FILENO : STDERR_FILENO)
            }
        }
    }

    /// Streams whose reader went away (`recon plan | head`): later output to them is dropped, and the
    /// run goes on to finish its work — an apply must not die half-way because a pager closed.
    private var closed: Set<Int32> = []

    /// Why standard output could not take what was written (errno), other than a reader that went away: a full disk
    /// under `recon state pull > backup.json`. The run then ends with an error (`ReconCLI.run`), never with 0 and a
    /// cut file.
    public var outputFailure: Int32? { lock.withLock { failedOut } }
    private var failedOut: Int32?

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        guard !closed.contains(descriptor) else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                // A non-blocking descriptor inherited from the parent: wait until it takes more, as a blocking one would.
                if code == EAGAIN || code == EWOULDBLOCK {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                }
                if code != EPIPE, descriptor == STDOUT_FILENO { failedOut = code }
                closed.insert(descriptor)
                return
            }
            offset += written
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

