import Foundation
import ReconCore
import YAML

/// Reads a directory of YAML files into one validated manifest, or every problem found.
public struct ManifestLoader {
    public static let topLevelKeys = ["target", "tables", "repos", "protected", "retention", "policy", "checks", "state", "hooks"]

    public var yaml = YAMLLoader()

    public init() {}

    /// Loads `directory/*.yaml` and `*.yml` in name order; nothing is written either way.
    public func load(directory: String) throws(DiagnosticsError) -> Manifest {
        let files = try Self.manifestFiles(in: directory)
        var sources: [(path: String, bytes: [UInt8])] = []
        var problems: [Diagnostic] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(.error(at: SourceLocation(file: path, line: 1, column: 1), "cannot read the file"))
                continue
            }
            sources.append((path, [UInt8](data)))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return try load(sources: sources)
    }

    /// Loads already-read sources; the unit the tests and `validate` share.
    public func load(sources: [(path: String, bytes: [UInt8])]) throws(DiagnosticsError) -> Manifest {
        let sink = DiagnosticSink()
        var merger = ManifestMerger(sink: sink)
        var failed = false
        for source in sources {
            do {
                for document in try yaml.load(source.bytes, file: source.path) {
                    merger.merge(document)
                }
            } catch {
                sink.append(error.diagnostic)
                failed = true
            }
        }
        var manifest = merger.manifest
        manifest.files = sources.map(\.path)
        manifest.digest = Self.digest(of: sources)
        // A file that failed to load may have declared the target and any table: checks that
        // would only echo its absence are skipped (see docs/manifest.md).
        let unknown = failed ? ManifestValidator.Unknown(tables: true, target: !merger.hasTarget) : .none
        ManifestValidator(sink: sink, unknown: unknown).validate(manifest)
        if sink.hasErrors { throw DiagnosticsError(sink.diagnostics) }
        return manifest
    }

    /// SHA-256 over each file's name (the last path component: the folder may move) and bytes, each preceded by
    /// its length as 8 bytes big-endian, so no two different sets of files frame alike (UTF-16 text is full of the
    /// NUL bytes a separator would use).
    public static func digest(of sources: [(path: String, bytes: [UInt8])]) -> String {
        var digest = SHA256()
        digest.update(Array("recon-manifests-2\n".utf8))
        for source in sources {
            for part in [Array((source.path.split(separator: "/").last.map(String.init) ?? source.path).utf8), source.bytes] {
                let count = UInt64(part.count)
                digest.update((0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * UInt64($0))) })
                digest.update(part)
            }
        }
        return digest.hexDigest()
    }

    static func manifestFiles(in directory: String) throws(DiagnosticsError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DiagnosticsError([.error(at: nil, "manifest directory '\(directory)' does not exist",
                                           hint: "pass another with -m DIR, or run from the directory that holds manifests/")])
        }
        guard isDirectory.boolValue else {
            throw DiagnosticsError([.error(at: nil, "'\(directory)' is not a directory", hint: "-m takes the directory of manifest files")])
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let files = names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }.sorted()
        guard !files.isEmpty else {
            throw DiagnosticsError([.error(at: nil, "no manifest files (*.yaml, *.yml) in '\(directory)'")])
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return files.map { prefix + $0 }
    }
}
