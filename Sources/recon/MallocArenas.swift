import Foundation

/// One glibc malloc arena for the whole process. Extraction parses files on worker threads and hands what they
/// build to the main thread; with an arena per thread, the parsers' freed temporaries stayed mapped between the
/// live results and nothing else reused them: a 100k cold plan peaked at 621 MiB instead of 530. The cost is a
/// shared malloc lock while the parsers run (bench/cold-plan-results.md). Nothing to do off glibc.
enum MallocArenas {
    static func limitToOne() {
        #if os(Linux)
        // `mallopt` is in <malloc.h>, which Glibc's module does not export: looked up by name. M_ARENA_MAX is -8.
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)(-8, 1)
        #endif
    }
}
