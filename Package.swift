// swift-tools-version:6.0
import PackageDescription

// One target per pipeline stage; dependencies point one way:
// CLI → Apply → Plan → (State, Remote, Extract) → Manifest → YAML → ReconCore.
// Postgres (libpq plumbing) sits beside ReconCore; State may depend on it.
let package = Package(
    name: "Recon",
    products: [
        .executable(name: "recon", targets: ["recon"]),
        .library(name: "ReconKit", targets: ["ReconCLI"]),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        .target(name: "ReconCore", dependencies: ["CCrypto"], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "ReconCore"]),
        .target(name: "YAML", dependencies: ["CYAML", "ReconCore"]),
        .target(name: "Manifest", dependencies: ["YAML", "ReconCore"]),
        .target(name: "Remote", dependencies: ["ReconCore"]),
        .target(name: "State", dependencies: ["ReconCore", "Postgres"]),
        .target(name: "SQLiteBase", dependencies: ["Remote", "ReconCore", "CSQLite"]),
        .target(name: "AirtableBase", dependencies: ["Remote", "ReconCore"]),
        .target(name: "PostgresBase", dependencies: ["Remote", "Postgres", "ReconCore"]),
        .target(name: "Extract", dependencies: ["Manifest", "YAML", "ReconCore"]),
        .target(name: "Plan", dependencies: ["Manifest", "State", "Remote", "ReconCore"]),
        .target(name: "Apply", dependencies: ["Plan", "Extract", "SQLiteBase", "AirtableBase", "PostgresBase", "Postgres", "State", "Remote", "Manifest", "ReconCore"]),
        .target(name: "Report", dependencies: ["Apply", "State", "Manifest", "ReconCore"]),
        .target(name: "ReconCLI", dependencies: ["Apply", "Plan", "Extract", "State", "Manifest", "ReconCore", "Report"]),
        .executableTarget(name: "recon", dependencies: ["ReconCLI"]),
        .executableTarget(name: "recon-state-bench", dependencies: ["State", "SQLiteBase", "Remote", "ReconCore", "Postgres", "TestSupport"],
                          path: "bench/StateBench"),
        .executableTarget(name: "recon-yaml-bench", dependencies: ["YAML"], path: "bench/YAMLBench"),

        .executableTarget(name: "recon-airtable-bench", dependencies: ["ReconCore", "TestSupport", "AirtableBase", "Remote"],
                          path: "bench/AirtableBench"),
        .target(name: "TestSupport", dependencies: ["ReconCore"], path: "Tests/TestSupport"),
        .testTarget(name: "AirtableBaseTests", dependencies: ["AirtableBase", "Remote", "Plan", "Manifest", "State", "TestSupport"]),
        .testTarget(name: "AirtableEndToEndTests", dependencies: ["Apply", "AirtableBase", "Plan", "Manifest", "State", "TestSupport"]),
        .executableTarget(name: "recon-apply-probe", dependencies: ["Apply"], path: "Tests/ApplyProbe"),
        .testTarget(name: "ReconCoreTests", dependencies: ["ReconCore", "TestSupport"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ManifestTests", dependencies: ["Manifest", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "TestSupport"]),
        .testTarget(name: "PlanTests", dependencies: ["Plan", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ApplyTests", dependencies: ["Apply", "TestSupport"]),
        .testTarget(name: "ReconCLITests", dependencies: ["ReconCLI", "Postgres", "TestSupport"], exclude: ["Golden"]),
        .systemLibrary(name: "CZlib", path: "Tests/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Apply", "Manifest", "TestSupport", "CZlib"], exclude: ["Golden"]),
        .testTarget(name: "SQLiteBaseTests", dependencies: ["SQLiteBase", "Remote", "TestSupport"]),
        .testTarget(name: "StateTests", dependencies: ["State", "TestSupport"]),
        .testTarget(name: "InstallTests", dependencies: ["TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "PostgresBaseTests", dependencies: ["PostgresBase", "Postgres", "Remote", "ReconCore", "TestSupport"]),
        .testTarget(name: "ProviderContractTests", dependencies: ["SQLiteBase", "AirtableBase", "PostgresBase", "Postgres", "Plan", "Remote", "ReconCore", "TestSupport"]),
        .testTarget(name: "HostileCorpusTests", dependencies: ["Plan", "Extract", "Manifest", "YAML", "State", "SQLiteBase", "ReconCore", "TestSupport"],
                    exclude: ["Corpus"]),
    ]
)
