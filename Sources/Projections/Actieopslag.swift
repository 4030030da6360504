import Domain

/// How the read models store a zaak's next steps: one line per step, its values separated by tabs
/// (`soort`, zaak, doorverwijzing, resultaat; empty when absent). None of them holds a tab or a
/// line break: they are codes, zaaknummers and doorverwijzing ids.
extension Actie {
    static func opslagvorm(_ acties: [Actie]) -> String {
        acties.map { [$0.soort.rawValue, $0.zaak?.description ?? "", $0.doorverwijzing ?? "", $0.resultaat?.rawValue ?? ""].joined(separator: "\t") }
            .joined(separator: "\n")
    }

    /// The steps of `opslagvorm`; a line this version cannot read is left out rather than guessed.
    static func uitOpslagvorm(_ text: String) -> [Actie] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let soort = Soort(rawValue: fields[0]) else { return nil }
            return Actie(soort, zaak: Zaaknummer(fields[1]), doorverwijzing: fields[2].isEmpty ? nil : fields[2], resultaat: Resultaat(rawValue: fields[3]))
        }
    }
}
