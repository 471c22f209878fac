import Dispatch
import ReconCore

/// The one door to the plan's serialized form: canonical JSON, keys sorted, digest over the body.
///
/// Layout: `{"digest": "sha256:…", "format_version": 1, "plan": {…}, "signature": "hmac-sha256:…"}` (the
/// signature only with `RECON_PLAN_KEY`). The digest covers the compact
/// canonical bytes of `plan`, so reformatting the file keeps it valid and editing any value does not.
public enum PlanFile {
    public static func encode(_ plan: Plan, signature: PlanSignature? = nil) -> [UInt8] {
        encoded(plan, signature: signature).bytes
    }

    /// The file's bytes and its digest (apply needs both), encoded once (see `stream`). With
    /// `signature`, the file also carries `"signature": "hmac-sha256:…"` over the same compact bytes.
    public static func encoded(_ plan: Plan, signature: PlanSignature? = nil) -> (bytes: [UInt8], digest: String) {
        var file: [UInt8] = []
        let (digest, _, patch) = stream(plan, signature: signature, chunkSize: 1 << 20) { file += $0 }
        file.replaceSubrange(patch.offset..<(patch.offset + patch.bytes.count), with: patch.bytes)
        return (file, digest)
    }

    /// Writes the file `encode` makes to `path` crash-safely (temp file, fsync, rename), streamed in chunks of about
    /// `chunkSize` bytes, so the file is never whole in memory (with `signature`, the compact body is kept to sign
    /// it). Returns the digest. The bytes are exactly `encode`'s. `bypassingCache`: as `PrivateFile.write`'s, for a copy
    /// that only a rollback or a hook reads.
    public static func write(_ plan: Plan, signature: PlanSignature? = nil, to path: String, chunkSize: Int = 1 << 20,
                             bypassingCache: Bool = false) throws -> String {
        try save(plan, signature: signature, to: path, chunkSize: chunkSize, bypassingCache: bypassingCache).digest
    }

    /// `write`, returning also the SHA-256 of the file's bytes from the body's opening brace to the end
    /// (`bodyBytes`), hashed as they are written: what a plan receipt vouches for, so that apply can skip the
    /// canonical digest of a file whose bytes are exactly these (`verify(_:signature:bodyBytesVouched:)`).
    public static func save(_ plan: Plan, signature: PlanSignature? = nil, to path: String, chunkSize: Int = 1 << 20,
                            bypassingCache: Bool = false) throws -> (digest: String, bodyBytes: String) {
        var digests = (digest: "", bodyBytes: "")
        try PrivateFile.writePatched(to: path, bypassingCache: bypassingCache) { put in
            var failure: Error?
            let (recorded, bodyBytes, patch) = stream(plan, signature: signature, chunkSize: chunkSize) { part in
                guard failure == nil else { return }
                do { try put(part) } catch { failure = error }
            }
            if let failure { throw failure }
            digests = (recorded, bodyBytes)
            return [patch]
        }
        return digests
    }

    /// Encodes the file once, pretty, handing it to `put` in chunks of about `chunkSize`; the digest over the compact
    /// body is taken from the same bytes (`PlanBodyDigest`). The header comes first, so it is written with a
    /// placeholder digest: the returned patch is the real one and where it goes.
    private static func stream(_ plan: Plan, signature: PlanSignature?, chunkSize: Int,
                               put: ([UInt8]) -> Void) -> (digest: String, bodyBytes: String, patch: (offset: Int, bytes: [UInt8])) {
        let placeholder = "sha256:" + String(repeating: "0", count: 64)
        var file = JSONWriter(pretty: true, capacity: chunkSize + (1 << 16))
        file.beginObject()
        file.key("digest")
        let offset = file.bytes.count + 1
        file.string(placeholder)
        file.field("format_version", Plan.formatVersion)
        file.key("plan")
        put(file.takeBytes())
        var body = PlanBodyDigest(keeping: signature != nil)
        // Every byte from the body's brace on, as written (the patch is in the header, before it).
        var written = SHA256()
        PlanEncoder.write(plan, to: &file, drainAt: chunkSize) { writer in
            let part = writer.takeBytes()
            body.feed(part)
            written.update(part)
            put(part)
        }
        let tail = file.takeBytes()
        body.feed(tail)
        written.update(tail)
        put(tail)
        let (digest, compact) = body.digest()
        if let signature { file.field("signature", signature.sign(compact)) }
        file.endObject()
        let end = file.finish()
        written.update(end)
        put(end)
        return (digest, written.hexDigest(), (offset, Array(digest.utf8)))
    }

