import Foundation
import ReconCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Words for a request that got no answer: the host it went to and the likely cause, since a bare
/// `URLError -1004` tells a person neither where to look nor what to check.
enum AirtableNetworkError {
    static func describe(_ error: URLError, url: URL, timeout: Double) -> String {
        let host = url.host.map { name in url.port.map { "\(name):\($0)" } ?? name } ?? url.absoluteString
        switch error.code {
        case .timedOut:
            return "timed out after \(JSONWriter.format(timeout)) s waiting for \(host) (a slow network, server or proxy)"
        case .cannotConnectToHost:
            return "connection refused by \(host): nothing listens there (check api_url and that the server is up)"
        case .cannotFindHost, .dnsLookupFailed:
            return "cannot find the host \(host) (check api_url for a typo, and the DNS of this machine)"
        case .notConnectedToInternet:
            return "this machine has no network connection (it tried \(host))"
        case .networkConnectionLost:
            return "the connection to \(host) was lost mid-request (a flaky network or proxy)"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot,
             .serverCertificateNotYetValid, .clientCertificateRejected, .clientCertificateRequired:
            return "the TLS connection to \(host) failed (a proxy that intercepts TLS, or an http server behind an https api_url)"
        case .badServerResponse:
            return "\(host) answered with something that is not HTTP (check api_url)"
        default:
            return "the connection to \(host) failed (URL error \(error.code.rawValue); check the network and api_url)"
        }
    }
}
