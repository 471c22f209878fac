import Foundation
import Manifest
import Plan
import ReconCore
import YAML

/// The reader `RECON_FUZZ_TARGET` names: json, yaml, manifest or plan.
enum FuzzTarget: String {
    case json, yaml, manifest, plan

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["RECON_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("set RECON_FUZZ_TARGET to json, yaml, manifest or plan\n".utf8))
            exit(2)
        }
        return target
    }()

    /// Success or a thrown error are both fine; a trap is the finding. Accepted values must round-trip.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .json:
            if let value = try? JSONParser.parse(bytes), (try? JSONParser.parse(value.canonicalBytes())) != value {
                fatalError("JSON round trip changed the value")
            }
        case .yaml:
            _ = try? YAMLLoader().load(bytes, file: "fuzz.yaml")
        case .manifest:
            _ = try? ManifestLoader().load(sources: [("fuzz.yaml", bytes)])
        case .plan:
            _ = try? PlanFile.decode(bytes)
            // Re-sealed with a correct digest, so mutations reach the body decoder.
            guard case .object(var document)? = try? JSONParser.parse(bytes), let body = document["plan"] else { return }
            document["digest"] = .string("sha256:" + SHA256.hex(body.canonicalBytes()))
            if let plan = try? PlanFile.decode(JSONValue.object(document).canonicalBytes()) {
                let file = PlanFile.encode(plan)
                if (try? PlanFile.decode(file)).map({ PlanFile.encode($0) }) != file { fatalError("plan round trip changed the file") }
            }
        }
    }
}

/// libFuzzer's entry point, for its own driver and for tools that look for it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.selected.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
