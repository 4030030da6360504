import Domain
import XCTest

/// Given events / when a command / then events (or a refusal): the deciders of Beslissen.swift,
/// the state folded by `evolve` and the closure rules 1–3 of BRIEF §4.
///
/// Fixed inputs: nu is Monday 2026-11-23 09:15 in Amsterdam (08:15 UTC), the actor is medewerker
/// kcc-112, the catalogue is `Catalogus.standaard`, event ids are `t.1`, `t.2`, … and a new zaak
/// gets Z-2026-000001. Given events get ids `g.1`, `g.2`, … and times on Friday 2026-11-20.
final class DecideTests: XCTestCase {
    // MARK: - Fixed inputs

    private static let nu = tijd("2026-11-23T08:15:00.000Z")
    private static let kcc = Actor(soort: .medewerker, id: "kcc-112")
    private static let nummer = Zaaknummer("Z-2026-000001")!
    private static let ander = Zaaknummer("Z-2026-000002")!
    private static let inwoner = Inwoner(ref: "inw-4711")
    private static let buurman = Inwoner(ref: "inw-0815")

    private static func tijd(_ text: String) -> Tijdstip { Tijdstip(text)! }
    private static func datum(_ text: String) -> Datum { Datum(text)! }

    /// The decision moment; when `op` is given, the clock reads that time too.
    private func moment(op plaatsgevondenOp: String? = nil, actor: Actor = DecideTests.kcc,
                        catalogus: Catalogus = .standaard, idBasis: String = "t") -> Beslismoment {
        let op = plaatsgevondenOp.map(Self.tijd)
        return Beslismoment(nu: op ?? Self.nu, plaatsgevondenOp: op, actor: actor, catalogus: catalogus,
                            idBasis: idBasis, nieuwNummer: Self.nummer)
    }

    // MARK: - Given / when

    /// Envelopes with versie 1, 2, …, ids `g.1`, `g.2`, … and one minute apart on Friday
    /// 2026-11-20, folded with `evolve`; nil for no events.
    private func given(_ events: Gebeurtenis..., zaak nummer: Zaaknummer = DecideTests.nummer) throws -> Zaak? {
        var zaak: Zaak?
        for (index, gebeurtenis) in events.enumerated() {
            zaak = try evolve(zaak, givenEnvelope(gebeurtenis, versie: index + 1, zaak: nummer))
        }
        return zaak
    }

    private func givenEnvelope(_ gebeurtenis: Gebeurtenis, versie: Int, zaak nummer: Zaaknummer = DecideTests.nummer) -> ZaakGebeurtenis {
        ZaakGebeurtenis(id: "g.\(versie)", zaak: nummer, versie: versie,
                        plaatsgevondenOp: Tijdstip(milliseconden: Self.tijd("2026-11-20T09:00:00.000Z").milliseconden + Int64(versie) * 60_000),
                        actor: Self.kcc, gebeurtenis: gebeurtenis)
    }

    private func when(_ opdracht: Opdracht, given zaak: Zaak?, _ moment: Beslismoment? = nil) -> Result<[ZaakGebeurtenis], ZaakFout> {
        do {
            return .success(try decide(opdracht, zaak, moment ?? self.moment()))
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Then

    private func events(_ result: Result<[ZaakGebeurtenis], ZaakFout>, file: StaticString = #filePath, line: UInt = #line) -> [ZaakGebeurtenis] {
        switch result {
        case let .success(events):
            return events
        case let .failure(fout):
            XCTFail("refused (\(fout.soort), regels \(fout.regels)): \(fout.melding)", file: file, line: line)
            return []
        }
    }

    /// The events' data, their versies and their ids, all in one go.
    private func assertEvents(_ result: Result<[ZaakGebeurtenis], ZaakFout>, _ expected: [Gebeurtenis], versies: [Int], ids: [String]? = nil,
                              file: StaticString = #filePath, line: UInt = #line) {
        let produced = events(result, file: file, line: line)
        XCTAssertEqual(produced.map(\.gebeurtenis.type), expected.map(\.type), "types", file: file, line: line)
        for (made, wanted) in zip(produced.map(\.gebeurtenis), expected) where made != wanted {
            XCTFail("\(wanted.type):\n  got      \(made)\n  expected \(wanted)", file: file, line: line)
        }
        XCTAssertEqual(produced.map(\.versie), versies, "versies", file: file, line: line)
        XCTAssertEqual(produced.map(\.id), ids ?? expected.indices.map { "t.\($0 + 1)" }, "ids", file: file, line: line)
    }

    @discardableResult
    private func assertFout(_ result: Result<[ZaakGebeurtenis], ZaakFout>, _ soort: ZaakFout.Soort, regels: [Int] = [], _ phrases: String...,
                            file: StaticString = #filePath, line: UInt = #line) -> ZaakFout? {
        switch result {
        case let .success(events):
            XCTFail("expected \(soort), got \(events.map(\.gebeurtenis.type))", file: file, line: line)
            return nil
        case let .failure(fout):
            assertFout(fout, soort, regels: regels, phrases, file: file, line: line)
            return fout
        }
    }

    private func assertFout(_ fout: ZaakFout, _ soort: ZaakFout.Soort, regels: [Int] = [], _ phrases: [String],
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(fout.soort, soort, fout.melding, file: file, line: line)
        XCTAssertEqual(fout.regels, regels, fout.melding, file: file, line: line)
        for phrase in phrases {
            XCTAssertTrue(fout.melding.contains(phrase), "'\(phrase)' not in: \(fout.melding)", file: file, line: line)
        }
    }

    /// `body` must throw a ZaakFout of this kind.
    private func assertThrows(_ soort: ZaakFout.Soort, regels: [Int] = [], _ phrases: String..., file: StaticString = #filePath, line: UInt = #line,
                              _ body: () throws(ZaakFout) -> Void) {
        do {
            try body()
            XCTFail("expected \(soort), nothing was refused", file: file, line: line)
        } catch {
            assertFout(error, soort, regels: regels, phrases, file: file, line: line)
        }
    }

    /// Folds the decided events into the state they were decided on.
    private func apply(_ result: Result<[ZaakGebeurtenis], ZaakFout>, to zaak: Zaak?, file: StaticString = #filePath, line: UInt = #line) throws -> Zaak? {
        var state = zaak
        for event in events(result, file: file, line: line) { state = try evolve(state, event) }
        return state
    }

    // MARK: - Event builders

    private static func geopend(_ code: String = "afval.container-niet-geleegd", inwoner: Inwoner = DecideTests.inwoner,
                                kanaal: Kanaal = .telefoon, op dag: String = "2026-11-20") -> Gebeurtenis {
        let onderwerp = Catalogus.standaard.onderwerp(code)!
        return .zaakGeopend(ZaakGeopend(
            onderwerp: code, omschrijving: onderwerp.omschrijving, inwoner: inwoner, kanaal: kanaal, afdeling: onderwerp.afdeling,
            afhandeltermijnWerkdagen: onderwerp.afhandeltermijnWerkdagen,
            uiterlijkAfgehandeldOp: Kalender.plusWerkdagen(onderwerp.afhandeltermijnWerkdagen, na: datum(dag)),
            heropenvensterDagen: onderwerp.heropenvensterDagen, archiefnominatie: onderwerp.archiefnominatie,
            bewaartermijnJaren: onderwerp.bewaartermijnJaren, catalogusversie: Catalogus.standaard.versie))
    }

    private static func gesprekData(_ uitkomst: GesprekUitkomst, richting: Richting = .inkomend, gelukt: Bool = true,
                                    samenvatting: String? = nil) -> GesprekGevoerd {
        GesprekGevoerd(kanaal: .telefoon, richting: richting, wachttijdSeconden: richting == .inkomend ? 45 : nil, duurSeconden: 180,
                       uitkomst: uitkomst, indicatieContactGelukt: gelukt, samenvatting: samenvatting)
    }

    private static func gesprek(_ uitkomst: GesprekUitkomst, richting: Richting = .inkomend, gelukt: Bool = true) -> Gebeurtenis {
        .gesprekGevoerd(gesprekData(uitkomst, richting: richting, gelukt: gelukt))
    }

    private static func doorverwezen(_ id: String, _ afdeling: String = "Stadsbeheer") -> Gebeurtenis {
        .doorverwezen(Doorverwezen(doorverwijzing: id, afdeling: afdeling, soort: .koud, gevraagdeHandeling: "afhandelen",
                                   toelichting: "container in de Kerkstraat", uiterlijkOp: datum("2026-11-24")))
    }

    private static func terugbelverzoek(_ id: String, _ afdeling: String = "Stadsbeheer") -> Gebeurtenis {
        .terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(doorverwijzing: id, afdeling: afdeling, toelichting: "bel na 16 uur",
                                                             uiterlijkOp: datum("2026-11-24")))
    }

    private static func teruggekoppeld(_ id: String, _ uitkomst: TerugkoppelingUitkomst, naar: String? = nil) -> Gebeurtenis {
        .terugkoppelingOntvangen(TerugkoppelingOntvangen(doorverwijzing: id, uitkomst: uitkomst, toelichting: "door de afdeling", doorgestuurdNaar: naar))
    }

    private static let geinformeerd = Gebeurtenis.inwonerGeinformeerd(InwonerGeinformeerd(kanaal: .telefoon, toelichting: "uitkomst verteld"))
    private static let berichtVerstuurd = Gebeurtenis.berichtVerstuurd(BerichtVerstuurd(kanaal: .whatsapp, inhoud: "De container is geleegd."))
    private static let berichtOntvangen = Gebeurtenis.berichtOntvangen(BerichtOntvangen(kanaal: .whatsapp, inhoud: "Is er al nieuws?"))

    private static func afgesloten(_ resultaat: Resultaat = .opgelost) -> Gebeurtenis {
        .zaakAfgesloten(ZaakAfgesloten(resultaat: resultaat, direct: false, archiefactiedatum: datum("2028-11-20")))
    }

    // MARK: - Command builders

    private static func contact(_ soort: Contact.Soort, onderwerp: String = "afval.container-niet-geleegd", inwoner: Inwoner = DecideTests.inwoner,
                                omschrijving: String? = nil, afsluiten: Bool = false) -> Opdracht {
        .registreerContact(Contact(soort: soort, inwoner: inwoner, onderwerp: onderwerp, omschrijving: omschrijving, afsluiten: afsluiten))
    }

    private static func belt(_ uitkomst: GesprekUitkomst, onderwerp: String = "afval.container-niet-geleegd", inwoner: Inwoner = DecideTests.inwoner,
                             samenvatting: String? = nil, afsluiten: Bool = false) -> Opdracht {
        contact(.gesprek(gesprekData(uitkomst, samenvatting: samenvatting)), onderwerp: onderwerp, inwoner: inwoner, afsluiten: afsluiten)
    }

    private static let webmelding = MeldingOntvangen(kanaal: .webformulier, inhoud: "Losse stoeptegel voor Kerkstraat 12, iemand is gestruikeld",
                                                     locatie: .init(straat: "Kerkstraat", huisnummer: "12", woonplaats: "Voorbeeldstad"), bijlagen: 1)

    private static func terugkoppeling(_ id: String, _ uitkomst: TerugkoppelingUitkomst, naar: String? = nil) -> Opdracht {
        .registreerTerugkoppeling(doorverwijzing: id, uitkomst: uitkomst, toelichting: "afgehandeld door de ploeg", doorgestuurdNaar: naar)
    }

    private static func sluit(_ resultaat: Resultaat = .opgelost, afwijken: String? = nil) -> Opdracht {
        .sluit(resultaat: resultaat, toelichting: nil, afwijkingsreden: afwijken)
    }

    private static func doorverwijs(_ afdeling: String?) -> Opdracht {
        .doorverwijs(afdeling: afdeling, soort: .warm, gevraagdeHandeling: "container legen", toelichting: "al twee weken niet geleegd",
                     toegewezenAanMedewerker: nil)
    }

    // MARK: - A contact on no zaak opens one

    func testContactOnNoZaakOpensOneWithTheCataloguesFields() {
        let result = when(Self.belt(.directBeantwoord, onderwerp: "parkeren.vergunning"), given: nil)
        let opening = ZaakGeopend(
            onderwerp: "parkeren.vergunning", omschrijving: "Parkeervergunning of bezoekersregeling aanvragen, wijzigen of opzeggen",
            inwoner: Self.inwoner, kanaal: .telefoon, afdeling: "Parkeren", afhandeltermijnWerkdagen: 10,
            // Monday 23 Nov + 10 werkdagen: 24 25 26 27 30 Nov, 1 2 3 4 7 Dec.
            uiterlijkAfgehandeldOp: Self.datum("2026-12-07"), heropenvensterDagen: 14, archiefnominatie: .vernietigen,
            bewaartermijnJaren: 5, catalogusversie: "2026.1")
        assertEvents(result, [.zaakGeopend(opening), Self.gesprek(.directBeantwoord)], versies: [1, 2])
        for event in events(result) {
            XCTAssertEqual(event.zaak, Self.nummer)
            XCTAssertEqual(event.plaatsgevondenOp, Self.nu)
            XCTAssertEqual(event.actor, Self.kcc)
            XCTAssertNil(event.positie)
        }
    }

    func testOpeningKeepsTheAgentsOmschrijvingAndTheBlijvendBewarenNominatie() {
        let result = when(.registreerContact(Contact(soort: .berichtOntvangen(BerichtOntvangen(kanaal: .email, inhoud: "Hoe word ik Nederlander?")),
                                                     inwoner: Self.inwoner, onderwerp: " Burgerzaken.Naturalisatie ",
                                                     omschrijving: "Vraag over naturalisatie na 5 jaar")), given: nil)
        guard case let .zaakGeopend(opening)? = events(result).first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.onderwerp, "burgerzaken.naturalisatie", "the catalogue's spelling of the code")
        XCTAssertEqual(opening.omschrijving, "Vraag over naturalisatie na 5 jaar")
        XCTAssertEqual(opening.kanaal, .email)
        XCTAssertEqual(opening.afdeling, "Burgerzaken")
        XCTAssertEqual(opening.archiefnominatie, .blijvendBewaren)
        XCTAssertNil(opening.bewaartermijnJaren)
        XCTAssertEqual(opening.heropenvensterDagen, 30)
        XCTAssertEqual(opening.uiterlijkAfgehandeldOp, Self.datum("2026-12-21"), "20 werkdagen after Monday 23 Nov")
    }

