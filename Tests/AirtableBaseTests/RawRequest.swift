import Foundation
import ReconCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A request straight to the emulator, bypassing the provider, to check what the server enforces.
enum RawRequest {
    struct Answer {
        var status: Int
        var json: JSONValue?
    }

    static func send(_ harness: AirtableHarness, _ method: String, _ path: String, body: JSONValue? = nil,
                     token: String? = nil) throws -> Answer {
        var request = URLRequest(url: URL(string: harness.emulator.url.absoluteString + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(token ?? harness.emulator.token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.canonicalBytes())
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer = Answer(status: 0, json: nil)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            answer.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            answer.json = data.flatMap { try? JSONParser.parse(Array($0)) }
            done.signal()
        }.resume()
        done.wait()
        return answer
    }
}
