import Foundation
import TestSupport
import XCTest

/// A running `recon-apply-probe` (built beside `recon`), with its stdout read line by line.
final class ProbeProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var buffer = Data()

    static var executable: String {
        URL(fileURLWithPath: ReconProcess.executable).deletingLastPathComponent().appendingPathComponent("recon-apply-probe").path
    }

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: ProbeProcess.executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.receive(handle.availableData)
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    private func receive(_ data: Data) {
        condition.lock()
        buffer.append(data)
        while let newline = buffer.firstIndex(of: 0x0A) {
            lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
        condition.broadcast()
        condition.unlock()
    }

    /// The first line starting with `prefix`, waiting up to `timeout` seconds for it.
    func waitForLine(_ prefix: String, timeout: TimeInterval = 20) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let line = lines.first(where: { $0.hasPrefix(prefix) }) { return line }
            guard condition.wait(until: deadline) else { return lines.first(where: { $0.hasPrefix(prefix) }) }
        }
    }

    /// Waits for the process to end and returns its status with everything it printed.
    func finish(timeout: TimeInterval = 30) -> (status: Int32, lines: [String]) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        receive(output.fileHandleForReading.readDataToEndOfFile())
        condition.lock()
        defer { condition.unlock() }
        return (process.terminationStatus, lines)
    }

    func signal(_ number: Int32) { kill(pid, number) }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
    }
}
