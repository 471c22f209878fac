/// The tool's version, printed by `--version` and recorded in every plan.
public enum ReconVersion {
    public static let current = "0.1.0"
}
