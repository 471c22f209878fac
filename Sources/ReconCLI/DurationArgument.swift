import ReconCore

/// Durations on the command line: `90`, `90s`, `5m`, `1h`.
enum DurationArgument {
    static func seconds(_ text: String, flag: String) throws(ReconError) -> Double {
        var number = Substring(text)
        var scale = 1.0
        switch text.last {
        case "s": number = number.dropLast()
        case "m": number = number.dropLast(); scale = 60
        case "h": number = number.dropLast(); scale = 3600
        default: break
        }
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw ReconError("invalid duration '\(text)' for --\(flag)", hint: "expected seconds, or a number with s, m or h (90, 90s, 5m)")
        }
        return value * scale
    }
}
