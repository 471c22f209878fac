import ReconCore

/// `RECON_PLAN_KEY`: when set, `plan -out` signs the plan file with HMAC-SHA-256 over its canonical body and
/// `apply` accepts only a file signed with the same key. A digest proves a file is whole; a signature proves it
/// came from someone who holds the key. The key is read from the environment only and never written or printed.
public struct PlanSignature: Sendable {
    public static let environmentVariable = "RECON_PLAN_KEY"
    static let prefix = "hmac-sha256:"

    let key: [UInt8]

    /// The key from the environment; nil when the variable is not set. Set but empty is an error, not "unsigned".
    public static func fromEnvironment(_ environment: [String: String]) throws(ReconError) -> PlanSignature? {
        guard let value = environment[environmentVariable] else { return nil }
        guard !value.isEmpty else {
            throw ReconError("\(environmentVariable) is set but empty", hint: "set it to the signing key, or unset it to use unsigned plans")
        }
        return PlanSignature(key: Array(value.utf8))
    }

    func sign(_ body: [UInt8]) -> String {
        Self.prefix + HMACSHA256.hex(key: key, body)
    }

    /// Throws unless `recorded` is this key's signature of `body`.
    func verify(_ recorded: String?, body: [UInt8]) throws(ReconError) {
        guard let recorded else {
            throw ReconError("the plan is not signed, and \(Self.environmentVariable) requires a signature",
                             hint: "make the plan with 'recon plan -out FILE' where \(Self.environmentVariable) is set to the same key")
        }
        guard HMACSHA256.equal(recorded, sign(body)) else {
            throw ReconError("the plan's signature does not match: it was signed with another key, or edited after signing",
                             hint: "make the plan again with 'recon plan -out FILE' where \(Self.environmentVariable) holds the same key")
        }
    }
}
