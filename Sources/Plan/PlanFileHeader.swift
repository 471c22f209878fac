import ReconCore

/// The members a plan file gives before its body (`digest`, `format_version`), read without touching the body, and
/// where the body starts. Nothing here is trusted by itself: `PlanFile.verify` takes the header on its word only when
/// a receipt vouches for the body's very bytes (`bodyBytesDigest`); else the whole file is read strictly and hashed.
struct PlanFileHeader {
    /// The top-level keys before `plan`, in file order.
    var keys: [String] = []
    var digest: String?
    var formatVersion: Int?
    /// The index of the body's opening brace.
    var start: Int

    /// Whether the header is exactly what `PlanFile.write` makes: the digest and the format version, once each.
    var isAsWritten: Bool { keys == ["digest", "format_version"] && digest != nil && formatVersion != nil }

    /// The header of `bytes`, or nil when the members before `plan` do not read plainly or `plan` is not an object.
    static func scan(_ bytes: [UInt8]) -> PlanFileHeader? {
        var cursor = JSONCursor(bytes)
        var header = PlanFileHeader(start: 0)
        do {
            try cursor.beginObject()
            while let key = try cursor.nextKey() {
                guard key != "plan" else {
                    var index = cursor.offset
                    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
                    header.start = index
                    return header
                }
                header.keys.append(key)
                // Small values: read whole, whatever their type (only `isAsWritten` asks for the right ones).
                let value = try cursor.value()
                if key == "digest" { header.digest = value.stringValue }
                if key == "format_version" { header.formatVersion = value.intValue }
            }
        } catch {
            return nil
        }
        return nil
    }

    /// SHA-256 (hex) of the file's bytes from the body's opening brace to the end: what a receipt vouches for.
    static func bodyBytesDigest(_ bytes: [UInt8], from start: Int) -> String {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        return hasher.hexDigest()
    }
}