    /// The digest over the compact body, hashed chunk by chunk as it is made.
    private static func hashed(_ plan: Plan, chunkSize: Int) -> String {
        var hasher = SHA256()
        var compact = JSONWriter(capacity: chunkSize + (1 << 16))
        PlanEncoder.write(plan, to: &compact, drainAt: chunkSize) { writer in hasher.update(writer.takeBytes()) }
        hasher.update(compact.finish())
        return "sha256:" + hasher.hexDigest()
    }

    /// A vouched body: in two halves at once where `write`'s layout shows where to cut (any doubt about the cut, and
    /// it is decoded again in one go, which gives the answer, plan or error).
    private static func vouchedBody(_ bytes: [UInt8], at start: Int, halvingFrom threshold: Int) throws(ReconError) -> Plan {
        if let split = RecordChangeSplit.find(bytes, body: start, minimum: threshold), let plan = try? PlanDecoder.plan(bytes, at: start, halvedAt: split) {
            return plan
        }
        return try PlanDecoder.plan(bytes, at: start)
    }

    /// `PlanFileHeader.bodyBytesDigest` of a file `encode` made: nil when its header does not read as one.
    public static func bodyBytesDigest(_ bytes: [UInt8]) -> String? {
        PlanFileHeader.scan(bytes).map { PlanFileHeader.bodyBytesDigest(bytes, from: $0.start) }
    }

    /// Whether `prefix`, the first bytes of a file, opens exactly as `write` opens a plan file: a digest, then a format
    /// version this recon reads, then the body's brace (an evidence bundle opens otherwise). The body is not read, so a 90 MB plan is not held to tell it from another file.
    public static func opensAsPlan(_ prefix: [UInt8]) -> Bool {
        guard let header = PlanFileHeader.scan(prefix), header.isAsWritten, let version = header.formatVersion else { return false }
        return (1...Plan.formatVersion).contains(version)
    }

    /// The digest `encode` records, for display and ledgers.
    public static func digest(of plan: Plan) -> String {
        hashed(plan, chunkSize: 1 << 20)
    }

    /// `plan` as a plan file gives it back, to compare with a decoded plan value for value: the compact body
    /// encoded and decoded, without the file's pretty form or a digest (nothing is verified here). Record changes
    /// go through one at a time, each replacing its original, so a 100,000-change plan never has its whole
    /// encoding, its JSON tree and two copies of its changes alive at once (the same bytes, decoded the same way).
    public static func roundTrip(_ plan: consuming Plan) throws(ReconError) -> Plan {
        try roundTrip(taking: &plan)
    }

    /// As `roundTrip`, taking the changes out of `plan` (left without them) so each original is freed as its copy is made.
    static func roundTrip(taking plan: inout Plan) throws(ReconError) -> Plan {
        var changes: [RecordChange] = []
        swap(&changes, &plan.recordChanges)
        let managed = plan.managedFields
        var decoded = try PlanDecoder.plan(compact(plan), at: 0)
        var reader = RecordChangeReader(managed: decoded.managedFields, order: decoded.fieldOrder)
        for index in changes.indices {
            var one = JSONWriter(capacity: 1024)
            PlanEncoder.write(changes[index], managed: managed[changes[index].table], to: &one)
            var cursor = JSONCursor(one.finish())
            changes[index] = try reader.resolve(RecordChangeReader.read(&cursor))
        }
        decoded.recordChanges = changes
        return decoded
    }

    private static func compact(_ plan: Plan) -> [UInt8] {
        var compact = JSONWriter(capacity: 1 << 16)
        PlanEncoder.write(plan, to: &compact)
        return compact.finish()
    }

    /// Reads a plan file: the header first, then the body; a digest mismatch means the file was edited.
    /// With `signature`, the file must carry that key's signature of its body.
    public static func decode(_ bytes: [UInt8], signature: PlanSignature? = nil) throws(ReconError) -> Plan {
        try verify(bytes, signature: signature).plan
    }

