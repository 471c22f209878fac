/// Why bytes are not the JSON document a reader expected (the state, its journal, the extract cache).
public enum JSONDecodeFailure: Error, Equatable {
    /// Not JSON, or cut short: where the parser stopped.
    case syntax(line: Int, column: Int, message: String)
    /// JSON of the wrong shape: the key path and what was expected there.
    case shape(path: String, expected: String)
    /// A format version this recon does not know.
    case newerVersion(Int)
}
