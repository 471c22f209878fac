/// Terraform flags people type from habit that Recon spells another way, or has no need for. The ones
/// Recon shares (`-out`, `-target`, `-lock-timeout`, `-auto-approve`, `-detailed-exitcode`) parse as they
/// are; these get Recon's own spelling in the error instead of a did-you-mean that may point elsewhere.
/// `-lock-timeout` and `-target` reach here only on a command without them, so the hint says which has them.
enum TerraformSpelling {
    static func hint(for name: String, command: String, specs: [OptionSpec]) -> String? {
        switch name {
        case "json":
            if specs.contains(where: { $0.name == "format" }) { return "Recon spells it '--format json'" }
            return nil
        case "input":
            return command == "apply" ? "Recon asks for nothing but the confirmation; '--auto-approve' skips it"
                : "Recon asks for no input; the manifests are all it reads"
        case "var", "var-file":
            return "Recon has no variables: the manifests are the whole input (give another folder with -m DIR)"
        case "lock":
            return "Recon always takes the lock to write; '--lock-timeout DURATION' waits for it"
        case "refresh":
            return "Recon never plans without reading what changed; 'recon \(command)' has no --refresh (plan, apply and drift do)"
        case "lock-timeout":
            return "'recon \(command)' takes no lock, so there is nothing to wait for; '--lock-timeout DURATION' is for apply and prune"
        case "target":
            return "'recon \(command)' has no target; '--target TABLE[/KEY]' limits plan and apply"
        default:
            return nil
        }
    }
}
