import CCrypto

/// HMAC-SHA-256 through libcrypto: signs saved plans with a key only the pipeline holds.
public enum HMACSHA256 {
    public static func hex(key: [UInt8], _ message: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                _ = HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                         message.count, &digest, &length)
            }
        }
        return Hex.encode(digest)
    }

    /// Compares without an early exit, so timing does not tell how much of a forged signature was right.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
