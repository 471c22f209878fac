import Foundation
import Manifest
import Plan
import ReconCore
import State

/// The hooks of one apply run: `pre_apply` before the first write, `post_apply` after a success,
/// `on_failure` once the failure is on record. Each result goes to the ledger through the recorder.
struct RunHooks {
    private let runner: HookRunner
    private let invocation: HookInvocation
    private let planPath: String
    private let planFile: RunPlanFile
    private let ledger: any RunWriter
    private let recorder: RunRecorder
    /// The private folder made for the plan of a run with no folder of its own, removed by `removeTemporaryFolder`.
    private let temporaryFolder: String?

    init(manifest: Manifest, environment: [String: String], plan: Plan, planFile: RunPlanFile, ledger: any RunWriter, recorder: RunRecorder) {
        runner = HookRunner(manifest: manifest, environment: environment, onResult: { recorder.hookFinished($0) })
        // A run kept in PostgreSQL has no folder: its hooks read the plan from a private temporary one (mkdtemp, 0700).
        let directory: String
        if let folder = ledger.folder {
            directory = folder.hasPrefix("/") ? folder : runner.projectDirectory + "/" + folder
            temporaryFolder = nil
        } else {
            var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("recon-run-XXXXXX").utf8CString)
            let made = runner.isEmpty ? nil : template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
            directory = made ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("recon-run-" + ledger.id)
            temporaryFolder = made
        }
        planPath = directory + "/plan.json"
        invocation = HookInvocation(operation: plan.rollbackOf == nil ? .apply : .rollback, runID: ledger.id, planFile: planPath,
                                    // Counted over every change: only when a hook will be told (100k changes cost ~1% of an apply).
                                    summary: runner.isEmpty ? nil : plan.summary.json.canonicalString(), target: plan.target)
        self.planFile = planFile
        self.ledger = ledger
        self.recorder = recorder
    }

    /// Throws the first failure; the base and the state are untouched then. The plan is put in the run
    /// folder first (where the backup keeps it anyway), so `RECON_PLAN_FILE` names it for every apply.
    func preApply() throws {
        guard !runner.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: (planPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try planFile.write(to: planPath)
        try runner.run(.preApply, invocation)
    }

    /// Failures are warnings: the apply is done.
    func postApply() {
        for warning in (try? runner.run(.postApply, invocation)) ?? [] { recorder.warning(warning) }
    }

    /// Once the run is over: the temporary folder and the plan in it are removed (a run folder stays).
    func removeTemporaryFolder() {
        guard let temporaryFolder else { return }
        unlink(planPath)
        rmdir(temporaryFolder)
    }

    /// Records the failure, then runs `on_failure`; its own failures are only warnings.
    func failed(_ error: any Error) {
        try? ledger.finish(.failed, error: "\(error)")
        for warning in (try? runner.run(.onFailure, invocation)) ?? [] { recorder.warning(warning) }
    }
}
