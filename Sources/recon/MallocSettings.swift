import Foundation

/// glibc malloc settings for the whole process, set before anything allocates much. Nothing to do off glibc.
///
/// One arena: extraction parses files on worker threads and hands what they build to the main thread; with an
/// arena per thread, the parsers' freed temporaries stayed mapped between the live results and nothing else
/// reused them: a 100k cold plan peaked at 621 MiB instead of 530 (bench/cold-plan-results.md).
///
/// No trimming, no mmap for big blocks: with glibc's defaults the heap top was given back and faulted in again
/// over and over (1,253 `brk` calls), and large arrays (the 100k-entry lists, the plan file's 90 MB buffer) were
/// fresh mmaps, faulted on first touch and unmapped on free: 248,600 page faults in a 100k cold plan, 147,400 with
/// these settings, at about the same peak (bench/cold-extract2-results.md). Untouched padding costs no RSS.
enum MallocSettings {
    static func apply() {
        #if os(Linux)
        // `mallopt` is in <malloc.h>, which Glibc's module does not export: looked up by name.
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let arenaMax: Int32 = -8, mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1, topPad: Int32 = -2
        _ = mallopt(arenaMax, 1)
        _ = mallopt(mmapThreshold, 1 << 30)
        _ = mallopt(trimThreshold, 1 << 30)
        _ = mallopt(topPad, 64 << 20)
        #endif
    }
}
