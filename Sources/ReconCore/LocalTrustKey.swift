import Foundation

/// A secret only this state directory holds (`<state>/.trust-key`, 0600), so a file Recon wrote for itself
/// (an extract cache entry, a plan receipt) can be told from one that merely parses or whose unkeyed
/// checksum someone recomputed. Whoever can read the key can also write the state file; a file copied
/// from another machine or a CI cache without the key is simply not vouched for, and takes the slow path.
public struct LocalTrustKey: Sendable {
    public static let fileName = ".trust-key"
    private let key: [UInt8]

    init(key: [UInt8]) { self.key = key }

    /// The key of `stateDirectory`, made on first use. A key file that is damaged, not this user's, or
    /// readable by others is replaced by a new key: what the old one signed is then just not trusted.
    public static func load(stateDirectory: String) throws -> LocalTrustKey {
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        if let key = read(path) { return LocalTrustKey(key: key) }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try PrivateFile.createDirectory(stateDirectory)
        // Made aside and linked into place, so two runs racing to make the key end up with the same one.
        let temp = path + ".\(getpid()).tmp"
        try PrivateFile.write(Array((Hex.encode(key) + "\n").utf8), to: temp)
        defer { unlink(temp) }
        if link(temp, path) == 0 { return LocalTrustKey(key: key) }
        if errno == EEXIST, let existing = read(path) { return LocalTrustKey(key: existing) }
        // The file there is unusable (damaged or too open): replace it.
        guard rename(temp, path) == 0 else { throw PrivateFile.failure("cannot write the trust key", path) }
        return LocalTrustKey(key: key)
    }

    /// The key in `path`, or nil when there is none or it cannot be trusted.
    private static func read(_ path: String) -> [UInt8]? {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
              info.st_mode & 0o077 == 0, info.st_size == 65 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 65)
        guard Foundation.read(fd, &bytes, 65) == 65, bytes[64] == UInt8(ascii: "\n"),
              let key = Hex.decode(String(decoding: bytes[0..<64], as: UTF8.self)), key.count == 32 else { return nil }
        return key
    }

    /// HMAC-SHA-256 of `message` under the key, in hex.
    public func mac(_ message: [UInt8]) -> String {
        HMACSHA256.hex(key: key, message)
    }

    /// Whether `mac` is this key's MAC of `message`, compared in constant time.
    public func verifies(_ mac: String, _ message: [UInt8]) -> Bool {
        HMACSHA256.equal(mac, self.mac(message))
    }
}
