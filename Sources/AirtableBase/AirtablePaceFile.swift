import Foundation
import ReconCore

/// The pace of one base shared by every Recon process on this machine: `<folder>/<baseId>`, 0600,
/// read and rewritten under `flock` for each request, so a `plan` run during an `apply` takes its
/// slots from the same sequence instead of adding its own requests on top.
final class AirtablePaceFile: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    /// Nil when the file cannot be opened; the limiter then paces this process alone.
    init?(folder: String, baseID: String) {
        path = folder + "/" + baseID
        guard (try? PrivateFile.createDirectory(folder)) != nil else { return nil }
        descriptor = PrivateFile.open(path, O_RDWR)
        guard descriptor >= 0 else { return nil }
    }

    deinit { close(descriptor) }

    /// Runs `body` on the pace the file holds (or `initial` when it holds none) under an exclusive
    /// lock, and writes the result back. Nil when the file could not be locked or read.
    func update<T>(initial: () -> AirtablePace, _ body: (inout AirtablePace) -> T) -> T? {
        guard flock(descriptor, LOCK_EX) == 0 else { return nil }
        defer { flock(descriptor, LOCK_UN) }
        guard let text = read() else { return nil }
        var pace = AirtablePace.decode(text) ?? initial()
        let result = body(&pace)
        let bytes = Array(pace.encoded().utf8)
        guard ftruncate(descriptor, 0) == 0,
              bytes.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) == bytes.count else { return result }
        return result
    }

    private func read() -> String? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            guard count >= 0 else { return nil }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += chunk[0..<count]
            offset += off_t(count)
            if bytes.count > 64 * 1024 { return "" }
        }
    }
}
