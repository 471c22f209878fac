/// A value drawn anew in each of Recon's write transactions to a base and part of its change mark: two copies of
/// one base that each took a write of Recon's never share a mark, whatever their serials and logs (issue 12 review).
public enum WriteNonce {
    /// 16 random bytes in hex: safe in SQL text and never drawn twice.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }.joined()
    }
}
