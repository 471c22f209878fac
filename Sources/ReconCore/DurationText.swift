/// The one duration syntax Recon reads everywhere (flags, manifest keys, environment variables):
/// a number of seconds with an optional unit, `90`, `1.5s`, `30s`, `2m`, `1h`. One parser, so a value
/// that works in one place works in all of them.
public enum DurationText {
    /// For hints and errors: what a duration may look like.
    public static let syntax = "seconds, or a number with s, m or h (90, 1.5s, 30s, 2m, 1h)"

    /// Seconds, or nil when `text` is not a duration (negative, not finite, unknown unit).
    public static func seconds(_ text: String) -> Double? {
        var number = Substring(text)
        var scale = 1.0
        switch text.last {
        case "s": number = number.dropLast()
        case "m": number = number.dropLast(); scale = 60
        case "h": number = number.dropLast(); scale = 3600
        default: break
        }
        // Double("") is nil; "inf" and "nan" parse, so finiteness is checked too.
        guard number.first?.isNumber == true || number.first == ".", let value = Double(number),
              value.isFinite, value >= 0 else { return nil }
        return value * scale
    }
}
