import ReconCore

/// A request that failed for good. The server's message has the token redacted before it is
/// kept, so nothing built from this value can leak it.
struct AirtableFailure: Error, CustomStringConvertible {
    enum Cause {
        /// The server answered with an error status and (usually) `{"error": {"type", "message"}}`.
        case status(Int, type: String, message: String)
        /// No usable answer: connection refused or lost, timeout, unreadable body.
        case transport(String)
    }

    var method: String
    var path: String
    var cause: Cause

    var type: String? {
        if case .status(_, let type, _) = cause { return type }
        return nil
    }

    var status: Int? {
        if case .status(let status, _, _) = cause { return status }
        return nil
    }

    var description: String {
        switch cause {
        case .status(let status, let type, let message):
            "Airtable refused \(method) \(path): \(status) \(type)\(message.isEmpty ? "" : ": \(message)")"
        case .transport(let message):
            "Airtable did not answer \(method) \(path): \(message)"
        }
    }

    /// The person-facing error, with a hint for the failures people can fix.
    var reconError: ReconError {
        var hint: String?
        switch status {
        case 401: hint = "check that the token's environment variable holds a valid personal access token"
        case 403: hint = "the token lacks a scope (data.records:read/write, schema.bases:read/write) or access to this base"
        case 404: hint = "check the base id (--base-id, RECON_AIRTABLE_BASE or target.base) and that the token can see it"
        case 429: hint = "the base stayed rate limited through every retry; lower requests_per_second or try later"
        case .some(500...): hint = "Airtable kept failing through every retry; try again later"
        default: if case .transport = cause { hint = "check api_url and the network; the request was retried before giving up" }
        }
        return ReconError(description, hint: hint)
    }
}
