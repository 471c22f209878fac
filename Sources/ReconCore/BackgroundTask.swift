import Dispatch

/// Work started on the other core while the caller goes on: a plan body decoded while its digest is taken, the per-file
/// cache written while the records are assembled (issue 12). `value()` waits for it; call it on every path, so no
/// work outlives the run that started it.
public final class BackgroundTask<Value: Sendable, Failure: Error>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<Value, Failure>?

    public init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do throws(Failure) {
                result = .success(try work())
            } catch {
                result = .failure(error)
            }
            done.signal()
        }
    }

    /// The work's value or the error it threw, once it is done.
    public func value() throws(Failure) -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
