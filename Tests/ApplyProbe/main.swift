import Apply
import Foundation

// A tiny process for ApplyTests: holds leases and receives signals as a real `recon apply` would,
// so the tests exercise real processes, real pids and real signals.
//
//   recon-apply-probe hold LOCK SECONDS [TTL]   take the lease, print "acquired ID", hold, release
//   recon-apply-probe race LOCK START_EPOCH     at START_EPOCH try once; print acquired/refused; hold 2 s
//   recon-apply-probe wait LOCK WAIT            take the lease waiting up to WAIT seconds
//   recon-apply-probe cancel [BATCH_SECONDS]    print "ready"; when cancelled, "finish a batch", exit 130

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
default:
    FileHandle.standardError.write(Data("usage: recon-apply-probe hold|race|wait|cancel ...\n".utf8))
    exit(2)
}
