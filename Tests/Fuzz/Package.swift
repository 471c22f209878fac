// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses, kept out of the main package so `swift build` and `swift test` never
// need the fuzzer runtime. Build and run (see README.md, Layout):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address
//   cp -r ../HostileCorpusTests/Corpus/json /tmp/json-corpus   # libFuzzer writes its finds into the folder
//   RECON_FUZZ_TARGET=json .build/release/recon-fuzz -max_total_time=120 /tmp/json-corpus
let package = Package(
    name: "ReconFuzz",
    dependencies: [.package(name: "Recon", path: "../..")],
    targets: [
        .executableTarget(name: "recon-fuzz", dependencies: [.product(name: "ReconKit", package: "Recon")]),
    ]
)
