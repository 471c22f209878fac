import Foundation
import ReconCore
import State

/// The receipts of saved plans: `<state>/cache/plan-receipts/<digest hex>.json`, 0600, written atomically, the
/// newest `keep` kept. Losing one only costs its plan the fast path, so nothing here throws.
struct PlanReceiptStore {
    static let keep = 50

    var stateDirectory: String

    var folder: String { "\(stateDirectory)/cache/plan-receipts" }

    /// False when the folder (or `cache`) is a symlink: then receipts are neither read, written nor removed there.
    private var usable: Bool { StateFolderGuard.isPlain(folder, below: stateDirectory) }

    /// Nil for anything but `sha256:` and 64 lowercase hex digits: the digest becomes a file name.
    func path(digest: String) -> String? {
        guard digest.hasPrefix("sha256:") else { return nil }
        let hex = digest.dropFirst("sha256:".count)
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return "\(folder)/\(hex).json"
    }

    /// The receipt for `digest` when there is one and its MAC verifies; the key is only loaded (made) when there is.
    func read(digest: String) -> PlanReceipt? {
        guard usable, let path = path(digest: digest), let bytes = try? AtomicFile.read(path),
              let key = try? LocalTrustKey.load(stateDirectory: stateDirectory) else { return nil }
        return PlanReceipt.decode(bytes, key: key)
    }

    func write(_ receipt: PlanReceipt) {
        guard usable, let path = path(digest: receipt.planDigest), let key = try? LocalTrustKey.load(stateDirectory: stateDirectory)
        else { return }
        try? PrivateFile.createDirectory(folder)
        try? AtomicFile.write(receipt.encoded(key: key), to: path)
        prune()
    }

    /// Its plan was applied, or refused as stale: the receipt can vouch for nothing any more.
    func remove(digest: String) {
        if usable, let path = path(digest: digest) { _ = unlink(path) }
    }

    /// Keeps the newest `keep` receipts (by modification time), so unapplied plans cannot fill the folder.
    private func prune() {
        guard usable, let names = try? FileManager.default.contentsOfDirectory(atPath: folder), names.count > Self.keep else { return }
        let dated = names.filter { $0.hasSuffix(".json") }.map { name -> (name: String, time: Int) in
            var info = stat()
            guard stat("\(folder)/\(name)", &info) == 0 else { return (name, 0) }
            return (name, Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
        }
        for old in dated.sorted(by: { ($0.time, $0.name) > ($1.time, $1.name) }).dropFirst(Self.keep) {
            _ = unlink("\(folder)/\(old.name)")
        }
    }
}
