/// The one JSON form of a diagnostic, shared by `validate --format json` and the extraction cache.
extension Diagnostic {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if let location {
            writer.field("column", location.column)
            writer.field("file", location.file)
        }
        if let hint { writer.field("hint", hint) }
        if let location { writer.field("line", location.line) }
        writer.field("message", message)
        writer.field("severity", severity.rawValue)
        writer.endObject()
    }

    public init?(json: JSONValue) {
        guard let message = json["message"]?.stringValue,
              let severity = json["severity"]?.stringValue.flatMap(Diagnostic.Severity.init(rawValue:))
        else { return nil }
        var location: SourceLocation?
        if let file = json["file"]?.stringValue, let line = json["line"]?.intValue, let column = json["column"]?.intValue {
            location = SourceLocation(file: file, line: line, column: column)
        }
        self.init(severity, at: location, message, hint: json["hint"]?.stringValue)
    }
}