    func testDeadlineCountsWerkdagenAcrossAWeekend() {
        // Friday 27 Nov 10:00 local; afval.container-niet-geleegd has 2 werkdagen: Monday 30 Nov, Tuesday 1 Dec.
        let result = when(Self.belt(.directBeantwoord), given: nil, moment(op: "2026-11-27T09:00:00.000Z"))
        guard case let .zaakGeopend(opening)? = events(result).first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.afhandeltermijnWerkdagen, 2)
        XCTAssertEqual(opening.uiterlijkAfgehandeldOp, Self.datum("2026-12-01"))
        XCTAssertEqual(events(result).first?.plaatsgevondenOp, Self.tijd("2026-11-27T09:00:00.000Z"))
    }

    func testDeadlineSkipsChristmas() {
        // Thursday 24 Dec 2026; Friday 25 and Saturday 26 are Kerstdagen, 27 is a Sunday: Monday 28, Tuesday 29.
        let result = when(Self.belt(.directBeantwoord), given: nil, moment(op: "2026-12-24T09:00:00.000Z"))
        guard case let .zaakGeopend(opening)? = events(result).first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.uiterlijkAfgehandeldOp, Self.datum("2026-12-29"))
    }

    func testDeadlineCountsFromTheLocalDateNotTheUTCDate() {
        // Sunday 22 Nov 23:30 UTC is Monday 00:30 in Amsterdam: Tuesday 24, Wednesday 25.
        let result = when(Self.belt(.directBeantwoord), given: nil, moment(op: "2026-11-22T23:30:00.000Z"))
        guard case let .zaakGeopend(opening)? = events(result).first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.uiterlijkAfgehandeldOp, Self.datum("2026-11-25"))
    }

    // MARK: - Meldingen

    func testWebformulierMeldingOnANewZaakGoesStraightToTheAfdeling() throws {
        let result = when(Self.contact(.melding(Self.webmelding), onderwerp: "openbare-ruimte.stoeptegel"), given: nil)
        let produced = events(result)
        guard case let .zaakGeopend(opening)? = produced.first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.kanaal, .webformulier)
        XCTAssertEqual(opening.afdeling, "Stadsbeheer")
        assertEvents(result, [
            .zaakGeopend(opening),
            .meldingOntvangen(Self.webmelding),
            .doorverwezen(Doorverwezen(doorverwijzing: "D1", afdeling: "Stadsbeheer", soort: .koud, gevraagdeHandeling: "afhandelen",
                                       toelichting: Self.webmelding.inhoud,
                                       uiterlijkOp: Self.datum("2026-11-30"))),  // 5 werkdagen after Monday 23 Nov
        ], versies: [1, 2, 3])
        let zaak = try XCTUnwrap(try apply(result, to: nil))
        XCTAssertEqual(zaak.openOverdrachten.map(\.id), ["D1"])
    }

    func testWebformulierMeldingOnAnExistingZaakIsNotHandedOffAgain() throws {
        let zaak = try given(Self.geopend("openbare-ruimte.stoeptegel"), Self.doorverwezen("D1"))
        let result = when(Self.contact(.melding(Self.webmelding), onderwerp: "openbare-ruimte.stoeptegel"), given: zaak)
        assertEvents(result, [.meldingOntvangen(Self.webmelding)], versies: [3])
    }

    func testMeldingByEmailOnANewZaakIsNotHandedOffAutomatically() {
        let melding = MeldingOntvangen(kanaal: .email, inhoud: "De lantaarnpaal bij de school is al een week kapot")
        let result = when(Self.contact(.melding(melding), onderwerp: "openbare-ruimte.lantaarnpaal"), given: nil)
        XCTAssertEqual(events(result).map(\.gebeurtenis.type), ["ZaakGeopend", "MeldingOntvangen"])
    }

    // MARK: - Outcomes of a gesprek

    func testDoorverbondenIsAColdHandoffToTheZaaksAfdeling() throws {
        let zaak = try given(Self.geopend())
        let result = when(Self.belt(.doorverbonden, samenvatting: "container Kerkstraat niet geleegd"), given: zaak)
        assertEvents(result, [
            .gesprekGevoerd(Self.gesprekData(.doorverbonden, samenvatting: "container Kerkstraat niet geleegd")),
            .doorverwezen(Doorverwezen(doorverwijzing: "D1", afdeling: "Stadsbeheer", soort: .koud, gevraagdeHandeling: "afhandelen",
                                       toelichting: "container Kerkstraat niet geleegd", uiterlijkOp: Self.datum("2026-11-25"))),
        ], versies: [2, 3])
    }

    func testWarmDoorverbondenIsAWarmHandoff() {
        let result = when(Self.belt(.warmDoorverbonden, onderwerp: "kredietbank.schuldhulp"), given: nil)
        guard case let .zaakGeopend(opening)? = events(result).first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.afdeling, "Kredietbank")
        assertEvents(result, [
            .zaakGeopend(opening),
            Self.gesprek(.warmDoorverbonden),
            .doorverwezen(Doorverwezen(doorverwijzing: "D1", afdeling: "Kredietbank", soort: .warm, gevraagdeHandeling: "afhandelen",
                                       toelichting: "doorverbonden tijdens het gesprek",
                                       uiterlijkOp: Self.datum("2026-12-21"))),  // 20 werkdagen
        ], versies: [1, 2, 3])
    }

    func testTerugbelverzoekIsDueInTwoWerkdagen() throws {
        let zaak = try given(Self.geopend("parkeren.vergunning"))
        let result = when(Self.belt(.terugbelverzoek, onderwerp: "parkeren.vergunning"), given: zaak)
        assertEvents(result, [
            Self.gesprek(.terugbelverzoek),
            .terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(doorverwijzing: "D1", afdeling: "Parkeren",
                                                                 toelichting: "inwoner wil teruggebeld worden",
                                                                 uiterlijkOp: Self.datum("2026-11-25"))),
        ], versies: [2, 3])
    }

    func testTerugbelverzoekOnAFridayIsDueOnTuesday() {
        let result = when(Self.belt(.terugbelverzoek), given: nil, moment(op: "2026-11-27T14:00:00.000Z"))
        guard case let .terugbelverzoekAangemaakt(callback)? = events(result).last?.gebeurtenis else { return XCTFail("no terugbelverzoek") }
        XCTAssertEqual(callback.uiterlijkOp, Self.datum("2026-12-01"))
    }

    func testVraagTerugbellenWithATelephoneNumber() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"))
        let result = when(.vraagTerugbellen(afdeling: nil, toelichting: "bellen over de ophaaldag", telefoon: "06 12345678"), given: zaak)
        assertEvents(result, [
            .terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(doorverwijzing: "D2", afdeling: "Stadsbeheer", toelichting: "bellen over de ophaaldag",
                                                                 uiterlijkOp: Self.datum("2026-11-25"),
                                                                 persoonsgegevens: Persoonsgegevens(telefoon: "06 12345678"))),
        ], versies: [3])
    }

    func testDirectBeantwoordWithAfsluitenClosesDirectlyWithAnArchiefactiedatum() throws {
        let result = when(Self.belt(.directBeantwoord, onderwerp: "kcc.algemene-vraag", afsluiten: true), given: nil)
        let produced = events(result)
        XCTAssertEqual(produced.map(\.gebeurtenis.type), ["ZaakGeopend", "GesprekGevoerd", "ZaakAfgesloten"])
        XCTAssertEqual(produced.map(\.versie), [1, 2, 3])
        XCTAssertEqual(produced.map(\.id), ["t.1", "t.2", "t.3"])
        XCTAssertEqual(produced.last?.gebeurtenis,
                       .zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: true, archiefactiedatum: Self.datum("2027-11-23"))),
                       "kcc.algemene-vraag is kept 1 year after closing")
        let zaak = try XCTUnwrap(try apply(result, to: nil))
        XCTAssertEqual(zaak.status, .gesloten(.opgelost))
    }

    func testArchiefactiedatumIsClosingDatePlusTheBewaartermijn() throws {
        // belastingen.ozb: vernietigen after 7 years.
        let result = when(Self.belt(.directBeantwoord, onderwerp: "belastingen.ozb", afsluiten: true), given: nil)
        guard case let .zaakAfgesloten(closing)? = events(result).last?.gebeurtenis else { return XCTFail("no ZaakAfgesloten") }
        XCTAssertEqual(closing.archiefactiedatum, Self.datum("2033-11-23"))
    }

    func testBlijvendBewarenHasNoArchiefactiedatum() {
        let result = when(Self.belt(.directBeantwoord, onderwerp: "vergunningen.monument", afsluiten: true), given: nil)
        XCTAssertEqual(events(result).last?.gebeurtenis,
                       .zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: true, archiefactiedatum: nil)))
    }

    func testAfsluitenAfterASecondContactIsNotDirect() throws {
        let zaak = try given(Self.geopend(), Self.gesprek(.nietOpgelost))
        let result = when(Self.belt(.directBeantwoord, afsluiten: true), given: zaak)
        assertEvents(result, [
            Self.gesprek(.directBeantwoord),
            .zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: false, archiefactiedatum: Self.datum("2028-11-23"))),
        ], versies: [3, 4])
    }

    // MARK: - A contact that does not fit the zaak

    func testContactAboutAnotherOnderwerpIsRefused() throws {
        let zaak = try given(Self.geopend())
        assertFout(when(Self.belt(.directBeantwoord, onderwerp: "parkeren.vergunning"), given: zaak), .regel,
                   "Z-2026-000001 gaat over afval.container-niet-geleegd, niet over parkeren.vergunning", "nieuwe zaak")
    }

    func testContactOfAnotherInwonerIsRefused() throws {
        let zaak = try given(Self.geopend())
        assertFout(when(Self.belt(.directBeantwoord, inwoner: Self.buurman), given: zaak), .regel, "andere inwoner", "inw-0815")
    }

    func testUnknownOnderwerpSuggestsCandidates() {
        let fout = assertFout(when(Self.belt(.directBeantwoord, onderwerp: "kliko"), given: nil), .onbekend,
                              "onderwerp 'kliko' staat niet in de catalogus", "bedoelt u:", "afval.container-niet-geleegd", "afval.container-kapot")
        XCTAssertNotNil(fout)
    }

    func testUnknownOnderwerpWithoutCandidatesPointsToTheCatalogue() {
        let fout = assertFout(when(Self.belt(.directBeantwoord, onderwerp: "xq.zzz"), given: nil), .onbekend, "staat niet in de catalogus")
        XCTAssertEqual(fout?.acties, [Actie(.catalogusTonen)])
    }

    // MARK: - Doorverwijzen

    func testDoorverwijsToAnUnknownAfdelingIsRefusedWithTheKnownOnes() throws {
        let zaak = try given(Self.geopend())
        assertFout(when(Self.doorverwijs("Sinterklaas"), given: zaak), .onbekend,
                   "afdeling 'Sinterklaas' staat niet in de catalogus", "Stadsbeheer", "Werk en Inkomen")
    }

    func testDoorverwijzingenAreNumberedD1D2() throws {
        let zaak = try given(Self.geopend())
        let first = when(Self.doorverwijs(nil), given: zaak)
        assertEvents(first, [
            .doorverwezen(Doorverwezen(doorverwijzing: "D1", afdeling: "Stadsbeheer", soort: .warm, gevraagdeHandeling: "container legen",
                                       toelichting: "al twee weken niet geleegd", uiterlijkOp: Self.datum("2026-11-25"))),
        ], versies: [2])
        let next = try apply(first, to: zaak)
        // The afdeling as typed is looked up without regard to case and stored as the catalogue spells it.
        let second = when(Self.doorverwijs("werk en inkomen"), given: next, moment(idBasis: "u"))
        assertEvents(second, [
            .doorverwezen(Doorverwezen(doorverwijzing: "D2", afdeling: "Werk en Inkomen", soort: .warm, gevraagdeHandeling: "container legen",
                                       toelichting: "al twee weken niet geleegd", uiterlijkOp: Self.datum("2026-11-25"))),
        ], versies: [3], ids: ["u.1"])
    }

    func testDoorverwijsWithoutAZaakIsRefused() {
        assertFout(when(Self.doorverwijs(nil), given: nil), .onbekend, "zaaknummer")
    }

    // MARK: - Terugkoppeling

    func testTerugkoppelingOnAZaakWithoutDoorverwijzingen() throws {
        let zaak = try given(Self.geopend())
        assertFout(when(Self.terugkoppeling("D1", .opgelost), given: zaak), .onbekend,
                   "geen doorverwijzing 'D1'", "er is nog niet doorverwezen")
    }

    func testTerugkoppelingOnAnUnknownDoorverwijzingListsTheExistingOnes() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.terugbelverzoek("D2", "KCC"))
        assertFout(when(Self.terugkoppeling("D7", .opgelost), given: zaak), .onbekend,
                   "geen doorverwijzing 'D7'", "wel: D1 (Stadsbeheer), D2 (KCC)")
    }

    func testTerugkoppelingIsRecorded() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"))
        let result = when(Self.terugkoppeling("d1", .opgelost), given: zaak)
        assertEvents(result, [
            .terugkoppelingOntvangen(TerugkoppelingOntvangen(doorverwijzing: "D1", uitkomst: .opgelost, toelichting: "afgehandeld door de ploeg")),
        ], versies: [3])
        XCTAssertEqual(try apply(result, to: zaak)?.openOverdrachten.map(\.id), [])
    }

    func testASecondTerugkoppelingAfterOpgelostIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost))
        assertFout(when(Self.terugkoppeling("D1", .nietOpgelost), given: zaak), .regel, "D1", "heeft al een terugkoppeling (opgelost)")
    }

    func testOpgelostAfterNietOpgelostIsAccepted() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .nietOpgelost))
        let result = when(Self.terugkoppeling("D1", .opgelost), given: zaak)
        assertEvents(result, [
            .terugkoppelingOntvangen(TerugkoppelingOntvangen(doorverwijzing: "D1", uitkomst: .opgelost, toelichting: "afgehandeld door de ploeg")),
        ], versies: [4])
        XCTAssertEqual(try apply(result, to: zaak)?.overdracht("D1")?.terugkoppelingen.map(\.uitkomst), [.nietOpgelost, .opgelost])
    }

    func testAnAfdelingGivesFeedbackOnlyOnItsOwnDoorverwijzing() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1", "Stadsbeheer"))
        assertFout(when(Self.terugkoppeling("D1", .opgelost), given: zaak, moment(actor: Actor(soort: .afdeling, id: "Parkeren"))), .regel,
                   "D1 is aan Stadsbeheer, niet aan Parkeren")
        // The afdeling itself may, however it spells its name.
        XCTAssertEqual(events(when(Self.terugkoppeling("D1", .opgelost), given: zaak, moment(actor: Actor(soort: .afdeling, id: "stadsbeheer"))))
            .map(\.gebeurtenis.type), ["TerugkoppelingOntvangen"])
    }

    func testDoorgestuurdHandsTheZaakWarmToTheNextAfdeling() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1", "Stadsbeheer"))
        let result = when(Self.terugkoppeling("D1", .doorgestuurd, naar: "handhaving"), given: zaak,
                          moment(actor: Actor(soort: .afdeling, id: "Stadsbeheer")))
        assertEvents(result, [
            .terugkoppelingOntvangen(TerugkoppelingOntvangen(doorverwijzing: "D1", uitkomst: .doorgestuurd, toelichting: "afgehandeld door de ploeg",
                                                             doorgestuurdNaar: "Handhaving")),
            .doorverwezen(Doorverwezen(doorverwijzing: "D2", afdeling: "Handhaving", soort: .warm, gevraagdeHandeling: "afhandelen",
                                       toelichting: "doorgestuurd door Stadsbeheer: afgehandeld door de ploeg",
                                       uiterlijkOp: Self.datum("2026-11-25"))),
        ], versies: [3, 4])
        XCTAssertEqual(try apply(result, to: zaak)?.openOverdrachten.map(\.afdeling), ["Handhaving"])
    }

    func testDoorgestuurdWithoutATargetIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"))
        assertFout(when(Self.terugkoppeling("D1", .doorgestuurd), given: zaak), .ongeldig, "doorgestuurdNaar")
    }

    func testDoorgestuurdToTheSameAfdelingIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1", "Stadsbeheer"))
        assertFout(when(Self.terugkoppeling("D1", .doorgestuurd, naar: "Stadsbeheer"), given: zaak), .ongeldig, "dezelfde afdeling")
    }

    func testDoorgestuurdNaarAnUnknownAfdelingIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"))
        assertFout(when(Self.terugkoppeling("D1", .doorgestuurd, naar: "Tuinbouw"), given: zaak), .onbekend, "afdeling 'Tuinbouw'")
    }

    // MARK: - Closure rules (BRIEF §4) for sluit

    func testSluitOnAZaakThatMeetsTheRules() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.geinformeerd)
        assertEvents(when(.sluit(resultaat: .opgelost, toelichting: "container geleegd", afwijkingsreden: nil), given: zaak), [
            .zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: false, toelichting: "container geleegd",
                                           archiefactiedatum: Self.datum("2028-11-23"))),
        ], versies: [5])
    }

    func testSluitWithoutHandoffsAfterOneContactIsDirect() throws {
        let zaak = try given(Self.geopend(), Self.gesprek(.directBeantwoord))
        XCTAssertEqual(events(when(Self.sluit(), given: zaak)).first?.gebeurtenis,
                       .zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: true, archiefactiedatum: Self.datum("2028-11-23"))))
    }

    func testRule1AnOpenDoorverwijzingBlocksClosing() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"))
        let fout = assertFout(when(Self.sluit(), given: zaak), .regel, regels: [1],
                              "doorverwijzing D1 aan Stadsbeheer heeft nog geen terugkoppeling", "met een afwijking")
        XCTAssertEqual(fout?.acties.last, Actie(.sluitMetAfwijking, zaak: Self.nummer, resultaat: .opgelost))
    }

    func testRule1AnOpenTerugbelverzoekBlocksClosing() throws {
        let zaak = try given(Self.geopend(), Self.terugbelverzoek("D1", "KCC"))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [1], "terugbelverzoek D1 aan KCC heeft nog geen terugkoppeling")
    }

    func testRule2TheInwonerMustBeInformedAfterTheLastTerugkoppeling() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [2], "niet geïnformeerd")
    }

    func testRule2InformingBeforeTheLastTerugkoppelingDoesNotCount() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.geinformeerd, Self.teruggekoppeld("D1", .opgelost))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [2], "niet geïnformeerd")
    }

    func testRule2PassesAfterInwonerGeinformeerd() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost))
        let informed = when(.informeerInwoner(kanaal: .telefoon, toelichting: "uitkomst verteld"), given: zaak)
        assertEvents(informed, [Self.geinformeerd], versies: [4])
        XCTAssertEqual(events(when(Self.sluit(), given: try apply(informed, to: zaak))).map(\.gebeurtenis.type), ["ZaakAfgesloten"])
    }

    func testRule2PassesAfterAnOutboundBericht() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.berichtVerstuurd)
        XCTAssertEqual(events(when(Self.sluit(), given: zaak)).map(\.versie), [5])
    }

    func testRule2PassesAfterAnOutboundCallThatReachedTheInwoner() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost),
                             Self.gesprek(.directBeantwoord, richting: .uitgaand))
        XCTAssertEqual(events(when(Self.sluit(), given: zaak)).map(\.versie), [5])
    }

    func testRule2AnOutboundCallThatDidNotReachTheInwonerDoesNotCount() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost),
                             Self.gesprek(.nietBereikt, richting: .uitgaand, gelukt: false))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [2], "niet geïnformeerd")
    }

    func testRule2AnInboundMessageDoesNotCount() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.berichtOntvangen)
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [2], "niet geïnformeerd")
    }

    func testRule3NietOpgelostWithoutALaterOpgelostBlocksClosing() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .nietOpgelost), Self.geinformeerd)
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [3], "niet opgelost")
    }

    func testRule3IsMetByALaterOpgelost() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .nietOpgelost),
                             Self.teruggekoppeld("D1", .opgelost), Self.geinformeerd)
        XCTAssertEqual(events(when(Self.sluit(), given: zaak)).map(\.gebeurtenis.type), ["ZaakAfgesloten"])
    }

    func testRule3AnOpgelostBeforeTheNietOpgelostDoesNotCount() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost),
                             Self.doorverwezen("D2", "Handhaving"), Self.teruggekoppeld("D2", .nietOpgelost), Self.geinformeerd)
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [3], "niet opgelost")
    }

    func testRules1And2Together() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.doorverwezen("D2", "Handhaving"))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [1, 2], "D2 aan Handhaving", "niet geïnformeerd")
    }

    func testRules2And3Together() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .nietOpgelost))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [2, 3], "niet geïnformeerd", "niet opgelost")
    }

    func testAllThreeRulesTogether() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .nietOpgelost), Self.terugbelverzoek("D2"))
        assertFout(when(Self.sluit(), given: zaak), .regel, regels: [1, 2, 3], "terugbelverzoek D2")
    }

    func testAfwijkenRecordsTheRulesSetAsideAndTheReason() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.doorverwezen("D2", "Handhaving"))
        let result = when(Self.sluit(afwijken: "inwoner verhuisd, afdeling onbereikbaar"), given: zaak)
        assertEvents(result, [
            .zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: false,
                                           afwijking: Afwijking(regels: [1, 2], reden: "inwoner verhuisd, afdeling onbereikbaar"),
                                           archiefactiedatum: Self.datum("2028-11-23"))),
        ], versies: [5])
        XCTAssertEqual(try apply(result, to: zaak)?.status, .gesloten(.opgelost))
    }

    func testAfwijkenWhenNoRuleIsBrokenIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.geinformeerd)
        let fout = assertFout(when(Self.sluit(afwijken: "voor de zekerheid"), given: zaak), .ongeldig, "niet nodig", "zonder afwijking")
        XCTAssertEqual(fout?.acties, [Actie(.sluit, zaak: Self.nummer, resultaat: .opgelost)])
    }

    func testRule1AlsoHoldsForIngetrokken() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"))
        assertFout(when(Self.sluit(.ingetrokken), given: zaak), .regel, regels: [1], "als ingetrokken", "D1")
    }

    func testRules2And3DoNotHoldForIngetrokken() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .nietOpgelost))
        assertEvents(when(Self.sluit(.ingetrokken), given: zaak), [
            .zaakAfgesloten(ZaakAfgesloten(resultaat: .ingetrokken, direct: false, archiefactiedatum: Self.datum("2028-11-23"))),
        ], versies: [4])
    }

    // MARK: - Closed and reopened zaken

    func testClosingAClosedZaakIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        let fout = assertFout(when(Self.sluit(), given: zaak), .regel, "al gesloten", "heropen hem eerst")
        XCTAssertEqual(fout?.acties, [Actie(.heropen, zaak: Self.nummer)])
    }

    func testContactOnAZaakClosedAsOpgelostAfterTheWindowIsRefused() throws {
        // Closed Friday 20 November; the afval window is 14 days, so Saturday 5 December is past it.
        let zaak = try given(Self.geopend(), Self.afgesloten())
        assertFout(when(Self.belt(.directBeantwoord), given: zaak, moment(op: "2026-12-05T09:00:00.000Z")), .regel, "is gesloten", "heropen")
    }

    func testContactOnAZaakClosedAsIngetrokkenIsRefusedEvenWithinTheWindow() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten(.ingetrokken))
        assertFout(when(Self.belt(.directBeantwoord), given: zaak), .regel, "is gesloten")
    }

    // MARK: - Echt opgelost: rules 4 and 5 reopen through the system actor

    func testRule4AWhatsappWithinTheWindowReopensTheZaakByTheSystemActor() throws {
        let zaak = try given(Self.geopend(), Self.gesprek(.directBeantwoord), Self.afgesloten())
        let bericht = BerichtOntvangen(kanaal: .whatsapp, inhoud: "De container staat er nog steeds vol")
        let result = when(Self.contact(.berichtOntvangen(bericht)), given: zaak)
        let produced = events(result)
        XCTAssertEqual(produced.map(\.gebeurtenis.type), ["ZaakHeropend", "BerichtOntvangen"])
        XCTAssertEqual(produced.map(\.versie), [4, 5])
        XCTAssertEqual(produced.map(\.actor), [echtOpgelostControle, Self.kcc], "the system reopens, the agent records the message")
        guard case let .zaakHeropend(reopening)? = produced.first?.gebeurtenis else { return XCTFail("no reopening") }
        XCTAssertEqual(reopening.aanleiding, .opnieuwContact)
        for phrase in ["regel 4", "3 dagen", "whatsapp", "afval.container-niet-geleegd", "14 dagen"] {
            XCTAssertTrue(reopening.reden.contains(phrase), "'\(phrase)' not in: \(reopening.reden)")
        }
        let reopened = try XCTUnwrap(try apply(result, to: zaak))
        XCTAssertTrue(reopened.isOpen)
        XCTAssertEqual(reopened.nietEchtOpgelost, [reopening])
    }

    func testRule2AfterAReopeningByTheControlTheInwonerMustBeInformedAgain() throws {
        let zaak = try given(Self.geopend(), Self.doorverwezen("D1"), Self.teruggekoppeld("D1", .opgelost), Self.geinformeerd, Self.afgesloten())
        let reopened = try apply(when(Self.contact(.berichtOntvangen(BerichtOntvangen(kanaal: .whatsapp, inhoud: "weer vol"))), given: zaak), to: zaak)
        assertFout(when(Self.sluit(), given: reopened), .regel, regels: [2], "na de heropening door de controle niet geïnformeerd")
        let informed = try apply(when(.informeerInwoner(kanaal: .whatsapp, toelichting: "ploeg komt morgen"), given: reopened), to: reopened)
        XCTAssertEqual(events(when(Self.sluit(), given: informed)).map(\.gebeurtenis.type), ["ZaakAfgesloten"])
    }

    func testRule4OnTheLastDayOfTheWindowStillReopens() throws {
        // Closed Friday 20 November (local); 20 + 14 = Friday 4 December, 23:30 local is 22:30 UTC.
        let zaak = try given(Self.geopend(), Self.afgesloten())
        let produced = events(when(Self.belt(.directBeantwoord), given: zaak, moment(op: "2026-12-04T22:30:00.000Z")))
        XCTAssertEqual(produced.map(\.gebeurtenis.type), ["ZaakHeropend", "GesprekGevoerd"])
    }

    func testRule5ASurveySayingNotSolvedWithinTheWindowReopens() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        let result = when(.meetTevredenheid(score: 3, opgelostVolgensInwoner: false, kanaal: .email, toelichting: nil), given: zaak)
        let produced = events(result)
        XCTAssertEqual(produced.map(\.gebeurtenis.type), ["TevredenheidGemeten", "ZaakHeropend"])
        XCTAssertEqual(produced.map(\.actor), [Self.kcc, echtOpgelostControle])
        guard case let .zaakHeropend(reopening)? = produced.last?.gebeurtenis else { return XCTFail("no reopening") }
        XCTAssertEqual(reopening.aanleiding, .tevredenheid)
        XCTAssertTrue(reopening.reden.contains("regel 5") && reopening.reden.contains("score 3"), reopening.reden)
        XCTAssertTrue(try XCTUnwrap(try apply(result, to: zaak)).isOpen)
    }

    func testRule5ASurveySayingNotSolvedAfterTheWindowOnlyRecordsTheScore() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        let result = when(.meetTevredenheid(score: 3, opgelostVolgensInwoner: false, kanaal: nil, toelichting: nil), given: zaak,
                          moment(op: "2026-12-07T09:00:00.000Z"))
        XCTAssertEqual(events(result).map(\.gebeurtenis.type), ["TevredenheidGemeten"])
        XCTAssertEqual(try apply(result, to: zaak)?.status, .gesloten(.opgelost))
    }

    func testRule5ASurveySayingSolvedDoesNotReopen() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        let result = when(.meetTevredenheid(score: 9, opgelostVolgensInwoner: true, kanaal: nil, toelichting: nil), given: zaak)
        XCTAssertEqual(events(result).map(\.gebeurtenis.type), ["TevredenheidGemeten"])
    }

    func testAWhatsappQuestionAndItsAnswerAreStillSettledDirectly() throws {
        let zaak = try given(Self.geopend(kanaal: .whatsapp), Self.berichtOntvangen, Self.berichtVerstuurd)
        XCTAssertTrue(try XCTUnwrap(zaak).isDirectAfhandelbaar, "one inbound contact and its answer")
        let again = try given(Self.geopend(kanaal: .whatsapp), Self.berichtOntvangen, Self.berichtVerstuurd, Self.berichtOntvangen)
        XCTAssertFalse(try XCTUnwrap(again).isDirectAfhandelbaar, "a second inbound contact")
    }

    func testDoorverwijsOnAClosedZaakIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        assertFout(when(Self.doorverwijs(nil), given: zaak), .regel, "is gesloten")
    }

    func testReopeningAnOpenZaakIsRefused() throws {
        let zaak = try given(Self.geopend())
        assertFout(when(.heropen(reden: "toch niet opgelost"), given: zaak), .regel, "niet gesloten")
    }

    func testReopeningAClosedZaakOpensItAgain() throws {
        let zaak = try given(Self.geopend(), Self.gesprek(.directBeantwoord), Self.afgesloten())
        let result = when(.heropen(reden: "container weer niet geleegd"), given: zaak)
        assertEvents(result, [.zaakHeropend(ZaakHeropend(reden: "container weer niet geleegd", aanleiding: .handmatig))], versies: [4])
        let reopened = try XCTUnwrap(try apply(result, to: zaak))
        XCTAssertEqual(reopened.status, .open)
        XCTAssertTrue(reopened.isOpen)
        // Open again: contacts are accepted, and a later closing is no longer direct.
        let next = try apply(when(Self.belt(.directBeantwoord), given: reopened), to: reopened)
        guard case let .zaakAfgesloten(closing)? = events(when(Self.sluit(), given: next)).first?.gebeurtenis else { return XCTFail("not closed") }
        XCTAssertFalse(closing.direct)
    }

    // MARK: - Koppeling

    func testKoppelingOfTwoZakenOfOneInwoner() throws {
        let hoofdzaak = try XCTUnwrap(try given(Self.geopend(), Self.gesprek(.directBeantwoord)))
        let tweede = try XCTUnwrap(try given(Self.geopend(kanaal: .whatsapp), zaak: Self.ander))
        let link = ZakenGekoppeld(hoofdzaak: Self.nummer, gekoppeldeZaak: Self.ander, reden: "zelfde container, ook via WhatsApp")
        let produced: [ZaakGebeurtenis]
        do {
            produced = try decideKoppeling(hoofdzaak: hoofdzaak, gekoppeldeZaak: tweede, reden: "zelfde container, ook via WhatsApp", moment())
        } catch {
            return XCTFail("refused: \(error.melding)")
        }
        XCTAssertEqual(produced.map(\.gebeurtenis), [.zakenGekoppeld(link), .zakenGekoppeld(link)])
        XCTAssertEqual(produced.map(\.zaak), [Self.nummer, Self.ander])
        XCTAssertEqual(produced.map(\.versie), [3, 2])
        XCTAssertEqual(produced.map(\.id), ["t.1", "t.2"])

        let hoofd = try evolve(hoofdzaak, produced[0])
        let gekoppeld = try evolve(tweede, produced[1])
        XCTAssertEqual(hoofd.status, .open)
        XCTAssertEqual(hoofd.gekoppeldeZaken, [Self.ander])
        XCTAssertEqual(gekoppeld.status, .gekoppeld(aan: Self.nummer))
        assertFout(when(Self.belt(.directBeantwoord), given: gekoppeld), .regel, "gekoppeld aan Z-2026-000001", "registreer alles op Z-2026-000001")
        assertFout(when(.informeerInwoner(kanaal: .email, toelichting: nil), given: gekoppeld), .regel, "gekoppeld")
    }

    func testKoppelingOfZakenOfDifferentInwonersIsRefused() throws {
        let hoofdzaak = try XCTUnwrap(try given(Self.geopend()))
        let tweede = try XCTUnwrap(try given(Self.geopend(inwoner: Self.buurman), zaak: Self.ander))
        assertThrows(.regel, "verschillende inwoners") { () throws(ZaakFout) in
            _ = try decideKoppeling(hoofdzaak: hoofdzaak, gekoppeldeZaak: tweede, reden: "lijkt hetzelfde", moment())
        }
    }

    func testKoppelingOfAZaakWithAnOpenHandoffIsRefused() throws {
        let hoofdzaak = try XCTUnwrap(try given(Self.geopend()))
        let tweede = try XCTUnwrap(try given(Self.geopend(kanaal: .whatsapp), Self.doorverwezen("D1"), zaak: Self.ander))
        assertThrows(.regel, "open doorverwijzing (D1, Stadsbeheer)") { () throws(ZaakFout) in
            _ = try decideKoppeling(hoofdzaak: hoofdzaak, gekoppeldeZaak: tweede, reden: "zelfde container", moment())
        }
    }

    func testKoppelingOfAZaakToItselfIsRefused() throws {
        let zaak = try XCTUnwrap(try given(Self.geopend()))
        assertThrows(.ongeldig, "zichzelf") { () throws(ZaakFout) in
            _ = try decideKoppeling(hoofdzaak: zaak, gekoppeldeZaak: zaak, reden: "per ongeluk", moment())
        }
    }

    // MARK: - Tevredenheid

    func testTevredenheidScoreOutsideOneToTenIsRefused() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        for score in [0, 11] {
            assertFout(when(.meetTevredenheid(score: score, opgelostVolgensInwoner: true, kanaal: nil, toelichting: nil), given: zaak), .ongeldig,
                       "score \(score) ligt niet tussen 1 en 10")
        }
    }

    func testTevredenheidOnAClosedZaak() throws {
        let zaak = try given(Self.geopend(), Self.afgesloten())
        let result = when(.meetTevredenheid(score: 8, opgelostVolgensInwoner: true, kanaal: .email, toelichting: "snel geholpen"), given: zaak)
        assertEvents(result, [
            .tevredenheidGemeten(TevredenheidGemeten(score: 8, opgelostVolgensInwoner: true, kanaal: .email, toelichting: "snel geholpen")),
        ], versies: [3])
        let measured = try XCTUnwrap(try apply(result, to: zaak))
        XCTAssertEqual(measured.status, .gesloten(.opgelost), "a measurement does not reopen by itself")
        XCTAssertEqual(measured.tevredenheid.map(\.score), [8])
    }

    // MARK: - evolve and controleer

    func testEvolveRefusesAVersieGap() throws {
        let zaak = try given(Self.geopend())
        assertThrows(.conflict, "versie 1", "verwacht 2") { () throws(ZaakFout) in
            _ = try evolve(zaak, givenEnvelope(Self.gesprek(.directBeantwoord), versie: 3))
        }
    }

    func testEvolveRefusesAVersieAlreadyTaken() throws {
        let zaak = try given(Self.geopend(), Self.gesprek(.directBeantwoord))
        assertThrows(.conflict, "verwacht 3") { () throws(ZaakFout) in
            _ = try evolve(zaak, givenEnvelope(Self.berichtOntvangen, versie: 2))
        }
    }

    func testEvolveRefusesAFirstEventThatIsNotZaakGeopend() {
        assertThrows(.onbekend, "bestaat niet", "ZaakGeopend") { () throws(ZaakFout) in
            _ = try evolve(nil, givenEnvelope(Self.gesprek(.directBeantwoord), versie: 1))
        }
    }

    func testEvolveRefusesASecondZaakGeopend() throws {
        let zaak = try given(Self.geopend())
        assertThrows(.regel, "al geopend") { () throws(ZaakFout) in
            _ = try evolve(zaak, givenEnvelope(Self.geopend(), versie: 2))
        }
    }

    /// An imported event; on Friday 2026-11-20 unless `op` says otherwise (the deadlines of
    /// `geopend` and `doorverwezen` are that day's).
    private func importEvent(_ gebeurtenis: Gebeurtenis, versie: Int = 1, id: String = "import-7.1", op: String = "2026-11-20T08:00:00.000Z",
                             zaak nummer: Zaaknummer = DecideTests.nummer, actor: Actor = Actor(soort: .systeem, id: "webformulier")) -> ZaakGebeurtenis {
        ZaakGebeurtenis(id: id, zaak: nummer, versie: versie, plaatsgevondenOp: Self.tijd(op), actor: actor, gebeurtenis: gebeurtenis)
    }

    func testControleerAcceptsAnImportThatCouldHaveBeenDecided() throws {
        let zaak = try controleer(importEvent(Self.geopend()), nil, catalogus: .standaard, nu: Self.nu)
        XCTAssertEqual(zaak.nummer, Self.nummer)
        XCTAssertEqual(try controleer(importEvent(Self.doorverwezen("D1"), versie: 2, id: "import-7.2"), zaak, catalogus: .standaard, nu: Self.nu).versie, 2)
    }

    func testControleerRefusesAnUnknownAfdeling() throws {
        let zaak = try given(Self.geopend())
        assertThrows(.onbekend, "afdeling 'Sinterklaas'") { () throws(ZaakFout) in
            _ = try controleer(importEvent(Self.doorverwezen("D1", "Sinterklaas"), versie: 2), zaak, catalogus: .standaard, nu: Self.nu)
        }
        // An import is not forgiven a different spelling: it is stored as is.
        assertThrows(.onbekend, "niet (zo gespeld)") { () throws(ZaakFout) in
            _ = try controleer(importEvent(Self.terugbelverzoek("D1", "stadsbeheer"), versie: 2), zaak, catalogus: .standaard, nu: Self.nu)
        }
    }

    func testControleerRefusesAnUnknownOnderwerp() {
        guard case var .zaakGeopend(opening) = Self.geopend() else { return XCTFail() }
        opening.onderwerp = "afval.bestaat-niet"
        assertThrows(.onbekend, "onderwerp 'afval.bestaat-niet'") { () throws(ZaakFout) in
            _ = try controleer(importEvent(.zaakGeopend(opening)), nil, catalogus: .standaard, nu: Self.nu)
        }
    }

    func testControleerRefusesAFuturePlaatsgevondenOp() {
        assertThrows(.ongeldig, "in de toekomst") { () throws(ZaakFout) in
            _ = try controleer(importEvent(Self.geopend(), op: "2026-11-24T08:15:00.000Z"), nil, catalogus: .standaard, nu: Self.nu)
        }
    }

    func testControleerRefusesAnInvalidId() {
        for id in ["", "met spatie", "ü.1", String(repeating: "x", count: 129)] {
            assertThrows(.ongeldig, "is ongeldig") { () throws(ZaakFout) in
                _ = try controleer(importEvent(Self.geopend(), id: id), nil, catalogus: .standaard, nu: Self.nu)
            }
        }
    }

    // MARK: - Replay

    func testReplayOfDecidedEventsEqualsTheStateBuiltStepByStep() throws {
        let stadsbeheer = Actor(soort: .afdeling, id: "Stadsbeheer")
        let steps: [(Opdracht, Beslismoment)] = [
            (Self.belt(.doorverbonden), moment(op: "2026-11-23T08:15:00.000Z", idBasis: "a")),
            (Self.terugkoppeling("D1", .nietOpgelost), moment(op: "2026-11-24T10:00:00.000Z", actor: stadsbeheer, idBasis: "b")),
            (Self.contact(.berichtOntvangen(BerichtOntvangen(kanaal: .whatsapp, inhoud: "nog steeds vol"))), moment(op: "2026-11-24T12:00:00.000Z", idBasis: "c")),
            (Self.terugkoppeling("D1", .doorgestuurd, naar: "Handhaving"), moment(op: "2026-11-25T09:00:00.000Z", actor: stadsbeheer, idBasis: "d")),
            (Self.terugkoppeling("D2", .opgelost), moment(op: "2026-11-26T09:00:00.000Z", actor: Actor(soort: .afdeling, id: "Handhaving"), idBasis: "e")),
            (.informeerInwoner(kanaal: .whatsapp, toelichting: "opgelost"), moment(op: "2026-11-26T10:00:00.000Z", idBasis: "f")),
            (Self.sluit(), moment(op: "2026-11-26T10:05:00.000Z", idBasis: "g")),
            // Rule 5: the survey's "not solved" makes the system reopen the zaak in the same batch.
            (.meetTevredenheid(score: 3, opgelostVolgensInwoner: false, kanaal: .email, toelichting: nil), moment(op: "2026-11-27T10:00:00.000Z", idBasis: "h")),
        ]
        var state: Zaak?
        var log: [ZaakGebeurtenis] = []
        for (opdracht, moment) in steps {
            let decided = events(when(opdracht, given: state, moment))
            XCTAssertFalse(decided.isEmpty)
            for event in decided { state = try evolve(state, event) }
            log += decided
        }
        XCTAssertEqual(log.map(\.versie), Array(1...log.count))
        XCTAssertEqual(log.map(\.gebeurtenis.type), [
            "ZaakGeopend", "GesprekGevoerd", "Doorverwezen", "TerugkoppelingOntvangen", "BerichtOntvangen", "TerugkoppelingOntvangen",
            "Doorverwezen", "TerugkoppelingOntvangen", "InwonerGeinformeerd", "ZaakAfgesloten", "TevredenheidGemeten", "ZaakHeropend",
        ])
        XCTAssertEqual(Set(log.map(\.id)).count, log.count, "ids are unique")
        let replayed = try herstel(log)
        XCTAssertEqual(replayed, state)
        XCTAssertEqual(replayed?.versie, 12)
        XCTAssertEqual(replayed?.status, .open)
        // Deciding the same step again on the same state gives the same events (a retry is idempotent).
        let prefix = try XCTUnwrap(try herstel(Array(log.prefix(3))))
        XCTAssertEqual(events(when(steps[1].0, given: prefix, steps[1].1)), Array(log[3...3]))
    }

    func testHerstelOfNoEventsIsNoZaak() throws {
        XCTAssertNil(try herstel([]))
    }

    // MARK: - Smaller points

    func testArchiefactiedatumFrom29FebruaryIntoACommonYearIs28February() {
        let vraag = when(Self.belt(.directBeantwoord, onderwerp: "kcc.algemene-vraag", afsluiten: true), given: nil, moment(op: "2028-02-29T10:00:00.000Z"))
        guard case let .zaakAfgesloten(closing)? = events(vraag).last?.gebeurtenis else { return XCTFail() }
        XCTAssertEqual(closing.archiefactiedatum, Self.datum("2029-02-28"))
    }

    func testNaastLopendeZaakIsRecordedInTheOpening() {
        let result = when(.registreerContact(Contact(soort: .gesprek(Self.gesprekData(.directBeantwoord)), inwoner: Self.inwoner,
                                                     onderwerp: "afval.container-niet-geleegd", naastLopendeZaak: Self.ander)), given: nil)
        guard case let .zaakGeopend(opening)? = events(result).first?.gebeurtenis else { return XCTFail("no ZaakGeopend") }
        XCTAssertEqual(opening.naastLopendeZaak, Self.ander)
    }

    func testControleerToleratesFiveMinutesOfClockSkew() {
        XCTAssertNoThrow(try controleer(importEvent(Self.geopend(op: "2026-11-23"), op: "2026-11-23T08:19:00.000Z"), nil, catalogus: .standaard, nu: Self.nu))
    }

    // MARK: - Bugs found by these tests, fixed

    func testADoorverbondenCallOnAnExistingZaakKeepsTheZaaksTermijn() throws {
        // A later catalogue gives the onderwerp 10 werkdagen; the zaak was opened with 2.
        let standaard = Catalogus.standaard
        let onderwerpen = standaard.onderwerpen.map { onderwerp -> Onderwerp in
            var changed = onderwerp
            if onderwerp.code == "afval.container-niet-geleegd" { changed.afhandeltermijnWerkdagen = 10 }
            return changed
        }
        let later = try Catalogus(gemeente: standaard.gemeente, versie: "2027.1", afdelingen: standaard.afdelingen, onderwerpen: onderwerpen)
        let zaak = try given(Self.geopend())
        let result = when(Self.belt(.doorverbonden), given: zaak, moment(catalogus: later))
        guard case let .doorverwezen(handoff)? = events(result).last?.gebeurtenis else { return XCTFail("no Doorverwezen") }
        XCTAssertEqual(handoff.uiterlijkOp, Self.datum("2026-11-25"))
    }

    func testATerugbelverzoekWithAnInvalidTelephoneIsRefused() throws {
        let zaak = try given(Self.geopend())
        assertFout(when(.vraagTerugbellen(afdeling: nil, toelichting: "terugbellen", telefoon: "bel me maar"), given: zaak), .ongeldig, "telefoonnummer")
    }

    func testArchiefactiedatumFrom29FebruaryIntoALeapYearStaysOnThe29th() {
        let result = when(Self.belt(.directBeantwoord, onderwerp: "jeugd.jeugdhulp", afsluiten: true), given: nil, moment(op: "2028-02-29T10:00:00.000Z"))
        guard case let .zaakAfgesloten(closing)? = events(result).last?.gebeurtenis else { return XCTFail("no ZaakAfgesloten") }
        XCTAssertEqual(closing.archiefactiedatum, Self.datum("2048-02-29"))
    }

    // MARK: - Next steps as data (the shells render them)

    func testTheNextStepAgreesWithTheVerdictOnceTheInwonerIsInformed() throws {
        // A WhatsApp question, handed off, answered by the afdeling, the inwoner told: the rules hold,
        // so the next step is closing, not answering the (long answered) question.
        let zaak = try XCTUnwrap(try given(Self.geopend(kanaal: .whatsapp), Self.berichtOntvangen, Self.doorverwezen("D1"),
                                           Self.teruggekoppeld("D1", .opgelost), Self.geinformeerd))
        XCTAssertEqual(zaak.afsluitbevindingen(resultaat: .opgelost), [])
        XCTAssertEqual(zaak.volgendeStap, VolgendeStap("de zaak kan gesloten worden als opgelost.",
                                                       acties: [Actie(.sluit, zaak: Self.nummer, resultaat: .opgelost)]))
        // A new question after that waits for an answer again.
        let asked = try XCTUnwrap(try evolve(zaak, givenEnvelope(Self.berichtOntvangen, versie: 6)))
        XCTAssertEqual(asked.volgendeStap.acties.map(\.soort), [.beantwoord, .doorverwijs, .sluit])
    }

    func testStepsAreValuesWithoutCommandSyntax() throws {
        let handedOff = try XCTUnwrap(try given(Self.geopend(), Self.doorverwezen("D1")))
        XCTAssertEqual(handedOff.volgendeStap.acties, [Actie(.terugkoppeling, zaak: Self.nummer, doorverwijzing: "D1")])
        let refused = assertFout(when(Self.sluit(), given: handedOff), .regel, regels: [1], "D1 aan Stadsbeheer heeft nog geen terugkoppeling")
        XCTAssertEqual(refused?.acties, [Actie(.terugkoppeling, zaak: Self.nummer, doorverwijzing: "D1"),
                                         Actie(.sluitMetAfwijking, zaak: Self.nummer, resultaat: .opgelost)])
        let closed = try given(Self.geopend(), Self.afgesloten(.ingetrokken))
        XCTAssertEqual(assertFout(when(Self.sluit(), given: closed), .regel, "heropen hem eerst")?.acties, [Actie(.heropen, zaak: Self.nummer)])
        // No message of the domain names a command, an option or a route.
        for fout in [refused, assertFout(when(Self.sluit(), given: closed), .regel)].compactMap({ $0 }) {
            XCTAssertFalse(fout.melding.contains("zaak ") && fout.melding.contains("--"), fout.melding)
            XCTAssertFalse(fout.melding.contains("`"), fout.melding)
        }
        for stap in [handedOff.volgendeStap, try XCTUnwrap(closed).volgendeStap] {
            XCTAssertFalse(stap.tekst.contains("`") || stap.tekst.contains("--"), stap.tekst)
        }
    }

    // MARK: - Issue 15: what arrives whole is checked as the deciders decide

    /// Imports every event of `events` in turn through `controleer`, as one zaak's stream.
    private func importeer(_ events: [Gebeurtenis], op tijden: [String], actors: [Actor]? = nil) throws(ZaakFout) -> Zaak? {
        var zaak: Zaak?
        for (index, gebeurtenis) in events.enumerated() {
            let event = importEvent(gebeurtenis, versie: index + 1, id: "imp.\(index + 1)", op: tijden[min(index, tijden.count - 1)],
                                    actor: actors?[index] ?? Self.kcc)
            zaak = try controleer(event, zaak, catalogus: .standaard, nu: Self.tijd("2026-12-31T12:00:00.000Z"))
        }
        return zaak
    }

    func testControleerRefusesADoorverwezenWhoseDeadlineIsNotTheCataloguesWorkingDays() throws {
        // Zwerfafval has 3 werkdagen. Wednesday 24 December 2025: 25 and 26 are Christmas, 27 and 28 a
        // weekend, so Mon 29, Tue 30, Wed 31: the deadline is 31 December, not 29 December.
        let onderwerp = "openbare-ruimte.zwerfafval"
        let handoff = { (uiterlijk: String) in
            Gebeurtenis.doorverwezen(Doorverwezen(doorverwijzing: "D1", afdeling: "Stadsbeheer", soort: .koud, gevraagdeHandeling: "afhandelen",
                                                  toelichting: "afval bij de glasbak", uiterlijkOp: Self.datum(uiterlijk)))
        }
        let tijd = ["2025-12-24T10:00:00.000Z"]
        assertThrows(.ongeldig, "uiterlijkOp 2025-12-29 klopt niet", "3 werkdagen na wo 24 dec 2025 is wo 31 dec 2025") { () throws(ZaakFout) in
            _ = try importeer([Self.geopend(onderwerp, op: "2025-12-24"), handoff("2025-12-29")], op: tijd)
        }
        XCTAssertEqual(try importeer([Self.geopend(onderwerp, op: "2025-12-24"), handoff("2025-12-31")], op: tijd)?.overdrachten.first?.uiterlijkOp,
                       Self.datum("2025-12-31"))
        // The deciders agree: a handoff made that day is due on the 31st.
        let zaak = try importeer([Self.geopend(onderwerp, op: "2025-12-24")], op: tijd)
        let decided = events(when(Self.doorverwijs(nil), given: zaak, moment(op: "2025-12-24T10:05:00.000Z")))
        guard case let .doorverwezen(made)? = decided.first?.gebeurtenis else { return XCTFail("no Doorverwezen") }
        XCTAssertEqual(made.uiterlijkOp, Self.datum("2025-12-31"))
        // The opening's own deadline and a callback's are checked the same way.
        assertThrows(.ongeldig, "uiterlijkAfgehandeldOp 2025-12-29 klopt niet") { () throws(ZaakFout) in
            guard case var .zaakGeopend(opening) = Self.geopend(onderwerp, op: "2025-12-24") else { return }
            opening.uiterlijkAfgehandeldOp = Self.datum("2025-12-29")
            _ = try importeer([.zaakGeopend(opening)], op: tijd)
        }
        assertThrows(.ongeldig, "uiterlijkOp 2025-12-26 klopt niet", "2 werkdagen na wo 24 dec 2025 is di 30 dec 2025") { () throws(ZaakFout) in
            _ = try importeer([Self.geopend(onderwerp, op: "2025-12-24"),
                               .terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(doorverwijzing: "D1", afdeling: "Stadsbeheer", toelichting: "bellen",
                                                                                    uiterlijkOp: Self.datum("2025-12-26")))], op: tijd)
        }
    }

    func testControleerRefusesAnOpeningWithAnotherTermijnThanItsCatalogueVersion() throws {
        guard case var .zaakGeopend(opening) = Self.geopend() else { return XCTFail() }
        opening.afhandeltermijnWerkdagen = 10
        opening.uiterlijkAfgehandeldOp = Kalender.plusWerkdagen(10, na: Self.datum("2026-11-20"))
        assertThrows(.ongeldig, "afhandeltermijnWerkdagen 10 klopt niet", "catalogus 2026.1 zegt 2") { () throws(ZaakFout) in
            _ = try controleer(importEvent(.zaakGeopend(opening)), nil, catalogus: .standaard, nu: Self.nu)
        }
        // Opened under another catalogue version, the zaak keeps the termijn it was opened with.
        opening.catalogusversie = "2025.3"
        XCTAssertEqual(try controleer(importEvent(.zaakGeopend(opening)), nil, catalogus: .standaard, nu: Self.nu).opening.afhandeltermijnWerkdagen, 10)
    }

    func testRule5ASurveySayingNotSolvedOnAClosedZaakMustBeFollowedByTheReopening() throws {
        let tijden = ["2026-11-20T08:00:00.000Z", "2026-11-20T08:05:00.000Z", "2026-11-20T08:06:00.000Z", "2026-11-23T09:00:00.000Z",
                      "2026-11-23T09:10:00.000Z"]
        let survey = Gebeurtenis.tevredenheidGemeten(TevredenheidGemeten(score: 2, opgelostVolgensInwoner: false))
        let story = [Self.geopend(), Self.gesprek(.directBeantwoord), Self.afgesloten(), survey]
        // What the import sent: the survey, then something else than the closure check's reopening.
        assertThrows(.regel, regels: [5], "regel 5", "ZaakHeropend met aanleiding tevredenheid", "niet InwonerGeinformeerd") { () throws(ZaakFout) in
            _ = try importeer(story + [Self.geinformeerd], op: tijden)
        }
        // The decider's events for the same survey pass, and reopen the zaak.
        let closed = try importeer(Array(story.dropLast()), op: tijden)
        let decided = events(when(.meetTevredenheid(score: 2, opgelostVolgensInwoner: false, kanaal: nil, toelichting: nil), given: closed,
                                  moment(op: tijden[3])))
        var zaak = closed
        for event in decided { zaak = try controleer(event, zaak, catalogus: .standaard, nu: Self.tijd("2026-12-31T12:00:00.000Z")) }
        XCTAssertEqual(zaak?.isOpen, true)
        XCTAssertEqual(zaak?.nietEchtOpgelost.map(\.aanleiding), [.tevredenheid])
        // A survey past the window needs no reopening.
        let late = try importeer(story + [Self.geinformeerd], op: Array(tijden.prefix(3)) + ["2026-12-07T09:00:00.000Z"])
        XCTAssertEqual(late?.status, .gesloten(.opgelost))
    }

    func testRule4AContactOnAZaakClosedWithinItsWindowIsRefusedWithoutTheReopening() throws {
        let tijden = ["2026-11-20T08:00:00.000Z", "2026-11-20T08:05:00.000Z", "2026-11-20T08:06:00.000Z", "2026-11-23T08:00:00.000Z"]
        let story = [Self.geopend(), Self.gesprek(.directBeantwoord), Self.afgesloten()]
        assertThrows(.regel, regels: [4], "regel 4", "inw-4711", "ZaakHeropend (aanleiding opnieuw-contact") { () throws(ZaakFout) in
            _ = try importeer(story + [Self.berichtOntvangen], op: tijden)
        }
        let reopening = Gebeurtenis.zaakHeropend(ZaakHeropend(reden: "regel 4: opnieuw contact", aanleiding: .opnieuwContact))
        let zaak = try importeer(story + [reopening, Self.berichtOntvangen], op: tijden,
                                 actors: [Self.kcc, Self.kcc, Self.kcc, echtOpgelostControle, Self.kcc])
        XCTAssertEqual(zaak?.nietEchtOpgelost.map(\.aanleiding), [.opnieuwContact])
    }

    func testRule4AnOpeningBesideAZaakClosedWithinItsWindowIsRefused() throws {
        let closed = try XCTUnwrap(try given(Self.geopend(), Self.gesprek(.directBeantwoord), Self.afgesloten(), zaak: Self.ander))
        let opening = importEvent(Self.geopend(op: "2026-11-23"), op: "2026-11-23T08:00:00.000Z")
        assertThrows(.regel, regels: [4], "regel 4", "zaak Z-2026-000002", "gesloten als opgelost op vr 20 nov 2026", "naastLopendeZaak") { () throws(ZaakFout) in
            try controleerOpening(opening, naast: closed)
        }
        // Another onderwerp, another inwoner, or after the window: nothing to say.
        XCTAssertNoThrow(try controleerOpening(importEvent(Self.geopend("parkeren.vergunning", op: "2026-11-23"), op: "2026-11-23T08:00:00.000Z"), naast: closed))
        XCTAssertNoThrow(try controleerOpening(importEvent(Self.geopend(inwoner: Self.buurman, op: "2026-11-23"), op: "2026-11-23T08:00:00.000Z"), naast: closed))
        XCTAssertNoThrow(try controleerOpening(importEvent(Self.geopend(op: "2026-12-07"), op: "2026-12-07T08:00:00.000Z"), naast: closed))
    }

    func testRule4ANewZaakWithinTheWindowReopensTheClosedOneAndRecordsIt() throws {
        // --nieuwe-zaak on Monday 23 November; Z-2026-000002 was closed as opgelost on Friday 20 November.
        let closed = try XCTUnwrap(try given(Self.geopend(), Self.gesprek(.directBeantwoord), Self.afgesloten(), zaak: Self.ander))
        let contact = Contact(soort: .gesprek(Self.gesprekData(.directBeantwoord)), inwoner: Self.inwoner, onderwerp: "afval.container-niet-geleegd")
        let produced = try decideNieuweZaak(contact, naast: closed, moment())
        XCTAssertEqual(produced.map(\.gebeurtenis.type), ["ZaakHeropend", "ZaakGeopend", "GesprekGevoerd"])
        XCTAssertEqual(produced.map(\.zaak), [Self.ander, Self.nummer, Self.nummer])
        XCTAssertEqual(produced.map(\.versie), [4, 1, 2])
        XCTAssertEqual(produced.map(\.id), ["t.0", "t.1", "t.2"])
        XCTAssertEqual(produced[0].actor, echtOpgelostControle)
        guard case let .zaakHeropend(reopening) = produced[0].gebeurtenis, case let .zaakGeopend(opening) = produced[1].gebeurtenis else { return XCTFail() }
        XCTAssertEqual(reopening.aanleiding, .opnieuwContact)
        XCTAssertTrue(reopening.reden.contains("regel 4") && reopening.reden.contains("nieuwe zaak Z-2026-000001"), reopening.reden)
        XCTAssertEqual(opening.naastLopendeZaak, Self.ander, "the event records the zaak beside it")
        XCTAssertEqual(try evolve(closed, produced[0]).nietEchtOpgelost, [reopening])
        // After the window: only the new zaak.
        XCTAssertEqual(try decideNieuweZaak(contact, naast: closed, moment(op: "2026-12-07T09:00:00.000Z")).map(\.gebeurtenis.type),
                       ["ZaakGeopend", "GesprekGevoerd"])
    }

    func testADeadlineIsAWerkdagAndAnyDayAfterItIsLate() {
        // Friday 20 November 2026 due, answered Saturday: late, though no werkdag lies between.
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-11-20"), op: Self.datum("2026-11-20")), 0)
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-11-20"), op: Self.datum("2026-11-19")), 0)
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-11-20"), op: Self.datum("2026-11-21")), 1)
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-11-20"), op: Self.datum("2026-11-23")), 1)
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-11-20"), op: Self.datum("2026-11-24")), 2)
        // Due Thursday 24 December, answered on Christmas Day or on Monday 28th.
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-12-24"), op: Self.datum("2026-12-25")), 1)
        XCTAssertEqual(Kalender.werkdagenTeLaat(uiterlijk: Self.datum("2026-12-24"), op: Self.datum("2026-12-28")), 1)
    }

    func testRule2AndTheAnswerToAQuestionShareOneDefinition() throws {
        XCTAssertTrue(Gebeurtenis.inwonerGeinformeerd(InwonerGeinformeerd(kanaal: .telefoon)).informeertInwoner)
        XCTAssertTrue(Self.berichtVerstuurd.informeertInwoner)
        XCTAssertTrue(Self.gesprek(.directBeantwoord, richting: .uitgaand).informeertInwoner)
        XCTAssertFalse(Self.gesprek(.nietBereikt, richting: .uitgaand, gelukt: false).informeertInwoner, "niet-bereikt told nobody anything")
        XCTAssertFalse(Self.berichtOntvangen.informeertInwoner)
        let zaak = try XCTUnwrap(try given(Self.geopend(), Self.berichtOntvangen, Self.gesprek(.nietBereikt, richting: .uitgaand, gelukt: false)))
        XCTAssertEqual(zaak.laatstGeinformeerdVersie, nil)
        XCTAssertEqual(zaak.contacten.map(\.gelukt), [true, false])
        XCTAssertEqual(zaak.contacten.map(\.uitkomst), [nil, .nietBereikt])
    }
}
