import Foundation
import ReconCore

/// `recon validate`'s check that every hook's command can be run: a path (it holds a `/`) relative
/// to the project directory, or a name found on PATH. Reads the file system, so it is not part of loading.
public enum HookCommandCheck {
    public static func diagnostics(_ hooks: [HookSpec], projectDirectory: String, path: String?) -> [Diagnostic] {
        hooks.compactMap { hook in
            guard let command = hook.run.first else { return nil }
            guard let problem = problem(command.value, projectDirectory: projectDirectory, path: path) else { return nil }
            return .error(at: command.location, "the command '\(ControlEscape.escaped(command.value))' of a hook of hooks.\(hook.point.rawValue) \(problem)",
                          hint: command.value.contains("/")
                              ? "paths are relative to the project directory (\(projectDirectory)); make the file executable with chmod +x"
                              : "install it, give its path, or put its folder on PATH")
        }
    }

    /// Nil when `command` names an executable file; else what is wrong with it.
    static func problem(_ command: String, projectDirectory: String, path: String?) -> String? {
        guard !command.contains("/") else {
            let file = command.hasPrefix("/") ? command : projectDirectory + "/" + command
            return fileProblem(file)
        }
        for folder in (path ?? "").split(separator: ":", omittingEmptySubsequences: false) {
            let directory = folder.isEmpty ? projectDirectory : String(folder)
            if fileProblem(directory + "/" + command) == nil { return nil }
        }
        return "is not found on PATH"
    }

    private static func fileProblem(_ file: String) -> String? {
        var info = stat()
        guard stat(file, &info) == 0 else { return "does not exist" }
        guard info.st_mode & S_IFMT == S_IFREG else { return "is not a file" }
        guard access(file, X_OK) == 0 else { return "is not executable" }
        return nil
    }
}
