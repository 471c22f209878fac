import ReconCore

/// A duration flag (`--lock-timeout`, `--max-seconds`), parsed by `DurationText` like every other duration.
enum DurationArgument {
    static func seconds(_ text: String, flag: String) throws(ReconError) -> Double {
        guard let value = DurationText.seconds(text) else {
            throw ReconError("invalid duration '\(text)' for --\(flag)", hint: "expected \(DurationText.syntax)")
        }
        return value
    }
}
