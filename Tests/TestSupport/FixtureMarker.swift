/// Finds the lines of a fixture marked `# ERROR: ...`, where a diagnostic must point.
public enum FixtureMarker {
    public static func errorLines(in text: String) -> [Int] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains("# ERROR:") }
            .map { $0.offset + 1 }
    }
}
