import ReconCore

/// Text made safe for HTML and XML: control characters shown as `\u{XX}` (they are invalid in XML and
/// invisible on a page), then the five markup characters as entities. Every string from data goes through it.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in ControlEscape.escaped(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
