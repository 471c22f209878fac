import Foundation

/// Wall time and peak resident memory of one phase. The peak is reset before each phase
/// (`malloc_trim`, then `/proc/self/clear_refs`), so each figure is that phase's own high-water mark.
struct Measure {
    struct Result {
        var name: String
        var seconds: Double
        var peakMB: Double
        var startMB: Double
        var note: String
    }

    private(set) var results: [Result] = []

    mutating func run<T>(_ name: String, note: (T) -> String = { _ in "" }, _ body: () throws -> T) rethrows -> T {
        Measure.resetPeak()
        let start = Measure.residentMB(field: "VmRSS:")
        let clock = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let result = Result(name: name, seconds: seconds, peakMB: Measure.residentMB(field: "VmHWM:"),
                            startMB: start, note: note(value))
        results.append(result)
        let label = name.count < 58 ? name + String(repeating: " ", count: 58 - name.count) : name
        print(label + String(format: "%8.3f s   peak %7.1f MB (at start %7.1f MB)  ", result.seconds, result.peakMB, result.startMB)
              + result.note)
        return value
    }

    /// Returns freed heap to the system first, so memory a finished phase released is not
    /// counted against the next one.
    static func resetPeak() {
        if let symbol = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func residentMB(field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }
}
