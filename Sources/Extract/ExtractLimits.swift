import Foundation

/// Bounds that keep one odd file from slowing or breaking a run.
public struct ExtractLimits: Sendable {
    /// Files larger than this are skipped with a note, before their bytes are read: 1 MiB is far
    /// above any manifest-worthy JSON, YAML or Markdown file and keeps memory bounded.
    public var maximumFileSize: Int
    /// Links to links are followed this many times at most.
    public var symlinkHops: Int
    /// Threads that parse files while git is read (`OrderedPipeline`); 1 parses inline. Results do not depend on it.
    public var workers: Int
    /// From twice this many entities (and more than one worker), the second half's records are made on another core
    /// while the first half's are (`RecordAssembler`). Results do not depend on it.
    public var halvingFrom = 4096

    public static let `default` = ExtractLimits(maximumFileSize: 1 << 20, symlinkHops: 8)

    public init(maximumFileSize: Int, symlinkHops: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.maximumFileSize = maximumFileSize
        self.symlinkHops = symlinkHops
        self.workers = max(1, workers)
    }
}
