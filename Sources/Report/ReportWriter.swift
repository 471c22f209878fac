import Foundation
import ReconCore

/// Writes the report's pages into one folder: each file 0600 and replaced whole, the folder 0700, and
/// older-runs pages left from a longer history removed, so every link on the page is current.
public enum ReportWriter {
    public static let defaultFolderName = "report"

    /// Returns the paths written, `index.html` first.
    @discardableResult
    public static func write(_ pages: [ReportRenderer.Page], to directory: String) throws -> [String] {
        try check(directory)
        try PrivateFile.createDirectory(directory)
        var written: [String] = []
        for page in pages {
            let path = "\(directory)/\(page.name)"
            try PrivateFile.write(Array(page.html.utf8), to: path)
            written.append(path)
        }
        let current = Set(pages.map(\.name))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where isRunsPage(name) && !current.contains(name) {
            try SafeRemoval.remove("\(directory)/\(name)", inside: directory)
        }
        return written
    }

    /// Refuses a folder whose `index.html` (or `runs-N.html`) another tool wrote: a report replaces only its own pages.
    public static func check(_ directory: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where name == "index.html" || isRunsPage(name) {
            let path = "\(directory)/\(name)"
            let head = FileManager.default.contents(atPath: path).map { String(decoding: $0.prefix(4096), as: UTF8.self) } ?? ""
            guard head.contains("<meta name=\"generator\" content=\"\(ReportRenderer.generator)\"/>") else {
                throw ReconError("\(PathRule.quoted(path)) is not a page of a Recon report, so it is not replaced",
                                 hint: "give --out a new folder, or the folder of an earlier report; nothing was written")
            }
        }
    }

    /// `runs-N.html`, the pages this writer makes beyond `index.html`.
    static func isRunsPage(_ name: String) -> Bool {
        guard name.hasPrefix("runs-"), name.hasSuffix(".html") else { return false }
        let number = name.dropFirst("runs-".count).dropLast(".html".count)
        return !number.isEmpty && number.allSatisfy(\.isASCIIDigit)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
