/// The sample catalog `recon init --sample` makes into a git repo: two plugins in the Claude plugin
/// layout, with three skills, matching the starter schema so the first plan has something to add.
public enum StarterSample {
    /// The sample repo's folder, relative to the project folder; the starter `repos.yaml` reads it.
    public static let directory = "sample-repo"

    public static let files: [StarterProject.File] = [
        StarterProject.File(path: "README.md", text: """
            # Sample catalog

            Made by `recon init --sample`: plugins under `plugins/*/.claude-plugin/plugin.json`, their skills under
            `plugins/*/skills/*/SKILL.md`. Edit a file, commit, and `recon plan` shows the change.

            """),
        StarterProject.File(path: "plugins/greeter/.claude-plugin/plugin.json", text: """
            {"name": "greeter", "version": "1.0.0", "description": "Says hello in several ways"}

            """),
        StarterProject.File(path: "plugins/greeter/skills/hello/SKILL.md", text: """
            ---
            name: hello
            description: Greets the user by name
            ---
            Say hello to the user, by name when it is known.

            """),
        StarterProject.File(path: "plugins/greeter/skills/farewell/SKILL.md", text: """
            ---
            name: farewell
            description: Says goodbye at the end of a session
            ---
            Say goodbye and sum up what was done.

            """),
        StarterProject.File(path: "plugins/notes/.claude-plugin/plugin.json", text: """
            {"name": "notes", "version": "0.2.0", "description": "Keeps short notes"}

            """),
        StarterProject.File(path: "plugins/notes/skills/jot/SKILL.md", text: """
            ---
            name: jot
            description: Writes down a one-line note
            ---
            Write the note to notes.md with today's date.

            """),
    ]
}
