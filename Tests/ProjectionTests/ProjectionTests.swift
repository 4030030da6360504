import DemoTraffic
import Domain
import EventLog
import Foundation
import Projections
import Service
import SQLite
import Synchronization
import XCTest

/// The read models against a real log, written through the same service the CLI uses. Times are
/// given per command; "now" for the reads is fixed per test.
final class ProjectionTests: XCTestCase {
    private var directory = ""
    private var service: ZaakService!
    private var counter = 0

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "projections-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        service = try ZaakService(dataDirectory: directory, catalogus: .standaard)
    }

    override func tearDownWithError() throws {
        service = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Helpers

    private static let kcc = Actor(soort: .medewerker, id: "kcc-7")

    private func tijd(_ local: String) -> Tijdstip {
        // "2026-12-24 10:00" in Amsterdam winter time (UTC+1).
        let parts = local.split(separator: " ")
        let clock = parts[1].split(separator: ":").map { Int($0)! }
        return Tijdstip(milliseconden: (Datum(String(parts[0]))!.dagnummer * 86_400 + Int64((clock[0] - 1) * 3600 + clock[1] * 60)) * 1000)
    }

    private func moment(_ local: String, actor: Actor = ProjectionTests.kcc) -> Beslismoment {
        counter += 1
        let op = tijd(local)
        return Beslismoment(nu: op, plaatsgevondenOp: op, actor: actor, catalogus: .standaard, idBasis: "t\(counter)")
    }

    @discardableResult
    private func contact(_ soort: Contact.Soort, _ inwoner: String, _ onderwerp: String, _ local: String, afsluiten: Bool = false) throws -> Zaaknummer {
        let contact = Contact(soort: soort, inwoner: Inwoner(ref: inwoner), onderwerp: onderwerp, afsluiten: afsluiten)
        return try service.registreerContact(contact, zaak: nil, nieuweZaak: false, verwachteVersie: nil, moment: moment(local)).zaak.nummer
    }

    private func belt(_ uitkomst: GesprekUitkomst, _ inwoner: String, _ onderwerp: String, _ local: String, afsluiten: Bool = false) throws -> Zaaknummer {
        try contact(.gesprek(GesprekGevoerd(kanaal: .telefoon, richting: .inkomend, wachttijdSeconden: 30, duurSeconden: 240, uitkomst: uitkomst,
                                            indicatieContactGelukt: true)), inwoner, onderwerp, local, afsluiten: afsluiten)
    }

    private func whatsapp(_ inwoner: String, _ onderwerp: String, _ local: String) throws -> Zaaknummer {
        try contact(.berichtOntvangen(BerichtOntvangen(kanaal: .whatsapp, inhoud: "vraag")), inwoner, onderwerp, local)
    }

    private func run(_ opdracht: Opdracht, _ nummer: Zaaknummer, _ local: String, actor: Actor = ProjectionTests.kcc) throws {
        _ = try service.voerUit(opdracht, op: nummer, verwachteVersie: nil, moment: moment(local, actor: actor))
    }

    private func doorverwijs(_ nummer: Zaaknummer, _ afdeling: String, _ local: String, soort: Doorverwijzingssoort = .warm) throws {
        try run(.doorverwijs(afdeling: afdeling, soort: soort, gevraagdeHandeling: "afhandelen", toelichting: "graag", toegewezenAanMedewerker: nil), nummer, local)
    }

    private func terugkoppeling(_ nummer: Zaaknummer, _ id: String, _ uitkomst: TerugkoppelingUitkomst, _ local: String) throws {
        try run(.registreerTerugkoppeling(doorverwijzing: id, uitkomst: uitkomst, toelichting: "gedaan", doorgestuurdNaar: nil), nummer, local)
    }

    private func lezer() throws -> Leesmodel {
        try service.bijwerken()
        return try service.register()
    }

    private var database: String { directory + "/projecties.sqlite" }

    // MARK: The department's queue

    func testQueueListsExactlyTheAfdelingsOpenHandoffsOldestDeadlineFirstInWorkingDays() throws {
        // Afval has 2 werkdagen. Thursday 24 Dec: 25 and 26 Dec are Christmas, 27 a Sunday, so the
        // deadline is Tuesday 29 Dec. Friday 18 Dec: Mon 21, Tue 22. Wednesday 23 Dec: Thu 24, Mon 28.
        let christmas = try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-12-24 10:00")
        try doorverwijs(christmas, "Stadsbeheer", "2026-12-24 10:05", soort: .koud)
        let friday = try whatsapp("inw-2", "afval.container-niet-geleegd", "2026-12-18 16:00")
        try doorverwijs(friday, "Stadsbeheer", "2026-12-18 16:10")
        let wednesday = try whatsapp("inw-3", "afval.container-niet-geleegd", "2026-12-23 09:00")
        try doorverwijs(wednesday, "Stadsbeheer", "2026-12-23 09:10")
        // Not in the queue: answered, or another afdeling's.
        let answered = try whatsapp("inw-4", "afval.container-niet-geleegd", "2026-12-17 09:00")
        try doorverwijs(answered, "Stadsbeheer", "2026-12-17 09:05")
        try terugkoppeling(answered, "D1", .opgelost, "2026-12-18 09:00")
        let parking = try whatsapp("inw-5", "parkeren.vergunning", "2026-12-17 09:00")
        try doorverwijs(parking, "Parkeren", "2026-12-17 09:05")

        let queue = try lezer().werkvoorraad(afdeling: "stadsbeheer", nu: tijd("2026-12-24 12:00"))
        XCTAssertEqual(queue.map(\.zaak), [friday, wednesday, christmas].map(\.description))
        XCTAssertEqual(queue.map(\.uiterlijkOp), ["2026-12-22", "2026-12-28", "2026-12-29"])
        XCTAssertEqual(queue.map(\.soort), ["warm", "warm", "koud"])
        // On Thursday the 24th, the 22nd is two werkdagen ago (23rd, 24th).
        XCTAssertEqual(queue.map(\.teLaatWerkdagen), [2, 0, 0])
        XCTAssertEqual(queue.map(\.werkdagenOver), [0, 1, 2])
    }

    // MARK: Echt opgelost

    func testAWhatsappWithinTheWindowAfterClosingShowsNietEchtOpgelostAndReopensTheZaak() throws {
        let nummer = try belt(.doorverbonden, "inw-9", "afval.container-niet-geleegd", "2026-11-16 09:00")
        try terugkoppeling(nummer, "D1", .opgelost, "2026-11-17 10:00")
        try run(.informeerInwoner(kanaal: .telefoon, toelichting: nil), nummer, "2026-11-17 11:00")
        try run(.sluit(resultaat: .opgelost, toelichting: nil, afwijkingsreden: nil), nummer, "2026-11-17 11:05")
        let closed = try XCTUnwrap(try lezer().zaak(nummer, nu: tijd("2026-11-18 09:00")))
        XCTAssertEqual(closed.oordeel.code, "voorlopig-opgelost")

        let again = try whatsapp("inw-9", "afval.container-niet-geleegd", "2026-11-20 08:00")
        XCTAssertEqual(again, nummer, "the message joins the closed zaak, which the control reopens")
        let reopened = try XCTUnwrap(try lezer().zaak(nummer, nu: tijd("2026-11-20 09:00")))
        XCTAssertEqual(reopened.status, "open")
        XCTAssertEqual(reopened.afsluitingen.first?.heropenAanleiding, "opnieuw-contact")
        XCTAssertTrue(reopened.oordeel.redenen.contains { $0.hasPrefix("niet echt opgelost") && $0.contains("regel 4") }, "\(reopened.oordeel)")
        let check = try lezer().controle(nu: tijd("2026-11-20 09:00"))
        XCTAssertEqual(check.nietEchtOpgelost.map(\.zaak), [nummer.description])
        let history = try service.gebeurtenissen(van: nummer)
        let reopening = try XCTUnwrap(history.first { $0.gebeurtenis.type == "ZaakHeropend" })
        XCTAssertEqual(reopening.actor, echtOpgelostControle)
    }

    func testAClosureWhoseWindowPassedIsEchtOpgelost() throws {
        let nummer = try belt(.directBeantwoord, "inw-8", "afval.container-niet-geleegd", "2026-11-02 09:00", afsluiten: true)
        XCTAssertEqual(try lezer().zaak(nummer, nu: tijd("2026-11-16 23:00"))?.oordeel.code, "voorlopig-opgelost", "the 16th is the last day")
        XCTAssertEqual(try lezer().zaak(nummer, nu: tijd("2026-11-17 09:00"))?.oordeel.code, "echt-opgelost")
        // Outside the window the same inwoner gets a new zaak.
        XCTAssertNotEqual(try whatsapp("inw-8", "afval.container-niet-geleegd", "2026-11-18 09:00"), nummer)
    }

    // MARK: KPI arithmetic, computed by hand

    func testKPIsOnAHandBuiltStream() throws {
        // Five zaken opened in November: one settled directly, two transferred (a call and a
        // webformulier melding), one callback, one WhatsApp still open.
        let direct = try belt(.directBeantwoord, "inw-1", "kcc.algemene-vraag", "2026-11-02 09:00", afsluiten: true)
        let transferred = try belt(.warmDoorverbonden, "inw-2", "afval.container-niet-geleegd", "2026-11-02 10:00")
        let melding = try contact(.melding(MeldingOntvangen(kanaal: .webformulier, inhoud: "losse stoeptegel")), "inw-3",
                                  "openbare-ruimte.stoeptegel", "2026-11-03 10:00")
        let callback = try belt(.terugbelverzoek, "inw-4", "afval.container-niet-geleegd", "2026-11-04 10:00")
        let question = try whatsapp("inw-5", "afval.container-niet-geleegd", "2026-11-05 10:00")
        // WhatsApp: answered after 30 minutes; a second question on the same zaak after 2 hours.
        try run(.registreerContact(Contact(soort: .berichtVerstuurd(BerichtVerstuurd(kanaal: .whatsapp, inhoud: "we kijken")),
                                           inwoner: Inwoner(ref: "inw-5"), onderwerp: "afval.container-niet-geleegd")), question, "2026-11-05 10:30")
        _ = try whatsapp("inw-5", "afval.container-niet-geleegd", "2026-11-05 11:00")
        try run(.registreerContact(Contact(soort: .berichtVerstuurd(BerichtVerstuurd(kanaal: .whatsapp, inhoud: "geleegd morgen")),
                                           inwoner: Inwoner(ref: "inw-5"), onderwerp: "afval.container-niet-geleegd")), question, "2026-11-05 13:00")
        // Handoffs: Stadsbeheer answers the call's D1 (due Wed 4 Nov) on the 3rd, on time; the
        // melding.s D1 stays open and is due after 10 Nov; the callback
        // (due Fri 6 Nov) is answered Monday 9 Nov: 1 werkdag late.
        try terugkoppeling(transferred, "D1", .opgelost, "2026-11-03 09:00")
        try terugkoppeling(callback, "D1", .opgelost, "2026-11-09 09:00")
        try run(.informeerInwoner(kanaal: .telefoon, toelichting: nil), transferred, "2026-11-03 09:30")
        try run(.sluit(resultaat: .opgelost, toelichting: nil, afwijkingsreden: nil), transferred, "2026-11-03 10:00")
        try run(.informeerInwoner(kanaal: .telefoon, toelichting: nil), callback, "2026-11-09 09:30")
        try run(.sluit(resultaat: .opgelost, toelichting: nil, afwijkingsreden: nil), callback, "2026-11-09 10:00")
        // The transferred zaak comes back within its window: that closing did not stay closed.
        XCTAssertEqual(try belt(.directBeantwoord, "inw-2", "afval.container-niet-geleegd", "2026-11-06 10:00"), transferred)

        let rows = try lezer().kpi(van: Datum("2026-11-01")!, tot: Datum("2026-11-30")!, per: nil, nu: tijd("2026-11-10 12:00"))
        XCTAssertEqual(rows.count, 1)
        let kpi = rows[0]
        XCTAssertEqual(kpi.zaken, 5)
        XCTAssertEqual([kpi.directAfgehandeld, kpi.doorverbonden, kpi.terugbelverzoek], [1, 2, 1])
        XCTAssertEqual(kpi.directAfgehandeldProcent, 20)
        XCTAssertEqual(kpi.doorverbondenProcent, 40)
        XCTAssertEqual(kpi.terugbelProcent, 20)
        // Three closings as opgelost (direct, transferred, callback); the transferred one reopened.
        XCTAssertEqual([kpi.afsluitingenOpgelost, kpi.gebleven], [3, 2])
        XCTAssertEqual(try XCTUnwrap(kpi.echtOpgelostProcent), 200.0 / 3, accuracy: 1e-9)
        // Doorlooptijden: 0 s (direct), 24 h (2 Nov 10:00 → 3 Nov 10:00), 5 days (4 Nov → 9 Nov): median 24 h.
        XCTAssertEqual(kpi.mediaanDoorlooptijdSeconden, 86_400)
        // Handoffs due in November and decided by 10 Nov: the call's (on time) and the callback (late).
        // The melding's D1 is due later and still open: not counted yet.
        XCTAssertEqual([kpi.doorverwijzingen, kpi.binnenTermijn], [2, 1])
        XCTAssertEqual(kpi.binnenTermijnProcent, 50)
        // Two WhatsApp questions: one answered in 30 minutes, one in 2 hours.
        XCTAssertEqual([kpi.whatsappVragen, kpi.whatsappBinnenUur], [2, 1])
        _ = (direct, melding)

        let perKanaal = try lezer().kpi(van: Datum("2026-11-01")!, tot: Datum("2026-11-30")!, per: .kanaal, nu: tijd("2026-11-10 12:00"))
        XCTAssertEqual(perKanaal.map(\.groep), ["telefoon", "webformulier", "whatsapp"])
        XCTAssertEqual(perKanaal.map(\.zaken), [3, 1, 1])
        let perWeek = try lezer().kpi(van: Datum("2026-11-01")!, tot: Datum("2026-11-30")!, per: .week, nu: tijd("2026-11-10 12:00"))
        XCTAssertEqual(perWeek.first?.groep, "2026-W45")
        XCTAssertEqual(perWeek.first?.zaken, 5)
    }

    // MARK: Issue 15: KPI definitions that do not bend

    private func kpi(_ van: String, _ tot: String, nu: String) throws -> KPIRegel {
        try XCTUnwrap(try lezer().kpi(van: Datum(van)!, tot: Datum(tot)!, per: nil, nu: tijd(nu)).first)
    }

    /// A deadline is a werkdag; an answer on any later day is late, also when no werkdag lies in
    /// between (docs/projections.md: "answered on or before it").
    func testAHandoffAnsweredTheDayAfterItsDeadlineIsLateEvenWithoutAWerkdagInBetween() throws {
        // Afval: 2 werkdagen. Wednesday 18 November → due Friday 20 November, answered Saturday 21st.
        let saturday = try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-11-18 10:00")
        try doorverwijs(saturday, "Stadsbeheer", "2026-11-18 10:05")
        try terugkoppeling(saturday, "D1", .opgelost, "2026-11-21 10:00")
        // Tuesday 22 December → due Thursday 24 December, answered on Christmas Day.
        let christmas = try whatsapp("inw-2", "afval.container-niet-geleegd", "2026-12-22 10:00")
        try doorverwijs(christmas, "Stadsbeheer", "2026-12-22 10:05")
        try terugkoppeling(christmas, "D1", .opgelost, "2026-12-25 10:00")
        // Due Friday 20 November and answered that afternoon: on time.
        let onTime = try whatsapp("inw-3", "afval.container-niet-geleegd", "2026-11-18 11:00")
        try doorverwijs(onTime, "Stadsbeheer", "2026-11-18 11:05")
        try terugkoppeling(onTime, "D1", .opgelost, "2026-11-20 16:00")
        // Still open, due Friday 20 November, seen on Saturday: late by 1 werkdag.
        let open = try whatsapp("inw-4", "afval.container-niet-geleegd", "2026-11-18 12:00")
        try doorverwijs(open, "Stadsbeheer", "2026-11-18 12:05")

        func late(_ nummer: Zaaknummer, nu: String) throws -> [Int] {
            try XCTUnwrap(try lezer().zaak(nummer, nu: tijd(nu))).doorverwijzingen.map(\.teLaatWerkdagen)
        }
        XCTAssertEqual(try late(saturday, nu: "2027-01-10 12:00"), [1])
        XCTAssertEqual(try late(christmas, nu: "2027-01-10 12:00"), [1])
        XCTAssertEqual(try late(onTime, nu: "2027-01-10 12:00"), [0])
        XCTAssertEqual(try late(open, nu: "2026-11-21 12:00"), [1])
        XCTAssertEqual(try lezer().werkvoorraad(afdeling: "Stadsbeheer", nu: tijd("2026-11-21 12:00")).map(\.teLaatWerkdagen), [1])
        XCTAssertEqual(try lezer().controle(nu: tijd("2026-11-21 12:00")).termijnVerlopen.map(\.teLaatWerkdagen), [1])

        // By hand, as of 21 November 12:00: three handoffs due on 20 November, all decided (two
        // answered, one open past its deadline); one answered on or before the 20th.
        let november = try kpi("2026-11-01", "2026-11-30", nu: "2026-11-21 12:00")
        XCTAssertEqual([november.doorverwijzingen, november.binnenTermijn], [3, 1])
        XCTAssertEqual(try XCTUnwrap(november.binnenTermijnProcent), 100.0 / 3, accuracy: 1e-9)
        let december = try kpi("2026-12-01", "2026-12-31", nu: "2027-01-10 12:00")
        XCTAssertEqual([december.doorverwijzingen, december.binnenTermijn], [1, 0])
    }

    /// The first contact's outcome follows the call's uitkomst, or for a melding the event right
    /// after it; a Doorverwezen recorded a second or three minutes after the call still counts.
    func testDoorverbondenFollowsTheCallsUitkomstNotEqualClocks() throws {
        func imported(_ opdracht: Opdracht, nummer: Int, _ local: String, shift seconds: [Int]) throws {
            let decided = try decide(opdracht, nil, Beslismoment(nu: tijd(local), actor: Self.kcc, catalogus: .standaard, idBasis: "imp\(nummer)",
                                                               nieuwNummer: Zaaknummer(jaar: 2026, volgnummer: nummer)))
            let events = zip(decided, seconds + Array(repeating: 0, count: decided.count)).enumerated().map { index, pair in
                var event = pair.0
                event.plaatsgevondenOp = Tijdstip(milliseconden: event.plaatsgevondenOp.milliseconden + Int64(pair.1) * 1000)
                return (regel: index + 1, gebeurtenis: event)
            }
            _ = try service.importeer(events, nu: tijd("2026-12-01 12:00"))
        }
        func call(_ uitkomst: GesprekUitkomst, _ inwoner: String) -> Opdracht {
            .registreerContact(Contact(soort: .gesprek(GesprekGevoerd(kanaal: .telefoon, richting: .inkomend, wachttijdSeconden: 20, duurSeconden: 200,
                                                                      uitkomst: uitkomst, indicatieContactGelukt: true)),
                                       inwoner: Inwoner(ref: inwoner), onderwerp: "afval.container-niet-geleegd"))
        }
        // ZaakGeopend, GesprekGevoerd, Doorverwezen: the handoff 1 s, then 180 s after the call.
        try imported(call(.warmDoorverbonden, "inw-1"), nummer: 1, "2026-11-02 10:00", shift: [0, 0, 1])
        try imported(call(.doorverbonden, "inw-2"), nummer: 2, "2026-11-02 11:00", shift: [0, 0, 180])
        // A webformulier melding routed 2 s later; a callback requested a minute later.
        try imported(.registreerContact(Contact(soort: .melding(MeldingOntvangen(kanaal: .webformulier, inhoud: "tegel los")), inwoner: Inwoner(ref: "inw-3"),
                                                onderwerp: "openbare-ruimte.stoeptegel")), nummer: 3, "2026-11-03 10:00", shift: [0, 0, 2])
        try imported(call(.terugbelverzoek, "inw-4"), nummer: 4, "2026-11-03 11:00", shift: [0, 0, 60])
        // Answered directly; the agent hands it off afterwards: not a transfer in the first contact.
        try imported(call(.directBeantwoord, "inw-5"), nummer: 5, "2026-11-04 10:00", shift: [])
        try doorverwijs(Zaaknummer(jaar: 2026, volgnummer: 5), "Stadsbeheer", "2026-11-04 10:00")

        // By hand: five zaken opened; three transferred in their first contact, one callback, none direct.
        let figures = try kpi("2026-11-01", "2026-11-30", nu: "2026-12-01 12:00")
        XCTAssertEqual(figures.zaken, 5)
        XCTAssertEqual([figures.directAfgehandeld, figures.doorverbonden, figures.terugbelverzoek], [0, 3, 1])
        XCTAssertEqual(figures.doorverbondenProcent, 60)
    }

    /// An outbound call that did not reach the inwoner answers nothing, as rule 2 does not count it.
    func testANietBereiktCallDoesNotAnswerAWhatsappQuestion() throws {
        let question = try whatsapp("inw-5", "afval.container-niet-geleegd", "2026-11-05 10:00")
        let inwoner = Inwoner(ref: "inw-5")
        try run(.registreerContact(Contact(soort: .gesprek(GesprekGevoerd(kanaal: .telefoon, richting: .uitgaand, wachttijdSeconden: nil, duurSeconden: 30,
                                                                          uitkomst: .nietBereikt, indicatieContactGelukt: false)),
                                           inwoner: inwoner, onderwerp: "afval.container-niet-geleegd")), question, "2026-11-05 10:10")
        try run(.registreerContact(Contact(soort: .berichtVerstuurd(BerichtVerstuurd(kanaal: .whatsapp, inhoud: "we kijken ernaar")),
                                           inwoner: inwoner, onderwerp: "afval.container-niet-geleegd")), question, "2026-11-05 12:00")
        // By hand: one question, first reached two hours after it was asked.
        let figures = try kpi("2026-11-01", "2026-11-30", nu: "2026-11-10 12:00")
        XCTAssertEqual([figures.whatsappVragen, figures.whatsappBinnenUur], [1, 0])
        XCTAssertEqual(figures.whatsappBinnenUurProcent, 0)
    }

    /// `--nieuwe-zaak` within the window of the inwoner's zaak closed as opgelost: rule 4 still holds.
    func testANewZaakWithinTheWindowReopensTheClosedZaakAndRecordsIt() throws {
        let closed = try belt(.directBeantwoord, "inw-6", "afval.container-niet-geleegd", "2026-11-02 09:00", afsluiten: true)
        let contact = Contact(soort: .gesprek(GesprekGevoerd(kanaal: .telefoon, richting: .inkomend, wachttijdSeconden: 30, duurSeconden: 240,
                                                             uitkomst: .directBeantwoord, indicatieContactGelukt: true)),
                              inwoner: Inwoner(ref: "inw-6"), onderwerp: "afval.container-niet-geleegd")
        let uitkomst = try service.registreerContact(contact, zaak: nil, nieuweZaak: true, verwachteVersie: nil, moment: moment("2026-11-05 10:00"))
        XCTAssertNotEqual(uitkomst.zaak.nummer, closed)
        XCTAssertEqual(uitkomst.zaak.opening.naastLopendeZaak, closed, "the new zaak records the one beside it")
        XCTAssertEqual(uitkomst.heropeningRegel4?.zaak, closed)
        XCTAssertEqual(uitkomst.heropeningRegel4?.actor, echtOpgelostControle)
        let old = try XCTUnwrap(try lezer().zaak(closed, nu: tijd("2026-11-05 11:00")))
        XCTAssertEqual(old.status, "open")
        XCTAssertEqual(old.afsluitingen.map(\.heropenAanleiding), ["opnieuw-contact"])
        XCTAssertEqual(try lezer().controle(nu: tijd("2026-11-05 11:00")).nietEchtOpgelost.map(\.zaak), [closed.description])
        let figures = try kpi("2026-11-01", "2026-11-30", nu: "2026-11-05 11:00")
        XCTAssertEqual([figures.afsluitingenOpgelost, figures.gebleven], [1, 0], "the old closing no longer counts as solved")
        // The same id again writes nothing and reports the new zaak.
        var retry = moment("2026-11-05 10:00")
        retry.idBasis = uitkomst.gebeurtenissen[0].id.components(separatedBy: ".")[0]
        service.herkenHerhalingen = true
        let again = try service.registreerContact(contact, zaak: nil, nieuweZaak: true, verwachteVersie: nil, moment: retry)
        XCTAssertTrue(again.alVastgelegd)
        XCTAssertEqual(again.zaak.nummer, uitkomst.zaak.nummer)
    }

    // MARK: Rebuild, replay and crashes

    /// Demo traffic appended batch by batch, caught up after each batch with a tiny state cache
    /// (evictions read zaken back from the log), must equal one rebuild from scratch.
    func testIncrementalCatchUpAndRebuildGiveTheSameFingerprint() throws {
        let traffic = DemoTraffic(seed: 7, startMilliseconds: DemoTraffic.november2026, days: 10)
        let records = traffic.records(zaakCount: 400)
        let incremental = try Projecties(path: directory + "/incrementeel.sqlite", sleutels: service.sleutels)
        for start in stride(from: 0, to: records.count, by: 97) {
            _ = try service.log.append(Array(records[start..<min(start + 97, records.count)]))
            try incremental.bijwerken(uit: service.log.reader, batch: 50, cache: 20)
        }
        let rebuilt = try Projecties(path: directory + "/herbouwd.sqlite", sleutels: service.sleutels)
        let result = try rebuilt.bijwerken(uit: service.log.reader)
        XCTAssertEqual(result.toegepast, records.count, "every demo event is a valid domain event")
        let fingerprint = try rebuilt.lezer.vingerafdruk()
        XCTAssertEqual(try incremental.lezer.vingerafdruk().totaal, fingerprint.totaal)
        XCTAssertEqual(fingerprint.perTabel.map(\.tabel), ["zaken", "contacten", "doorverwijzingen", "afsluitingen"])
        XCTAssertEqual(fingerprint.perTabel[0].rijen, 400)

        // The bulk load of a new file (zaak projecties herbouw) gives the same rows, and its
        // indexes are all back: the same schema as a file kept up to date event by event.
        let bulk = try Projecties(path: directory + "/bulk.sqlite", sleutels: service.sleutels)
        XCTAssertEqual(try bulk.bouwNieuw(uit: service.log.reader).toegepast, records.count)
        XCTAssertEqual(try bulk.lezer.vingerafdruk().totaal, fingerprint.totaal)
        func schema(_ path: String) throws -> [String] {
            let database = try Database(path: path, readOnly: true)
            let rows = try database.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name")
            var lines: [String] = []
            while try rows.step() { lines.append(rows.string(0)) }
            return lines
        }
        XCTAssertEqual(try schema(directory + "/bulk.sqlite"), try schema(directory + "/herbouwd.sqlite"))
        XCTAssertTrue(try schema(directory + "/bulk.sqlite").contains { $0.hasPrefix("index doorverwijzingen_per_afdeling:") })
    }

    /// Damage in the middle of the log stops a catch-up there: what came before is applied and
    /// checkpointed, nothing after it is, and the next catch-up stops at the same place again.
    func testDamageInTheLogStopsTheCatchUpAtTheDamage() throws {
        let traffic = DemoTraffic(seed: 5, startMilliseconds: DemoTraffic.november2026, days: 5)
        let records = traffic.records(zaakCount: 300)
        for start in stride(from: 0, to: records.count, by: 50) {
            _ = try service.log.append(Array(records[start..<min(start + 50, records.count)]))
        }
        let segment = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory + "/log").first { $0.hasSuffix(".open.lz4") })
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: directory + "/log/" + segment))
        let size = try file.seekToEnd()
        try file.seek(toOffset: size / 2)
        let byte = try XCTUnwrap(try file.read(upToCount: 1))
        try file.seek(toOffset: size / 2)
        try file.write(contentsOf: Data([byte[0] ^ 0x5A]))
        try file.close()

        let projecties = try Projecties(path: directory + "/beschadigd.sqlite", sleutels: service.sleutels)
        XCTAssertThrowsError(try projecties.bijwerken(uit: service.log.reader, batch: 100)) { error in
            guard case .damaged = (error as? LogError)?.kind else { return XCTFail("expected damage, got \(error)") }
        }
        let reached = try projecties.positie
        XCTAssertGreaterThan(reached, 0, "the batches before the damage were committed")
        XCTAssertLessThan(reached, Int64(records.count), "nothing past the damage was applied")
        XCTAssertThrowsError(try projecties.bijwerken(uit: service.log.reader, batch: 100))
        XCTAssertEqual(try projecties.positie, reached)
    }

    func testDeletingTheProjectionDatabaseLosesNothing() throws {
        let traffic = DemoTraffic(seed: 11, startMilliseconds: DemoTraffic.november2026, days: 5)
        _ = try service.log.append(traffic.records(zaakCount: 150))
        let before = try lezer().vingerafdruk()
        service = nil
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        service = try ZaakService(dataDirectory: directory, catalogus: .standaard)
        XCTAssertEqual(try lezer().vingerafdruk().totaal, before.totaal)
    }

    /// A process that dies after its append was durable but before the projections caught up:
    /// the next catch-up applies exactly those events, once.
    func testACrashBetweenAppendAndProjectionUpdateIsMadeGoodByTheNextCatchUp() throws {
        let nummer = try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-11-16 09:00")
        try service.bijwerken()
        let projecties = try Projecties(path: database, sleutels: service.sleutels)
        let position = try projecties.positie
        // The "crashed" command: its events are in the log, the projections never saw them.
        let zaak = try XCTUnwrap(try service.zaak(nummer))
        let events = try decide(.doorverwijs(afdeling: nil, soort: .warm, gevraagdeHandeling: "legen", toelichting: "vol", toegewezenAanMedewerker: nil),
                                zaak, moment("2026-11-16 09:05"))
        _ = try service.log.append(events.map { LogRecord(id: $0.id, zaak: $0.zaak.description, body: $0.logBody()) })
        XCTAssertEqual(try projecties.positie, position)
        XCTAssertEqual(try projecties.lezer.werkvoorraad(afdeling: "Stadsbeheer", nu: tijd("2026-11-16 10:00")).count, 0)

        let result = try projecties.bijwerken(uit: service.log.reader)
        XCTAssertEqual(result.toegepast, events.count)
        XCTAssertFalse(result.herbouwd)
        XCTAssertEqual(try projecties.lezer.werkvoorraad(afdeling: "Stadsbeheer", nu: tijd("2026-11-16 10:00")).map(\.zaak), [nummer.description])
        XCTAssertEqual(try projecties.bijwerken(uit: service.log.reader).toegepast, 0, "nothing is applied twice")
        let fresh = try Projecties(path: directory + "/vers.sqlite", sleutels: service.sleutels)
        try fresh.bijwerken(uit: service.log.reader)
        XCTAssertEqual(try fresh.lezer.vingerafdruk().totaal, try projecties.lezer.vingerafdruk().totaal)
    }

    /// A process that opened the data directory before any zaak had a key (16 agents starting at
    /// once on a new installation) reads what another process encrypts afterwards: it looks for
    /// the key store again instead of taking every key as missing.
    func testAReaderOpenedBeforeTheKeyStoreExistedReadsWhatIsEncryptedLater() throws {
        let early = try LogSleutels(dataDirectory: directory)
        XCTAssertFalse(FileManager.default.fileExists(atPath: early.keys.path))
        let nummer = try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-11-16 09:00")
        let projecties = try Projecties(path: directory + "/vroeg.sqlite", sleutels: early)
        XCTAssertEqual(try projecties.bijwerken(uit: service.log.reader).toegepast, 2)
        XCTAssertEqual(try projecties.lezer.zaak(nummer, nu: tijd("2026-11-16 10:00"))?.status, "open")
    }

    /// An event whose key is not in the key store (a backup of the store older than the log) stops
    /// the catch-up with an error that says so; it is never skipped, which would leave the read
    /// models without it for good. Once the right store is back, the catch-up applies it.
    func testAnEventWithoutItsKeyStopsTheCatchUpInsteadOfBeingSkipped() throws {
        try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-11-16 09:00")
        let second = try whatsapp("inw-2", "afval.container-niet-geleegd", "2026-11-16 09:10")
        let store = service.sleutels.keys.path
        let complete = directory + "/volledig.sqlite"
        do {
            let keys = try Database(path: store)
            try keys.execute("VACUUM INTO '\(complete)'")
            try keys.execute("DELETE FROM sleutels WHERE zaak = '\(second)'")
        }
        let projecties = try Projecties(path: directory + "/zonder-sleutel.sqlite", sleutels: try LogSleutels(dataDirectory: directory))
        XCTAssertThrowsError(try projecties.bijwerken(uit: service.log.reader, batch: 1)) { error in
            XCTAssertEqual((error as? ZaakFout)?.soort, .nietBeschikbaar, "\(error)")
            XCTAssertTrue("\(error)".contains("geen sleutel"), "\(error)")
        }
        XCTAssertEqual(try projecties.positie, 2, "the first zaak's events were applied, nothing from the second")
        XCTAssertThrowsError(try projecties.bijwerken(uit: service.log.reader))
        XCTAssertEqual(try projecties.positie, 2)

        for suffix in ["", "-wal", "-shm"] { unlink(store + suffix) }
        try FileManager.default.copyItem(atPath: complete, toPath: store)
        let restored = try Projecties(path: directory + "/zonder-sleutel.sqlite", sleutels: try LogSleutels(dataDirectory: directory))
        XCTAssertEqual(try restored.bijwerken(uit: service.log.reader).toegepast, 2)
        XCTAssertEqual(try restored.lezer.zaak(second, nu: tijd("2026-11-16 10:00"))?.status, "open")
    }

    /// The processing log's pseudonym of an inwoner goes with the erasure of their last zaak, not
    /// before: destroying one zaak under the Archiefwet leaves the inwoner's other zaken findable.
    func testThePseudonymOfAnInwonerGoesWithTheirLastZaak() throws {
        let first = try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-11-16 09:00")
        let second = try whatsapp("inw-1", "openbare-ruimte.stoeptegel", "2026-11-16 09:10")
        try whatsapp("inw-2", "openbare-ruimte.stoeptegel", "2026-11-16 09:20")
        let keys = service.sleutels.keys
        let pseudonym = try keys.pseudonym(forSubject: "inw-1")
        _ = try keys.pseudonym(forSubject: "inw-2")
        XCTAssertEqual(try keys.pseudonym(forSubject: "inw-1"), pseudonym, "one pseudonym per inwoner")
        XCTAssertEqual(try keys.subject(ofPseudonym: pseudonym), "inw-1")
        let fg = Actor(soort: .medewerker, id: "fg-01")
        _ = try service.wis([first], grondslag: .archiefwet, verzoek: "lijst-1", reden: "vernietigingslijst", door: fg, nu: tijd("2026-11-17 09:00"))
        XCTAssertEqual(try keys.knownPseudonym(forSubject: "inw-1"), pseudonym, "inw-1 still has a zaak")
        _ = try service.wis([second], grondslag: .avgArtikel17, verzoek: "avg-1", reden: "verzoek", door: fg,
                            nu: tijd("2026-11-17 09:10"))
        XCTAssertNil(try keys.knownPseudonym(forSubject: "inw-1"))
        XCTAssertNil(try keys.subject(ofPseudonym: pseudonym))
        XCTAssertNotNil(try keys.knownPseudonym(forSubject: "inw-2"))
    }

    /// A log restored from an older backup no longer holds the checkpoint's line: rebuilt, not patched.
    func testACheckpointPastTheEndOfTheLogRebuildsFromTheStart() throws {
        try whatsapp("inw-1", "afval.container-niet-geleegd", "2026-11-16 09:00")
        try whatsapp("inw-2", "afval.container-niet-geleegd", "2026-11-16 09:10")
        _ = try lezer()
        service = nil
        let other = directory + "/ander"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: database, toPath: other + "/projecties.sqlite")
        service = try ZaakService(dataDirectory: other, catalogus: .standaard)
        try whatsapp("inw-3", "parkeren.vergunning", "2026-11-16 09:20")
        XCTAssertEqual(try lezer().zoek(Zoekvraag()).map(\.inwoner), ["inw-3"])
    }

    func testReplayToAMomentEqualsTheReadModelsAsTheyStoodThen() throws {
        // The log's clock is the test's: the first part is recorded on 20 Nov, the rest a day later.
        let recordingDay = Mutex<Int64>(Tijdstip("2026-11-20T08:00:00.000Z")!.milliseconden)
        var configuration = LogConfiguration()
        configuration.clock = { recordingDay.withLock { $0 } }
        service = ZaakService(log: try EventLog(directory: directory + "/log", configuration: configuration), projector: try Projector(dataDirectory: directory),
                              catalogus: .standaard)
        let traffic = DemoTraffic(seed: 3, startMilliseconds: DemoTraffic.november2026, days: 5)
        let records = traffic.records(zaakCount: 120)
        _ = try service.log.append(Array(records[..<300]))
        let then = try lezer().vingerafdruk()
        let lastThen = try service.log.lastPosition()
        var recordedAt: Int64 = 0
        try service.log.read(from: lastThen) { recordedAt = $0.recordedAt; return false }
        recordingDay.withLock { $0 += 86_400_000 }
        _ = try service.log.append(Array(records[300...]))
        XCTAssertNotEqual(try lezer().vingerafdruk().totaal, then.totaal)

        let replay = try Projecties(path: directory + "/replay.sqlite", sleutels: service.sleutels)
        let result = try replay.bijwerken(uit: service.log.reader, tot: Tijdstip(milliseconden: recordedAt))
        XCTAssertEqual(result.positie, lastThen)
        XCTAssertEqual(try replay.lezer.vingerafdruk().totaal, then.totaal)
        let bulk = try Projecties(path: directory + "/replay-bulk.sqlite", sleutels: service.sleutels)
        XCTAssertEqual(try bulk.bouwNieuw(uit: service.log.reader, tot: Tijdstip(milliseconden: recordedAt)).positie, lastThen)
        XCTAssertEqual(try bulk.lezer.vingerafdruk().totaal, then.totaal)
    }
}
