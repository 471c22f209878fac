/// ANSI styles used by every human view, so the colours mean the same everywhere.
public enum TextStyle: Sendable {
    case bold, red, green, yellow, cyan, dim

    public func apply(to text: String) -> String {
        let code: String
        switch self {
        case .bold: code = "1"
        case .red: code = "31"
        case .green: code = "32"
        case .yellow: code = "33"
        case .cyan: code = "36"
        case .dim: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
