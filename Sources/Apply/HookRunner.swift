import Extract
import Foundation
import Manifest
import Plan
import ReconCore

/// Runs the manifests' hooks of one point: each command without a shell, in the project directory (recon's
/// working directory, after `-chdir`), in
/// a process group of its own that is killed whole at the timeout (SIGTERM, then SIGKILL after `grace`)
/// and when the command ends, so nothing it started outlives it (docs/hooks.md).
public struct HookRunner {
    /// Seconds between SIGTERM and SIGKILL at a timeout.
    public static let grace = 2.0
    /// How long output still in the pipe is read once the command and its group are gone.
    static let drainSeconds = 1.0

    public var hooks: [HookSpec]
    /// recon's environment: what `HookInvocation` picks from, and the secrets redacted from output.
    public var environment: [String: String]
    public var projectDirectory: String
    /// Variables whose values never reach a ledger even when a hook prints them.
    public var secretNames: [String]
    /// Told each result as it comes (the ledger, the JSON event stream).
    public var onResult: ((HookResult) -> Void)?

    public init(manifest: Manifest, environment: [String: String],
                projectDirectory: String = FileManager.default.currentDirectoryPath, onResult: ((HookResult) -> Void)? = nil) {
        hooks = manifest.hooks
        self.environment = environment
        self.projectDirectory = projectDirectory
        var secrets = [PlanSignature.environmentVariable, manifest.state.urlEnv]
        if case .airtable(let airtable) = manifest.target.kind { secrets.append(airtable.tokenEnv) }
        secretNames = secrets
        self.onResult = onResult
    }

    /// Runs the point's hooks in order. At a `pre_` point the first failure stops the rest and is thrown
    /// (`HookResult.failure`); elsewhere every hook runs and each failure comes back as a warning.
    @discardableResult
    public func run(_ point: HookPoint, _ invocation: HookInvocation) throws -> [String] {
        var warnings: [String] = []
        for hook in hooks where hook.point == point {
            let result = run(hook, invocation)
            onResult?(result)
            guard !result.succeeded else { continue }
            if point.stopsRun { throw result.failure }
            let last = result.lastLines(3)
            warnings.append("\(result.name) \(result.endingText)" + (last.isEmpty ? "" : ": " + last.joined(separator: " / ")))
        }
        return warnings
    }

    public var isEmpty: Bool { hooks.isEmpty }

    public func has(_ point: HookPoint) -> Bool { hooks.contains { $0.point == point } }

    func run(_ hook: HookSpec, _ invocation: HookInvocation) -> HookResult {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        let command = hook.command
        let executable = command.contains("/") && !command.hasPrefix("/") ? projectDirectory + "/" + command : nil
        let child: ChildProcess
        do {
            child = try ChildProcess(hook.arguments, executable: executable, environment: invocation.environment(for: hook, from: environment),
                                     feedsInput: false, combinesOutput: true,
                                     timeout: hook.timeout, grace: Self.grace)
        } catch {
            let reason = (error as? ReconError)?.message ?? "\(error)"
            return HookResult(point: hook.point, arguments: hook.arguments, ending: .notStarted(reason), duration: elapsed())
        }
        var output = CapturedOutput()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var noticed = false
        func notice() {
            guard !noticed, elapsed() >= WaitNotice.threshold else { return }
            noticed = true
            WaitNotice.report(WaitNotice(limit: hook.timeout, reason: "hook \(hook.point.rawValue) \(ControlEscape.escaped(command))"))
        }
        var open = true
        // Read until the command ends (the timeout's watchdog bounds it). A child it left behind may hold
        // the pipe open, and one may have closed it early: the end of the output is not the end of the command.
        while !child.hasEnded {
            if open {
                open = read(child.stdout, into: &chunk, output: &output, waitMilliseconds: 200)
            } else {
                usleep(50_000)
            }
            notice()
        }
        // The ended leader, not yet reaped, still holds the group's id: whatever it left running goes now.
        child.kill()
        let until = elapsed() + Self.drainSeconds
        while open, elapsed() < until { open = read(child.stdout, into: &chunk, output: &output, waitMilliseconds: 100) }
        close(child.stdout)
        let ended = child.wait()
        let ending: HookResult.Ending
        if child.timedOut {
            ending = .timedOut(seconds: hook.timeout)
        } else {
            switch ended {
            case .exited(let code): ending = .exited(code)
            case .signalled(let number): ending = .signalled(number)
            }
        }
        let secrets = (secretNames + hook.env.map(\.value)).compactMap { environment[$0] }
        let kept = output.finished(redacting: secrets)
        return HookResult(point: hook.point, arguments: hook.arguments, ending: ending, duration: elapsed(),
                          output: kept.text, droppedBytes: kept.dropped)
    }

    /// One read when the pipe is ready within the wait; false at the end of the output.
    private func read(_ descriptor: Int32, into chunk: inout [UInt8], output: inout CapturedOutput, waitMilliseconds: Int32) -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, waitMilliseconds) > 0 else { return true }
        let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, $0.count) }
        if count > 0 {
            output.append(chunk[0..<count])
            return true
        }
        return count < 0 && (errno == EINTR || errno == EAGAIN)
    }
}
