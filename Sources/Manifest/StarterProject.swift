/// The files `recon init` writes: a commented starter manifest set for one provider and a `.gitignore`;
/// with `sample`, also a small catalog the manifests read (`StarterSample`), so a newcomer's first
/// `recon apply` works as written. Pure data: writing the files is the command's job.
public struct StarterProject: Sendable {
    /// The providers a starter exists for; `isSupported` says whether this build's manifests know it.
    public enum Provider: String, Sendable, CaseIterable {
        case sqlite, airtable, postgres

        /// The manifests accept only the providers `TargetSpec` knows; a starter for another would not validate.
        public var isSupported: Bool { TargetSpec.Provider(rawValue: rawValue) != nil }
    }

    public struct File: Sendable, Equatable {
        /// Relative to the project folder.
        public var path: String
        public var text: String
    }

    public var provider: Provider
    public var sample: Bool
    /// The manifest folder, relative to the project folder (`manifests` unless `-m` says otherwise).
    public var manifests: String

    public init(provider: Provider, sample: Bool, manifests: String = "manifests") {
        self.provider = provider
        self.sample = sample
        self.manifests = manifests
    }

    /// Every file, manifests first, in the order they are written.
    public var files: [File] {
        let manifestFiles = [("target.yaml", target), ("schema.yaml", Self.schema), ("repos.yaml", repos),
                             ("policy.yaml", Self.policy)]
        var files = manifestFiles.map { File(path: "\(manifests)/\($0.0)", text: $0.1) }
        files.append(File(path: ".gitignore", text: gitignore))
        if sample {
            files += StarterSample.files.map { File(path: "\(StarterSample.directory)/\($0.path)", text: $0.text) }
        }
        return files
    }

    var gitignore: String {
        var text = "# What Recon writes (the base, the state, its history, runs, backups, caches): never committed.\n/state/\n"
        if sample { text += "# The sample repo recon init made: a git repo of its own.\n/\(StarterSample.directory)/\n" }
        return text
    }

    var target: String {
        let base: String
        switch provider {
        case .sqlite:
            base = """
                # Where the base lives: an embedded SQLite file, created (mode 0600) on the first apply.
                # Every key: docs/manifest.md#target.
                target:
                  provider: sqlite
                  database: state/catalog.sqlite

                """
        case .airtable:
            base = """
                # Where the base lives: an Airtable base. Every key: docs/manifest.md#target, docs/airtable.md.
                # The token is read from the environment variable token_env names, never from a file:
                #   export AIRTABLE_TOKEN=pat...   # a personal access token with data.records:read/write and
                #                                  # schema.bases:read/write on this base (or a CI secret)
                target:
                  provider: airtable
                  base: appXXXXXXXXXXXXXX        # your base id: the app... part of the base's URL
                  token_env: AIRTABLE_TOKEN      # the NAME of the variable, never the token itself

                """
        case .postgres:
            base = """
                # Where the base lives: a PostgreSQL database, one table per manifest table in `schema`.
                # The libpq URI is read from the environment variable url_env names, never from a file:
                #   export RECON_BASE_URL='postgresql://user:password@host/dbname'   # or a CI secret
                target:
                  provider: postgres
                  url_env: RECON_BASE_URL        # the NAME of the variable, never the URI itself
                  schema: catalog

                """
        }
        return base + """
            # Where the state lives (what Recon last applied). Without this block it is local, under state/,
            # ignored by git. A team or a CI job shares one state and one lock in PostgreSQL (docs/state.md):
            # state:
            #   backend: postgres
            #   url_env: RECON_STATE_URL       # the NAME of the variable holding the libpq URI
            #   schema: recon

            """
    }

    static let schema = """
        # The tables of the base and their fields. Every key and type: docs/manifest.md#tables.
        tables:
          - name: Plugins
            key: Key                     # the merge field: Recon fills it with each record's stable key (repo:path)
            description: Plugins found in the catalog repo
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
              - {name: Version, type: singleLineText}
              - {name: Description, type: multilineText}
              - {name: Source Commit, type: singleLineText}

          - name: Skills
            key: Key
            description: Agent skills, each linked to the plugin that holds it
            on_delete: delete            # when a skill leaves the repo: delete | archive (tick archive_field) | keep
            fields:
              - {name: Key, type: singleLineText}
              - {name: Name, type: singleLineText}
              - {name: Description, type: multilineText}
              - {name: Plugin, type: multipleRecordLinks, table: Plugins}
              - {name: Source Commit, type: singleLineText}
              - {name: Status, type: singleSelect, choices: [Draft, Reviewed, Published]}
              - {name: Notes, type: multilineText}

        """

    var repos: String {
        let location = sample
            ? "    path: \(StarterSample.directory)           # the sample repo recon init made; point it at your own checkout\n"
            : "    path: ../catalog             # a local checkout, relative to where recon runs (or url: with ref:)\n"
        return """
            # The git repos records are extracted from, read at `ref` (committed files only).
            # Every key: docs/manifest.md#repos; formats, built-ins and links: docs/extract.md.
            repos:
              - name: catalog
            \(location)    ref: HEAD
                extract:
                  - table: Plugins
                    files: ["plugins/*/.claude-plugin/plugin.json"]
                    as: json
                    root: ..                 # a plugin stands for the folder above .claude-plugin/
                    fields:
                      Name: name             # a key path in the file
                      Version: version
                      Description: description
                      Source Commit: $commit # the commit that last changed this file
                  - table: Skills
                    files: ["plugins/*/skills/*/SKILL.md"]
                    as: frontmatter
                    root: .
                    fields:
                      Name: name
                      Description: description
                      Plugin: {link: Plugins, by: ancestor}   # the plugin whose folder holds this file
                      Source Commit: $commit
                      Status: {const: Draft} # written on create only: Status is protected (policy.yaml)

            """
    }

    static let policy = """
        # Fields people curate in the base: written on create when given, never overwritten after.
        protected:
          Skills: [Status, Notes]

        # What a plan does when the base was changed outside Recon (docs/manifest.md#policy).
        policy:
          drift: restore                 # restore | report | adopt
          conflict: desired              # desired | fail

        # How long runs, backups and state versions are kept (recon prune; apply prunes too).
        retention:
          backups: {keep_last: 20, max_age_days: 90}
          runs: {keep_last: 500}
          state_versions: {keep_last: 50}

        # Plan checks by code (docs/checks.md): apply refuses an error finding unless --allow CODE.
        checks:
          RC101: {level: error, max_percent: 10}      # a plan deletes more than 10% of a table's records
          # RC106: {level: warning, max_records: 1000} # a plan writes more than 1000 records of one table

        # Hooks: commands run around plans and applies, in a recon that has the `hooks` key
        # (`recon validate` says whether yours does):
        # hooks:
        #   pre_apply:
        #     - {run: ["./scripts/deploy-window.sh"], timeout: 30s}
        #   post_apply:
        #     - {run: ["./scripts/notify.sh", "--channel", "catalog"]}

        """
}
