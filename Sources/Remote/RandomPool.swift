import Foundation

/// 64-bit draws from the kernel's generator, taken a block at a time. Safe from several threads. Recon never forks
/// without exec (children are spawned), so no two processes ever share a block.
final class RandomPool: @unchecked Sendable {
    private let lock = NSLock()
    private var draws: [UInt64] = []

    func next() -> (UInt64, UInt64) {
        lock.withLock {
            if draws.count < 2 { draws = Self.block() }
            return (draws.removeLast(), draws.removeLast())
        }
    }

    /// 512 draws from the kernel's generator (`/dev/urandom`, the source `SystemRandomNumberGenerator` reads
    /// through `getrandom`), in one read.
    private static func block() -> [UInt64] {
        var block = [UInt64](repeating: 0, count: 512)
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        let filled = fd >= 0 && block.withUnsafeMutableBytes { buffer in
            defer { close(fd) }
            var done = 0
            while done < buffer.count {
                let count = read(fd, buffer.baseAddress! + done, buffer.count - done)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        if !filled {
            // No /dev/urandom (a chroot?): the generator Swift itself uses, a system call per draw.
            var generator = SystemRandomNumberGenerator()
            for index in block.indices { block[index] = generator.next() }
        }
        return block
    }
}
