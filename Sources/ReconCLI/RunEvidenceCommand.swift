import Foundation
import Apply
import ReconCore
import State

/// `recon runs show RUN`, `runs export RUN` and `runs verify FILE`: one run's evidence, read through `RunEvidence`.
struct RunEvidenceCommand {
    /// Outcomes `runs show` prints in text unless `--limit` says otherwise; JSON lists them all.
    static let shownOutcomes = 20

    let action: RunsAction
    let format: OutputFormat
    let limit: Int?

    func run(runs: any RunStore, console: Console) throws -> ExitCode {
        switch action {
        case .list:
            preconditionFailure("the listing is RunsCommand's")
        case .show(let runID):
            let shown = try RunEvidence.shown(runID: runID, runs: runs)
            let view = RunShowView(record: shown.record, status: RunEvidence.shownStatus(shown.record, runs: runs),
                                   outcomes: shown.entityOutcomes, findings: shown.findings, hasPlan: shown.hasPlan)
            switch format {
            case .json: console.write(view.json())
            default: console.write(view.text(limit: limit ?? RunEvidenceCommand.shownOutcomes, style: console.style))
            }
            return .success
        case .export(let runID):
            console.write(EvidenceBundle.encode(try RunEvidence.load(runID: runID, runs: runs)))
            return .success
        case .verify(let file):
            // Refused before it is read: a bundle is untrusted input.
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > EvidenceBundle.maximumBytes {
                throw ReconError("\(PathRule.quoted(file)): \(size) bytes is more than an evidence bundle may hold (\(EvidenceBundle.maximumBytes))")
            }
            guard let bytes = try AtomicFile.read(file) else {
                throw ReconError("no file \(PathRule.quoted(file))", hint: "make one with 'recon runs export RUN > bundle.json'")
            }
            let verification = try EvidenceVerification.verify(bytes, path: file, runs: runs)
            console.write(EvidenceVerificationView.text(verification, file: file, style: console.style),
                          to: verification.intact ? .out : .err)
            return verification.intact ? .success : .failure
        }
    }
}
