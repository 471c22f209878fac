import Foundation

/// Run ids: `20261123T041500Z-1a2b3c`, UTC start second plus 24 random bits. They sort by start time
/// as plain strings, and two runs started in the same second still differ.
public enum RunID {
    public static func make(at date: Date = Date()) -> String {
        "\(UTCTimestamp.compact(date))-\(String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF)))"
    }

    /// The start time encoded in `id`, or nil when `id` is not a run id.
    public static func date(of id: String) -> Date? {
        let parts = id.split(separator: "-")
        guard parts.count == 2, parts[1].count == 6, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return UTCTimestamp.parse(String(parts[0]))
    }

    /// Exactly `YYYYMMDDTHHMMSSZ-xxxxxx` over ASCII, so an id can become a path under `runs/` safely.
    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard bytes.count == 23, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"), bytes[16] == UInt8(ascii: "-") else { return false }
        let digits = bytes[0..<8] + bytes[9..<15]
        let hex = bytes[17...]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }),
              hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return false }
        return date(of: id) != nil
    }
}
