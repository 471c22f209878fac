import Extract
import Foundation
import Manifest
import ReconCore

/// Writes a `StarterProject` under `root` without ever replacing anything: `conflicts` lists what is in
/// the way, and each file is created with O_EXCL, so one made meanwhile is not overwritten either.
/// Manifests are the user's files, meant for git: they get the umask's usual modes, not 0600.
/// A failure part-way removes what this run made, so a retry meets no half-written project.
struct StarterWriter {
    let root: String

    /// What exists where the project would write (files, a non-folder on a folder's path, the sample
    /// folder itself, manifests already in the manifest folder), relative to `root`, sorted.
    func conflicts(_ project: StarterProject) -> [String] {
        var found = Set<String>()
        let sampleInTheWay = project.sample && exists(StarterSample.directory)
        if sampleInTheWay { found.insert(StarterSample.directory + "/") }
        for file in project.files where !(sampleInTheWay && file.path.hasPrefix(StarterSample.directory + "/")) {
            if exists(file.path) { found.insert(file.path) }
            var folder = ""
            for component in file.path.split(separator: "/").dropLast() {
                folder += (folder.isEmpty ? "" : "/") + component
                if exists(folder), !isDirectory(folder) { found.insert(folder) }
            }
        }
        let manifests = (try? FileManager.default.contentsOfDirectory(atPath: full(project.manifests))) ?? []
        for name in manifests where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            found.insert(project.manifests + "/" + name)
        }
        return found.sorted()
    }

    func write(_ project: StarterProject) throws {
        var made: [String] = []  // full paths, in the order they were made
        do {
            try makeFolders(".", into: &made)
            for file in project.files {
                try makeFolders((file.path as NSString).deletingLastPathComponent, into: &made)
                try create(full(file.path), Array(file.text.utf8))
                made.append(full(file.path))
            }
            if project.sample {
                try GitRepositoryMaker.commitAll(in: full(StarterSample.directory), message: "A sample catalog made by recon init")
            }
        } catch {
            for path in made.reversed() { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
    }

    private func makeFolders(_ relative: String, into made: inout [String]) throws {
        guard !relative.isEmpty else { return }
        var missing: [String] = []
        var path = full(relative)
        while !path.isEmpty, !FileManager.default.fileExists(atPath: path) {
            missing.insert(path, at: 0)
            path = (path as NSString).deletingLastPathComponent
        }
        for folder in missing {
            guard mkdir(folder, 0o777) == 0 else {
                throw ReconError("cannot create the folder \(PathRule.quoted(folder)): \(String(cString: strerror(errno)))")
            }
            made.append(folder)
        }
    }

    private func create(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw ReconError("cannot create \(PathRule.quoted(path)): \(String(cString: strerror(errno)))",
                             hint: errno == EEXIST ? "it appeared while recon init ran; nothing of this run was kept" : nil)
        }
        defer { close(fd) }
        try PrivateFile.writeAll(bytes, to: fd, path: path)
    }

    private func full(_ relative: String) -> String { relative == "." ? root : root + "/" + relative }

    private func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(full(relative), &info) == 0
    }

    private func isDirectory(_ relative: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: full(relative), isDirectory: &isFolder) && isFolder.boolValue
    }
}
