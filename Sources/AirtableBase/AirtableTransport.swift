import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange over URLSession, made synchronous because the provider protocol is.
/// Redirects are refused so the Authorization header is never replayed to another host.
///
/// A request sent on a kept-alive connection that the server closes before answering is resent at
/// once by the HTTP stack (libcurl), outside the limiter and without its body, which the server then
/// waits for. So writes and retries go on a session of their own where every request says
/// `Connection: close`: nothing is ever reused there, so nothing is resent but by the client.
final class AirtableTransport: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    /// Reads on their first attempt: connections kept alive between them.
    private var pooled: URLSession!
    /// Writes and retries: a new connection each.
    private var fresh: URLSession!

    /// The timeout asked for, in whole seconds rounded up (at least 1), the one errors name: URLSession on Linux keeps only
    /// whole seconds (swift-corelibs-foundation arms its timer with `Int(timeoutInterval) * 1000` ms), so 1.5 s was cut
    /// to 1 s and under 1 s a request timed out at once.
    let timeout: Double

    init(timeout: Double) {
        self.timeout = max(1, timeout.rounded(.up))
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = self.timeout
        configuration.timeoutIntervalForResource = self.timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        pooled = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        fresh = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    deinit {
        pooled.invalidateAndCancel()
        fresh.invalidateAndCancel()
    }

    /// `freshConnection`: sent on a new connection, closed after the answer (see the type's note).
    func perform(_ request: URLRequest, freshConnection: Bool) -> Result<Response, Error> {
        var request = request
        if freshConnection { request.setValue("close", forHTTPHeaderField: "Connection") }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = (freshConnection ? fresh! : pooled!).dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
                box.result = .success(Response(status: http.statusCode, headers: headers, body: data ?? Data()))
            } else {
                box.result = .failure(URLError(.badServerResponse))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return box.result ?? .failure(URLError(.unknown))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Response, Error>?
    }
}
