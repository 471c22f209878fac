import Foundation
import ReconCore

/// The append-only journal beside the state file (`<state>.journal`): one line per applied batch,
/// fsynced before `append` returns, so a crash loses at most the batch in flight and persisting a
/// batch costs the batch's size. The next full write folds it into the snapshot and removes it.
public final class StateJournal {
    public let path: String
    private var descriptor: Int32
    /// Bytes known to be whole lines; a failed append is cut back to this.
    private var length: off_t

    init(path: String) throws {
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        descriptor = PrivateFile.open(path, O_WRONLY | O_APPEND)
        guard descriptor >= 0 else { throw AtomicFile.failure("cannot open journal", path) }
        length = lseek(descriptor, 0, SEEK_END)
        if !existed { try AtomicFile.syncDirectory(AtomicFile.directoryOf(path)) }
    }

    deinit { close() }

    /// Records one applied batch: applies `changes` to `state`, advances its serial, and makes the
    /// line durable. On failure `state` is unchanged and the journal is as it was.
    public func append(_ changes: [StateChange], to state: inout StateModel) throws {
        guard descriptor >= 0 else { throw ReconError("the state journal \(path) is closed") }
        let serial = state.serial + 1
        let line = JournalCodec.encode(JournalEntry(lineage: state.lineage, serial: serial, changes: changes))
        do {
            try AtomicFile.writeAll(line, to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw AtomicFile.failure("cannot flush", path) }
        } catch {
            ftruncate(descriptor, length)
            throw error
        }
        length += off_t(line.count)
        DurableAppend.releaseCachedPages(of: descriptor, length: length)
        // Applied in place only once durable: copying the model first would cost O(state) per batch.
        state.apply(changes)
        state.serial = serial
    }

    public func close() {
        if descriptor >= 0 { Foundation.close(descriptor) }
        descriptor = -1
    }

    /// The whole lines of a journal file, in order. A last line without its newline, or one that does
    /// not parse, is a torn write and is ignored; damage anywhere else is an error.
    static func entries(at path: String) throws -> [JournalEntry] {
        guard let bytes = try AtomicFile.read(path) else { return [] }
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            lines.append(bytes[start..<index])
            start = index + 1
        }
        var entries: [JournalEntry] = []
        for (number, line) in lines.enumerated() {
            do {
                entries.append(try JournalCodec.decode(line))
            } catch {
                if number == lines.count - 1 && start == bytes.count { break }
                throw StateRefusal.corruptJournal(path: path, line: number + 1, detail: StateRefusal.describe(error))
            }
        }
        return entries
    }
}
