import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 with an ephemeral port: POSIX sockets, one background
/// thread, one request per connection. Bounded (head and body sizes, read timeouts) and stoppable.
/// With `keepAlive`, as real servers do, a connection serves requests until the client closes it, asks
/// `Connection: close`, or idles past the read timeout, each connection on a thread of its own.
/// The handler returns nil to close the connection without answering (a lost response). A request
/// whose body never arrives whole still reaches the handler (`bodyComplete` false), so it is seen.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse?

    public static let maxHeadBytes = 64 * 1024
    public static let maxBodyBytes = 16 * 1024 * 1024

    public private(set) var port: UInt16 = 0
    private let listener: Int32
    private let handler: Handler
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopping = false
    private let keepAlive: Bool
    /// Kept-alive connections being served, shut down by `stop`.
    private var open: Set<Int32> = []

    public init(keepAlive: Bool = false, handler: @escaping Handler) throws {
        self.handler = handler
        self.keepAlive = keepAlive
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-http-\(port)"
        thread.start()
    }

    /// Stops accepting, closes the socket and waits for the server thread to end.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        for connection in lock.withLock({ open }) { shutdown(connection, Int32(SHUT_RDWR)) }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        finished.wait()
    }

    deinit { stop() }

    private func acceptLoop() {
        defer { finished.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR && !lock.withLock({ stopping }) { continue }
                return
            }
            guard keepAlive else {
                _ = serve(connection)
                close(connection)
                continue
            }
            lock.withLock { _ = open.insert(connection) }
            Thread { [self] in
                while serve(connection) {}
                lock.withLock { _ = open.remove(connection) }
                close(connection)
            }.start()
        }
    }

    /// Serves one request; true when the connection stays open for the next.
    private func serve(_ connection: Int32) -> Bool {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = read(connection) else { return false }
        guard var response = handler(request) else {
            shutdown(connection, Int32(SHUT_RDWR))
            return false
        }
        response.keepAlive = keepAlive && request.headers["connection"]?.lowercased() != "close" && request.bodyComplete
        write(response.bytes, to: connection)
        return response.keepAlive
    }

    private func read(_ connection: Int32) -> HTTPRequest? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            guard buffer.count < Self.maxHeadBytes else { return nil }
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            headEnd = Self.find(separator, in: buffer)
        }
        guard let end = headEnd, var request = HTTPRequest.parseHead(String(decoding: buffer[0..<end], as: UTF8.self)) else { return nil }
        let length = Int(request.headers["content-length"] ?? "0") ?? 0
        guard length <= Self.maxBodyBytes else { return nil }
        if request.headers["expect"]?.lowercased() == "100-continue" {
            write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), to: connection)
        }
        var body = Array(buffer[(end + 4)...])
        while body.count < length {
            let count = recv(connection, &chunk, min(chunk.count, length - body.count), 0)
            guard count > 0 else {
                request.bodyComplete = false
                break
            }
            body += chunk[0..<count]
        }
        request.body = Array(body.prefix(length))
        return request
    }

    private func write(_ bytes: [UInt8], to connection: Int32) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }
}
