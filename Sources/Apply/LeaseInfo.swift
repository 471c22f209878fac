import Foundation
import ReconCore

/// What a lease file says: who holds the state, doing what, until when. Stored as canonical JSON.
public struct LeaseInfo: Sendable, Equatable {
    public var id: String
    /// `user@host`, for people reading an error.
    public var owner: String
    public var pid: Int32
    public var host: String
    /// What the holder is doing: `apply`, `rollback`, `prune`...
    public var operation: String
    public var created: Date
    public var expires: Date

    public init(id: String, owner: String, pid: Int32, host: String, operation: String, created: Date, expires: Date) {
        self.id = id
        self.owner = owner
        self.pid = pid
        self.host = host
        self.operation = operation
        self.created = created
        self.expires = expires
    }

    /// Why this lease may be broken, or nil while its holder may still be working: it expired (its holder
    /// stopped heartbeating), or it names a process on this host that no longer exists.
    public func staleness(now: Date = Date(), localHost: String = LeaseInfo.localHost) -> String? {
        if expires <= now {
            return "it expired at \(UTCTimestamp.string(expires))"
        }
        if host == localHost, pid > 0, kill(pid, 0) != 0, errno == ESRCH {
            return "its process \(pid) on \(host) no longer exists"
        }
        return nil
    }

    /// One line naming the holder, for errors and notes; what the lease file says is escaped (`ControlEscape`).
    public var holderDescription: String {
        let shown = ControlEscape.escaped
        return "\(shown(owner)) (pid \(pid) on \(shown(host))) for '\(shown(operation))' since \(UTCTimestamp.string(created)), "
            + "expires \(UTCTimestamp.string(expires)), lease id \(shown(id))"
    }

    // MARK: File form

    public func encoded() -> [UInt8] {
        let value: JSONValue = [
            "id": .string(id), "owner": .string(owner), "pid": .number(Double(pid)), "host": .string(host),
            "operation": .string(operation), "created": .string(UTCTimestamp.string(created)),
            "expires": .string(UTCTimestamp.string(expires)),
        ]
        return value.canonicalBytes(pretty: true)
    }

    /// Decodes a lease file; the error names the file so a person can inspect or remove it.
    public static func decode(_ bytes: [UInt8], path: String) throws -> LeaseInfo {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw unreadable(path, "\(error)")
        }
        guard let id = value["id"]?.stringValue, let owner = value["owner"]?.stringValue,
              let pid = value["pid"]?.intValue, let host = value["host"]?.stringValue,
              let operation = value["operation"]?.stringValue,
              let created = value["created"]?.stringValue.flatMap(UTCTimestamp.parse),
              let expires = value["expires"]?.stringValue.flatMap(UTCTimestamp.parse)
        else {
            throw unreadable(path, "expected id, owner, pid, host, operation, created and expires")
        }
        return LeaseInfo(id: id, owner: owner, pid: Int32(truncatingIfNeeded: pid), host: host, operation: operation,
                         created: created, expires: expires)
    }

    private static func unreadable(_ path: String, _ detail: String) -> ReconError {
        ReconError("the lock file \(path) is not a valid lease: \(detail)",
                   hint: "if no recon run is active, remove \(path) by hand")
    }

    // MARK: Who we are

    /// This machine's name as `gethostname` gives it.
    public static var localHost: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The login name: `$USER`, else the password database, else the numeric uid.
    public static var localUser: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid\(geteuid())"
    }
}
