import ArgumentParser

/// What auditors run: history as it stood, and (later) proofs that it was never rewritten.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Voor auditors: de toestand op een moment uit het log herbouwen.",
        subcommands: [AuditReplay.self])
}
