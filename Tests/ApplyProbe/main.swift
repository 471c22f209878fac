import Apply
import Foundation
import Manifest
import State

// A tiny process for ApplyTests: holds leases and receives signals as a real `recon apply` would,
// so the tests exercise real processes, real pids and real signals.
//
//   recon-apply-probe hold LOCK SECONDS [TTL]   take the lease, print "acquired ID", hold, release
//   recon-apply-probe race LOCK START_EPOCH     at START_EPOCH try once; print acquired/refused; hold 2 s
//   recon-apply-probe wait LOCK WAIT            take the lease waiting up to WAIT seconds
//   recon-apply-probe cancel [BATCH_SECONDS]    print "ready"; when cancelled, "finish a batch", exit 130
//   recon-apply-probe apply PROJECT PAUSE       `recon apply --auto-approve --batch-size 1` in PROJECT, pausing
//                                               PAUSE s after each batch: prints "lease ID", "batch N", then
//                                               "done STATUS" or "failed: ERROR" (exit 1)
//   recon-apply-probe pg-state URI SCHEMA TARGET SIZE   load or create TARGET's state in PostgreSQL and
//                                               append batches of SIZE records ("b<N>-<i>") until killed,
//                                               printing "batch N" once batch N is committed
//   recon-apply-probe pg-lock URI SCHEMA TARGET SECONDS [WAIT]   take TARGET's PostgreSQL state lock
//                                               (waiting up to WAIT s): "acquired ID" or "refused: ERROR"
//                                               (exit 3); hold SECONDS, release, "released"

/// Unbuffered, so the test sees each line the moment it is said.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func acquire(_ path: String, ttl: TimeInterval = Lease.defaultTTL, wait: TimeInterval? = nil) -> Lease? {
    do {
        let lease = try Lease.acquire(path: path, operation: "probe", ttl: ttl, wait: wait)
        for note in lease.notes { say("note: \(note)") }
        say("acquired \(lease.id)")
        return lease
    } catch {
        say("refused: \(error)")
        return nil
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "hold":
    guard let lease = acquire(arguments[1], ttl: arguments.count > 3 ? Double(arguments[3])! : Lease.defaultTTL) else { exit(3) }
    Thread.sleep(forTimeInterval: Double(arguments[2])!)
    try lease.release()
    say("released")
case "race":
    let start = Date(timeIntervalSince1970: Double(arguments[2])!)
    Thread.sleep(until: start)
    guard let lease = acquire(arguments[1]) else { exit(3) }
    Thread.sleep(forTimeInterval: 2)
    try lease.release()
case "wait":
    guard let lease = acquire(arguments[1], wait: Double(arguments[2])!) else { exit(3) }
    try lease.release()
case "cancel":
    let batch = arguments.count > 1 ? Double(arguments[1])! : 0
    let cancellation = CancellationSignal.install()
    say("ready")
    let giveUp = Date().addingTimeInterval(30)
    while !cancellation.isCancelled, Date() < giveUp { Thread.sleep(forTimeInterval: 0.01) }
    guard let reason = cancellation.reason else { exit(4) }
    say("cancelled \(reason.description)")
    Thread.sleep(forTimeInterval: batch)
    say("batch finished")
    exit(130)
case "apply":
    let project = arguments[1]
    let layout = RunLayout(stateDirectory: project + "/state")
    let statePath = project + "/state/recon.state.json"
    do {
        let lease = try Lease.acquire(path: layout.lockPath, operation: "apply")
        defer { try? lease.release() }
        say("lease \(lease.id)")
        let planned = try PlanRunner(manifestDirectory: project + "/manifests", statePath: statePath,
                                     stateDirectory: layout.stateDirectory, environment: [:]).run()
        let manifest = try ManifestLoader().load(directory: project + "/manifests")
        let session = ApplySession(manifest: manifest, layout: layout, statePath: statePath, environment: [:], batchSize: 1)
        let outcome = try session.apply(planned.plan, refreshed: planned.refreshed, lease: lease, cancellation: CancellationSignal(),
                                        observer: PausingObserver(pause: Double(arguments[2])!))
        say("done \(outcome.status.rawValue)")
    } catch {
        say("failed: \(error)".replacingOccurrences(of: "\n", with: " "))
        exit(1)
    }
case "pg-state":
    do {
        let store = try PostgresStateStore(connectionString: arguments[1], schema: arguments[2], target: arguments[3])
        let size = Int(arguments[4])!
        var state = try store.load(expectedTarget: arguments[3]) ?? StateStore.newState(target: arguments[3])
        let log = try store.beginJournal(for: &state, keepHistory: 5)
        for batch in 1...100_000 {
            let changes = (0..<size).map { index in
                StateChange.putRecord(table: "Skills", key: "b\(batch)-\(index)",
                                      record: ManagedRecord(id: "rec\(batch)x\(index)", values: ["Name": .text("n\(index)")]))
            }
            try log.append(changes, to: &state)
            say("batch \(batch)")
        }
    } catch {
        say("failed: \(error)".replacingOccurrences(of: "\n", with: " "))
        exit(1)
    }
case "pg-lock":
    do {
        let store = try PostgresStateStore(connectionString: arguments[1], schema: arguments[2], target: arguments[3])
        let lock: PostgresStateLock
        do {
            lock = try PostgresStateLock.acquire(store, operation: "probe", wait: arguments.count > 5 ? Double(arguments[5])! : nil)
        } catch {
            say("refused: \(error)".replacingOccurrences(of: "\n", with: " "))
            exit(3)
        }
        say("acquired \(lock.id)")
        Thread.sleep(forTimeInterval: Double(arguments[4])!)
        try lock.release()
        say("released")
    } catch {
        say("failed: \(error)".replacingOccurrences(of: "\n", with: " "))
        exit(1)
    }
default:
    FileHandle.standardError.write(Data("usage: recon-apply-probe hold|race|wait|cancel|apply|pg-state|pg-lock ...\n".utf8))
    exit(2)
}

/// Says each finished batch, then sleeps: a slow base, so a test can act between two batches.
final class PausingObserver: ApplyObserver {
    let pause: TimeInterval
    private var batches = 0

    init(pause: TimeInterval) { self.pause = pause }

    func phaseStarted(_ phase: ApplyPhase, total: Int) {}
    func batchFinished(_ phase: ApplyPhase, done: Int, total: Int) {
        batches += 1
        say("batch \(batches)")
        Thread.sleep(forTimeInterval: pause)
    }
    func recordFinished(_ outcome: EntityOutcome) {}
    func warning(_ message: String) {}
}