    /// As `decode`, keeping the bytes read and the digest checked over them (computed once). No tree is built: the
    /// body is hashed in canonical form as it is read (`CanonicalJSONHasher`), then decoded with a cursor.
    ///
    /// A file of `decodingAlongsideFrom` bytes or more has its body decoded on a second core while the digest is
    /// taken (`PlanBodyDecoding`); smaller ones, and files whose body the header scan cannot place, one after the other.
    ///
    /// `bodyBytesVouched` is asked, for a file without a signature to check whose header is exactly what `write` makes,
    /// which body a receipt vouches for under the file's recorded digest: nil for none, else the SHA-256 of the bytes
    /// from the body's brace to the end (`PlanFileHeader.bodyBytesDigest`). When the file's are those, the canonical
    /// re-reading and hashing of the body is skipped (the same bytes have the same digest), and the body, laid out as
    /// `write` lays it out, is decoded in two halves at once (issue 12).
    public static func verify(_ bytes: [UInt8], signature: PlanSignature? = nil,
                              decodingAlongsideFrom threshold: Int = 1 << 20,
                              bodyBytesVouched: ((_ digest: String) -> String?)? = nil) throws(ReconError) -> VerifiedPlan {
        let header = PlanFileHeader.scan(bytes)
        if signature == nil, let vouch = bodyBytesVouched, let header, header.isAsWritten, let recorded = header.digest,
           let version = header.formatVersion, (1...Plan.formatVersion).contains(version) {
            let started = DispatchTime.now().uptimeNanoseconds
            if let expected = vouch(recorded), expected == PlanFileHeader.bodyBytesDigest(bytes, from: header.start) {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                return VerifiedPlan(plan: try vouchedBody(bytes, at: header.start, halvingFrom: threshold),
                                    bytes: bytes, digest: recorded, receiptSeconds: seconds)
            }
        }
        let early = bytes.count >= threshold ? header.map { PlanBodyDecoding(bytes, at: $0.start) } : nil
        // On every way out, the worker is waited for: nothing keeps running on the bytes after the call.
        defer { _ = try? early?.plan() }
        let (start, actual) = try checked(bytes, signature: signature)
        let plan = if let early, early.start == start { try early.plan() } else { try PlanDecoder.plan(bytes, at: start) }
        return VerifiedPlan(plan: plan, bytes: bytes, digest: actual)
    }

    /// The findings a plan file records, checked as `verify` checks the file, with each record change read and let go:
    /// `runs show` of a 100,000-change run held the whole plan as a tree for these few (issue 12).
    public static func findings(_ bytes: [UInt8]) throws(ReconError) -> [CheckFinding] {
        let (start, _) = try checked(bytes, signature: nil)
        return try PlanDecoder.plan(bytes, at: start, cut: nil) { _ throws(ReconError) in }.findings
    }

    /// Where the body starts and the digest it hashes to, once the file's format, digest and signature are checked.
    private static func checked(_ bytes: [UInt8], signature: PlanSignature?) throws(ReconError) -> (start: Int, digest: String) {
        let document: CanonicalJSONHasher.Document
        do {
            document = try CanonicalJSONHasher.read(bytes, hashing: "plan", keeping: signature != nil)
        } catch {
            throw ReconError("the plan file is not valid JSON (\(error))", hint: "make the plan again with 'recon plan -out FILE'")
        }
        guard let version = document.members["format_version"]?.intValue else {
            throw ReconError("the file is not a Recon plan (no format_version)")
        }
        guard version >= 1 else {
            throw ReconError("format_version \(version) is not a plan format (they start at 1)", hint: "make the plan again with 'recon plan -out FILE'")
        }
        guard version <= Plan.formatVersion else {
            throw ReconError("the plan was written in format \(version), newer than this recon reads (\(Plan.formatVersion))",
                             hint: "upgrade recon, or make the plan again with this version")
        }
        guard let start = document.start, let recorded = document.members["digest"]?.stringValue else {
            throw ReconError("the plan file has no plan body or no digest")
        }
        let actual = "sha256:" + document.digest
        guard actual == recorded else {
            throw ReconError("the plan file was modified after it was made: its digest does not match its contents",
                             hint: "recorded \(recorded), contents hash to \(actual); make the plan again with 'recon plan -out FILE'")
        }
        guard bytes[start] == UInt8(ascii: "{") else {
            throw ReconError("the plan body is not an object", hint: "make the plan again with 'recon plan -out FILE'")
        }
        try signature?.verify(document.members["signature"]?.stringValue, body: document.canonical ?? [])
        return (start, actual)
    }
}
