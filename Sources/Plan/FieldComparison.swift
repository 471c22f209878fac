import Manifest
import ReconCore

/// When two values of a field count as the same: after normalization, and numbers at the field's precision
/// (a base may round what it stores).
enum FieldComparison {
    static func equal(_ a: FieldValue?, _ b: FieldValue?, type: FieldType) -> Bool {
        let a = a?.normalized
        let b = b?.normalized
        if a == b { return true }
        if case .number(let precision) = type, case .number(let x)? = a, case .number(let y)? = b {
            let scale = pow10(precision)
            return (x * scale).rounded() == (y * scale).rounded()
        }
        return false
    }

    private static func pow10(_ digits: Int) -> Double {
        var value = 1.0
        for _ in 0..<max(0, digits) { value *= 10 }
        return value
    }
}
