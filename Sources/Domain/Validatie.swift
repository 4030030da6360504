/// Checks on values that every event must pass, wherever it comes from. Messages name the field.
enum Validatie {
    static func tekst(_ text: String, veld: String, maximum: Int) throws(ZaakFout) {
        guard !text.allSatisfy(\.isWhitespace) else { throw ZaakFout(.ongeldig, "\(veld) is leeg; vul een korte tekst in") }
        guard text.count <= maximum else { throw ZaakFout(.ongeldig, "\(veld) is \(text.count) tekens; het maximum is \(maximum)") }
    }

    static func optioneleTekst(_ text: String?, veld: String, maximum: Int) throws(ZaakFout) {
        if let text { try tekst(text, veld: veld, maximum: maximum) }
    }

    static func opening(_ opening: ZaakGeopend) throws(ZaakFout) {
        guard Inwoner.isGeldigeRef(opening.inwoner.ref) else {
            throw ZaakFout(.ongeldig, "inwoner.ref '\(opening.inwoner.ref.citaat)' is ongeldig; gebruik 1–64 tekens uit A-Z a-z 0-9 . _ : - (geen BSN)")
        }
        try tekst(opening.onderwerp, veld: "onderwerp", maximum: 100)
        try tekst(opening.omschrijving, veld: "omschrijving", maximum: 500)
        try tekst(opening.afdeling, veld: "afdeling", maximum: 100)
        try persoonsgegevens(opening.inwoner.persoonsgegevens)
        guard (1...260).contains(opening.afhandeltermijnWerkdagen) else {
            throw ZaakFout(.ongeldig, "afhandeltermijnWerkdagen \(opening.afhandeltermijnWerkdagen) ligt niet tussen 1 en 260")
        }
        guard (1...365).contains(opening.heropenvensterDagen) else {
            throw ZaakFout(.ongeldig, "heropenvensterDagen \(opening.heropenvensterDagen) ligt niet tussen 1 en 365")
        }
        switch (opening.archiefnominatie, opening.bewaartermijnJaren) {
        case (.vernietigen, let years?) where (1...120).contains(years):
            break
        case (.blijvendBewaren, nil):
            break
        case (.vernietigen, _):
            throw ZaakFout(.ongeldig, "bij archiefnominatie vernietigen hoort een bewaartermijnJaren van 1 tot en met 120")
        case (.blijvendBewaren, _):
            throw ZaakFout(.ongeldig, "bij archiefnominatie blijvend_bewaren hoort geen bewaartermijnJaren")
        }
    }

    static func persoonsgegevens(_ data: Persoonsgegevens?) throws(ZaakFout) {
        guard let data else { return }
        try optioneleTekst(data.naam, veld: "persoonsgegevens.naam", maximum: 200)
        if let phone = data.telefoon {
            let digits = phone.filter(\.isASCIIDigit)
            guard (8...15).contains(digits.count), phone.allSatisfy({ $0.isASCIIDigit || " +-()".contains($0) }) else {
                throw ZaakFout(.ongeldig, "telefoonnummer '\(phone.citaat)' is ongeldig; bijvoorbeeld 06 12345678 of +31 50 1234567")
            }
        }
        if let email = data.email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" "), email.count <= 254 else {
                throw ZaakFout(.ongeldig, "e-mailadres '\(email.citaat)' is ongeldig; bijvoorbeeld naam@example.nl")
            }
        }
    }

    static func melding(_ melding: MeldingOntvangen) throws(ZaakFout) {
        try tekst(melding.inhoud, veld: "inhoud", maximum: 4000)
        guard (0...20).contains(melding.bijlagen) else { throw ZaakFout(.ongeldig, "bijlagen \(melding.bijlagen) ligt niet tussen 0 en 20") }
    }

    static func gesprek(_ gesprek: GesprekGevoerd) throws(ZaakFout) {
        guard gesprek.kanaal.isGesprek else {
            throw ZaakFout(.ongeldig, "een gesprek gaat via telefoon, balie of video, niet via \(gesprek.kanaal.rawValue); registreer een bericht")
        }
        guard (0...86_400).contains(gesprek.duurSeconden) else { throw ZaakFout(.ongeldig, "duurSeconden \(gesprek.duurSeconden) ligt niet tussen 0 en 86400") }
        if let wait = gesprek.wachttijdSeconden, !(0...86_400).contains(wait) {
            throw ZaakFout(.ongeldig, "wachttijdSeconden \(wait) ligt niet tussen 0 en 86400")
        }
        if gesprek.uitkomst == .nietBereikt, gesprek.indicatieContactGelukt {
            throw ZaakFout(.ongeldig, "uitkomst niet-bereikt past niet bij indicatieContactGelukt true")
        }
        try optioneleTekst(gesprek.samenvatting, veld: "samenvatting", maximum: 4000)
    }

    static func bericht(_ kanaal: Kanaal, _ inhoud: String) throws(ZaakFout) {
        guard !kanaal.isGesprek else {
            throw ZaakFout(.ongeldig, "een bericht gaat niet via \(kanaal.rawValue); registreer een gesprek")
        }
        try tekst(inhoud, veld: "inhoud", maximum: 4000)
    }
}
