import Manifest
import ReconCore

/// When two values of a field count as the same: the one place the planner (and so drift) decides it.
/// Values compare by meaning, since a base gives values back in its own spelling: date-times as instants
/// (any offset, fractional seconds), numbers at the field's precision, multiple selects as a set of choices.
public enum FieldComparison {
    public static func equal(_ a: FieldValue?, _ b: FieldValue?, type: FieldType) -> Bool {
        let a = a?.normalized
        let b = b?.normalized
        if a == b { return true }
        switch (type, a, b) {
        case (.number(let precision), .number(let x)?, .number(let y)?):
            let scale = pow10(precision)
            return (x * scale).rounded() == (y * scale).rounded()
        case (.dateTime, .text(let x)?, .text(let y)?):
            guard let x = ISOInstant.nanoseconds(x), let y = ISOInstant.nanoseconds(y) else { return false }
            // Milliseconds are the finest grain every base keeps, and each keeps its own way (Airtable cuts to
            // milliseconds, PostgreSQL rounds to microseconds): instants less than a millisecond apart are one value.
            // Rounding both to milliseconds instead made `.1234995` (→ .123) differ from PostgreSQL's `.1235` (→ .124).
            let apart = (x.seconds - y.seconds) * 1_000_000_000 + (x.nanos - y.nanos)
            return abs(apart) < 1_000_000
        case (.multipleSelects, .list(let x)?, .list(let y)?):
            return Set(x) == Set(y) && x.count == y.count
        default:
            return false
        }
    }

    private static func pow10(_ digits: Int) -> Double {
        var value = 1.0
        for _ in 0..<max(0, digits) { value *= 10 }
        return value
    }
}
