import Foundation

/// The one textual form of instants in leases and run ledgers: `2026-11-23T04:15:00.123Z`.
/// Fixed width, UTC, milliseconds, so strings sort like the instants and short lease TTLs stay exact.
public enum UTCTimestamp {
    public static func string(_ date: Date) -> String {
        let (parts, millis) = split(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    /// `date` cut to what `string` keeps (milliseconds), so a value read back from a file equals it.
    public static func truncated(_ date: Date) -> Date {
        parse(string(date)) ?? date
    }

    /// The compact form used in run ids: `20261123T041500Z`.
    public static func compact(_ date: Date) -> String {
        let (parts, _) = split(date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Parses `string`'s output (milliseconds optional) or the compact form; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= digits.count else { return nil }
            var value = 0
            for byte in digits[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        var parts = tm()
        var millis = 0
        if digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") {
            guard let y = number(0, 4), let mo = number(4, 2), let d = number(6, 2), let h = number(9, 2),
                  let mi = number(11, 2), let s = number(13, 2) else { return nil }
            (parts.tm_year, parts.tm_mon, parts.tm_mday) = (Int32(y - 1900), Int32(mo - 1), Int32(d))
            (parts.tm_hour, parts.tm_min, parts.tm_sec) = (Int32(h), Int32(mi), Int32(s))
        } else {
            guard digits.count == 20 || digits.count == 24, digits.last == UInt8(ascii: "Z"),
                  let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2),
                  let mi = number(14, 2), let s = number(17, 2) else { return nil }
            if digits.count == 24 {
                guard digits[19] == UInt8(ascii: "."), let ms = number(20, 3) else { return nil }
                millis = ms
            }
            (parts.tm_year, parts.tm_mon, parts.tm_mday) = (Int32(y - 1900), Int32(mo - 1), Int32(d))
            (parts.tm_hour, parts.tm_min, parts.tm_sec) = (Int32(h), Int32(mi), Int32(s))
        }
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }

    private static func split(_ date: Date) -> (tm, Int) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = min(999, Int(((interval - Double(seconds)) * 1000).rounded(.down)))
        return (parts, millis)
    }
}
