import Foundation
import XCTest

/// `zaak gebruiker` and the pages of `zaak serve` through the real binary and a real HTTP client
/// (curl with a cookie jar); tools/web-check.py drives the same pages in a real browser.
final class WebCLITests: XCTestCase {
    static let nu = "2026-11-20T09:00:00+01:00"

    /// A terminal with one zaak (Z-2026-000001) of inw-4821, handed to Stadsbeheer (D1), and an account
    /// for Stadsbeheer (j.devries) and one for Parkeren (p.parkeren).
    func werkplek() throws -> AgentTerminal {
        var terminal = AgentTerminal(self)
        terminal.nu = Self.nu
        XCTAssertEqual(try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd",
                                         "--inhoud", "Mijn groene container is niet geleegd"]).status, 0)
        XCTAssertEqual(try terminal.run(["doorverwijs", "2026-1", "--soort", "warm", "--toelichting", "Graag legen"]).status, 0)
        for (naam, rol) in [("j.devries", "afdeling:Stadsbeheer"), ("p.parkeren", "afdeling:Parkeren")] {
            let made = try terminal.run(["gebruiker", "maak", "--naam", naam, "--rol", rol, "--wachtwoord-stdin"], input: "wachtwoord-van-\(naam)\n")
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        return terminal
    }

    func testGebruikerMaakBewaartAlleenEenBcryptHashEnLijstEnIntrekWerken() throws {
        // A data directory that does not exist yet is made, as for the log's commands.
        var terminal = AgentTerminal(data: temporaryDataDirectory(self) + "/nieuw")
        terminal.nu = Self.nu
        let made = try terminal.run(["gebruiker", "maak", "--naam", "j.devries", "--rol", "afdeling:Stadsbeheer", "--wachtwoord-stdin"],
                                    input: "een-lang-wachtwoord\n")
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.lines, ["Gebruiker G1 j.devries (afdeling:Stadsbeheer) is gemaakt."])
        let file = terminal.data + "/gebruikers.json"
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertFalse(stored.contains("een-lang-wachtwoord"), "the password itself must not be stored")
        XCTAssertTrue(stored.contains("$2b$11$"), stored)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let generated = try terminal.run(["gebruiker", "maak", "--naam", "a.bakker", "--rol", "kcc", "--json"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let password = try XCTUnwrap(jsonObject(generated.stdout)["wachtwoord"] as? String, generated.stdout)
        XCTAssertGreaterThanOrEqual(password.count, 12)
        XCTAssertFalse(try String(contentsOfFile: file, encoding: .utf8).contains(password))

        XCTAssertEqual(try terminal.run(["gebruiker", "maak", "--naam", "x", "--rol", "kcc", "--wachtwoord-stdin"], input: "kort\n").status, 65)
        let twice = try terminal.run(["gebruiker", "maak", "--naam", "J.DeVries", "--rol", "kcc", "--wachtwoord-stdin"], input: "nog-een-wachtwoord\n")
        XCTAssertEqual(twice.status, 65)
        XCTAssertTrue(twice.stderr.contains("er is al een gebruiker 'J.DeVries'"), twice.stderr)
        XCTAssertEqual(try terminal.run(["gebruiker", "maak", "--naam", "x", "--rol", "afdeling:Stadbeheer"]).status, 66)
        XCTAssertEqual(try terminal.run(["gebruiker", "maak", "--naam", "met spatie", "--rol", "kcc"]).status, 65)
        XCTAssertEqual(try terminal.run(["gebruiker", "maak", "--naam", "y", "--rol", "kcc", "--wachtwoord-stdin"]).status, 65)

        let listed = try terminal.run(["gebruiker", "lijst"])
        XCTAssertEqual(listed.lines.first, "2 gebruikers")
        XCTAssertFalse(listed.stdout.contains("$2b$"))
        XCTAssertEqual(try terminal.run(["gebruiker", "intrek", "j.devries"]).lines, ["Gebruiker j.devries (afdeling:Stadsbeheer) is ingetrokken."])
        XCTAssertTrue(try terminal.run(["gebruiker", "lijst"]).stdout.contains("ingetrokken"))
        XCTAssertEqual(try terminal.run(["gebruiker", "intrek", "G2"]).lines, ["Gebruiker a.bakker (kcc) is ingetrokken."], "by id, as tokens")
        XCTAssertEqual(try terminal.run(["gebruiker", "intrek", "niemand"]).status, 66)
    }

    func testAanmeldenGeeftEenStrikteSessiecookieEnWeigertFoutenZonderIetsTeSchrijven() throws {
        let terminal = try werkplek()
        let (process, _, base) = try serve(terminal)
        defer { process.terminate(); process.waitUntilExit() }
        var browser = Browser(base: base, jar: terminal.data + "/../koekjes-1")

        XCTAssertEqual(try browser.get("/").location, "/aanmelden")
        XCTAssertEqual(try browser.get("/werkvoorraad").location, "/aanmelden")
        // Without the sign-in form's own secret: refused, no session.
        let forged = try browser.post("/aanmelden", ["naam": "j.devries", "wachtwoord": "wachtwoord-van-j.devries"], csrf: false)
        XCTAssertEqual(forged.status, 403)
        XCTAssertFalse(forged.headers.contains("zaak_sessie="), forged.headers)
        let wrong = try browser.signIn("j.devries", "fout-wachtwoord-123")
        XCTAssertEqual(wrong.status, 401)
        XCTAssertTrue(wrong.body.contains("Naam of wachtwoord klopt niet."), wrong.body)
        XCTAssertTrue(wrong.body.contains(#"value="j.devries""#), "the name is kept")

        let signedIn = try browser.signIn("j.devries", "wachtwoord-van-j.devries")
        XCTAssertEqual(signedIn.status, 303)
        XCTAssertEqual(signedIn.location, "/werkvoorraad")
        let cookie = try XCTUnwrap(signedIn.headers.split(separator: "\n").first { $0.lowercased().hasPrefix("set-cookie: zaak_sessie=") }, signedIn.headers)
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] { XCTAssertTrue(cookie.contains(attribute), String(cookie)) }
        XCTAssertFalse(cookie.contains("Secure"), "no TLS here")
        let queue = try browser.get("/werkvoorraad")
        XCTAssertEqual(queue.status, 200)
        XCTAssertTrue(queue.body.contains(#"<tr data-zaak="Z-2026-000001" data-doorverwijzing="D1""#), queue.body)
        XCTAssertTrue(queue.body.contains(#"<html lang="nl">"#))
        XCTAssertTrue(queue.headers.contains("Content-Security-Policy: default-src 'self'"), queue.headers)

        // A tampered cookie is no session.
        var tampered = browser
        tampered.jar = terminal.data + "/../koekjes-2"
        let secret = try XCTUnwrap(browser.cookie("zaak_sessie"))
        let flipped = String(secret.dropLast()) + (secret.last == "0" ? "1" : "0")
        XCTAssertEqual(try tampered.get("/werkvoorraad", extra: ["-H", "Cookie: zaak_sessie=\(flipped)"]).location, "/aanmelden")
        // Behind a TLS proxy the cookie is Secure.
        var proxied = Browser(base: base, jar: terminal.data + "/../koekjes-3")
        let secure = try proxied.signIn("j.devries", "wachtwoord-van-j.devries", extra: ["-H", "X-Forwarded-Proto: https"])
        XCTAssertTrue(secure.headers.contains("; Secure") || secure.headers.contains("Secure;"), secure.headers)

        let before = try terminal.events().count
        let page = try browser.get("/zaak/Z-2026-000001")
        XCTAssertEqual(page.status, 200)
        // A terugkoppeling without the session's CSRF token, or too large: refused, nothing written.
        let noToken = try browser.post("/zaak/Z-2026-000001/terugkoppeling", ["doorverwijzing": "D1", "uitkomst": "opgelost", "toelichting": "Geleegd"], csrf: false)
        XCTAssertEqual(noToken.status, 403)
        XCTAssertTrue(noToken.body.contains("Formulier ongeldig of verlopen"), noToken.body)
        let huge = try browser.post("/zaak/Z-2026-000001/terugkoppeling",
                                    ["doorverwijzing": "D1", "uitkomst": "opgelost", "toelichting": String(repeating: "x", count: 70_000)])
        XCTAssertEqual(huge.status, 413)
        XCTAssertTrue(huge.body.contains("Formulier te groot"), huge.body)
        // The rules' refusal next to its field, with the text kept.
        let blank = try browser.post("/zaak/Z-2026-000001/terugkoppeling", ["doorverwijzing": "D1", "uitkomst": "opgelost", "toelichting": "   "])
        XCTAssertEqual(blank.status, 422)
        XCTAssertTrue(blank.body.contains(#"<span id="toelichting-fout" class="fout" role="alert">Toelichting is leeg; vul een korte tekst in.</span>"#), blank.body)
        XCTAssertTrue(blank.body.contains(#"aria-describedby="toelichting-fout">   </textarea>"#), blank.body)
        let unknown = try browser.post("/zaak/Z-2026-000001/terugkoppeling", ["doorverwijzing": "D1", "uitkomst": "klaar", "toelichting": "<b>vet</b>"])
        XCTAssertEqual(unknown.status, 422)
        XCTAssertTrue(unknown.body.contains(#"<span id="uitkomst-fout" class="fout" role="alert">Uitkomst &#39;klaar&#39; bestaat niet; kies uit: opgelost, niet-opgelost, afgewezen, doorgestuurd.</span>"#), unknown.body)
        XCTAssertTrue(unknown.body.contains("&lt;b&gt;vet&lt;/b&gt;</textarea>"), "the kept text is escaped")
        XCTAssertEqual(try terminal.events().count, before, "no refused form may write")

        // Recorded as the medewerker; HTML in the text is shown escaped.
        let recorded = try browser.post("/zaak/Z-2026-000001/terugkoppeling",
                                        ["doorverwijzing": "D1", "uitkomst": "opgelost", "toelichting": "<img src=x onerror=alert(1)> geleegd"])
        XCTAssertEqual(recorded.status, 303, recorded.body)
        XCTAssertEqual(recorded.location, "/zaak/Z-2026-000001?vastgelegd=1#tijdlijn")
        let last = try XCTUnwrap(try terminal.events().last)
        XCTAssertEqual(last["type"] as? String, "TerugkoppelingOntvangen")
        XCTAssertEqual((last["actor"] as? [String: Any])?["id"] as? String, "j.devries")
        XCTAssertEqual((last["actor"] as? [String: Any])?["soort"] as? String, "medewerker")
        let shown = try browser.get("/zaak/Z-2026-000001?vastgelegd=1")
        XCTAssertTrue(shown.body.contains("&lt;img src=x onerror=alert(1)&gt; geleegd"), shown.body)
        XCTAssertFalse(shown.body.contains("<img src=x"))
        XCTAssertTrue(shown.body.contains(#"<p id="melding" class="melding" role="status">Terugkoppeling vastgelegd.</p>"#))
        // The handoff left the queue.
        XCTAssertFalse(try browser.get("/werkvoorraad").body.contains(#"data-zaak="Z-2026-000001""#))

        // Another afdeling: the Dutch 403 page, for this zaak and for one that does not exist.
        var parkeren = Browser(base: base, jar: terminal.data + "/../koekjes-4")
        XCTAssertEqual(try parkeren.signIn("p.parkeren", "wachtwoord-van-p.parkeren").status, 303)
        for zaak in ["Z-2026-000001", "Z-2026-000999"] {
            let refused = try parkeren.get("/zaak/\(zaak)")
            XCTAssertEqual(refused.status, 403)
            XCTAssertTrue(refused.body.contains("<h1>Geen toegang</h1>"), refused.body)
            XCTAssertTrue(refused.body.contains("niet naar afdeling Parkeren doorverwezen, of bestaat niet"), refused.body)
        }
        XCTAssertEqual(try parkeren.get("/werkvoorraad?afdeling=Stadsbeheer").status, 403)
        XCTAssertEqual(try parkeren.get("/afsluitcontrole").status, 403)
        XCTAssertEqual(try parkeren.get("/logstatus").status, 403)
        XCTAssertEqual(try parkeren.get("/kerncijfers").status, 200)
        let knelpunten = try parkeren.get("/knelpunten?van=2026-11-01&tot=2026-11-30")
        XCTAssertEqual(knelpunten.status, 200)
        XCTAssertTrue(knelpunten.body.contains(#"<th scope="row">Stadsbeheer</th>"#), knelpunten.body)
        XCTAssertEqual(try parkeren.get("/knelpunten?per=straat").status, 400)
        // A browser on a path that does not exist gets a Dutch page; an API client its problem+json.
        let missing = try parkeren.get("/bestaat-niet", extra: ["-H", "Accept: text/html"])
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.body.contains("<h1>Pagina niet gevonden</h1>"), missing.body)
        XCTAssertTrue(try parkeren.get("/bestaat-niet").headers.contains("application/problem+json"))

        // Signing out ends the session on the server: the old cookie no longer works.
        let oldSecret = try XCTUnwrap(browser.cookie("zaak_sessie"))
        XCTAssertEqual(try browser.post("/afmelden", [:]).location, "/aanmelden?afgemeld=1")
        var replay = Browser(base: base, jar: terminal.data + "/../koekjes-5")
        XCTAssertEqual(try replay.get("/werkvoorraad", extra: ["-H", "Cookie: zaak_sessie=\(oldSecret)"]).location, "/aanmelden")
    }

    func testDeVerwerkingenStaanOpNaamVanDeMedewerker() throws {
        let terminal = try werkplek()
        let (process, _, base) = try serve(terminal)
        defer { process.terminate(); process.waitUntilExit() }
        var browser = Browser(base: base, jar: terminal.data + "/../koekjes")
        XCTAssertEqual(try browser.signIn("j.devries", "wachtwoord-van-j.devries").status, 303)
        XCTAssertEqual(try browser.get("/zaak/Z-2026-000001").status, 200)
        let auditor = try apiToken(terminal, rol: "auditor")
        let records = try runProcess("/usr/bin/curl", ["-s", "-H", "Authorization: Bearer \(auditor)", "\(base)/verwerkingen?betrokkene=inw-4821"])
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(records.stdout.utf8)) as? [[String: Any]], records.stdout)
        let read = try XCTUnwrap(list.first { $0["verwerkingsactiviteit"] as? String == "zaak inzien" }, records.stdout)
        XCTAssertEqual(read["medewerker"] as? String, "j.devries")
        XCTAssertEqual(read["token"] as? String, "G1")
        XCTAssertEqual(read["rol"] as? String, "afdeling:Stadsbeheer")
        XCTAssertEqual(read["operatie"] as? String, "GET /zaak/{nummer}")
    }

    /// After an erasure (AVG art. 17) the pages show the erased fields as gewist, like every reader.
    func testNaEenWissingTonenDePaginasGewist() throws {
        let terminal = try werkplek()
        let wiped = try terminal.run(["avg", "wis", "--inwoner", "inw-4821", "--reden", "verzoek van de inwoner", "--medewerker", "fg-01"])
        XCTAssertEqual(wiped.status, 0, wiped.stderr)
        let (process, _, base) = try serve(terminal)
        defer { process.terminate(); process.waitUntilExit() }
        var browser = Browser(base: base, jar: terminal.data + "/../koekjes")
        XCTAssertEqual(try browser.signIn("j.devries", "wachtwoord-van-j.devries").status, 303)
        let page = try browser.get("/zaak/Z-2026-000001")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("[gewist]"), page.body)
        for personal in ["Mijn groene container is niet geleegd", "Graag legen", "inw-4821"] {
            XCTAssertFalse(page.body.contains(personal), personal)
        }
        XCTAssertTrue(page.body.contains(#"<li data-type="GegevensGewist">"#))
        XCTAssertFalse(try browser.get("/werkvoorraad").body.contains("inw-4821"))
    }

    /// The live queue's feed tells which zaak changed, never what: the page fetches what it shows.
    /// It ends when the session does.
    func testDeLiveStroomNoemtAlleenZakenEnStoptBijAfmelden() throws {
        let terminal = try werkplek()
        let (process, _, base) = try serve(terminal)
        defer { process.terminate(); process.waitUntilExit() }
        var browser = Browser(base: base, jar: terminal.data + "/../koekjes")
        XCTAssertEqual(try browser.signIn("j.devries", "wachtwoord-van-j.devries").status, 303)
        let secret = try XCTUnwrap(browser.cookie("zaak_sessie"))
        let stream = Process()
        stream.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        stream.arguments = ["-s", "-N", "--max-time", "30", "-H", "Cookie: zaak_sessie=\(secret)", "\(base)/live?vanaf=1"]
        let output = Pipe()
        stream.standardOutput = output
        try stream.run()
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(try browser.post("/afmelden", [:]).location, "/aanmelden?afgemeld=1")
        let ended = Date().addingTimeInterval(10)
        while stream.isRunning, Date() < ended { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertFalse(stream.isRunning, "the feed must end with the session")
        if stream.isRunning { stream.terminate() }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(text.contains("event: Doorverwezen\ndata: {\"zaak\":\"Z-2026-000001\"}"), text)
        XCTAssertFalse(text.contains("Graag legen"), "no event data on the page's feed")
        XCTAssertFalse(text.contains("inw-4821"))
    }

    func testEenSessieVerlooptEenIngetrokkenAccountStoptEnMislukteAanmeldingenWordenBegrensd() throws {
        let terminal = try werkplek()
        let (process, _, base) = try serve(terminal, ["--sessieduur", "2"])
        defer { process.terminate(); process.waitUntilExit() }
        var browser = Browser(base: base, jar: terminal.data + "/../koekjes-1")
        XCTAssertEqual(try browser.signIn("j.devries", "wachtwoord-van-j.devries").status, 303)
        XCTAssertEqual(try browser.get("/werkvoorraad").status, 200)
        Thread.sleep(forTimeInterval: 3)
        XCTAssertEqual(try browser.get("/werkvoorraad").location, "/aanmelden?verlopen=1")
        XCTAssertTrue(try browser.get("/aanmelden?verlopen=1").body.contains("Uw sessie is verlopen; meld u opnieuw aan."))

        var parkeren = Browser(base: base, jar: terminal.data + "/../koekjes-2")
        XCTAssertEqual(try parkeren.signIn("p.parkeren", "wachtwoord-van-p.parkeren").status, 303)
        XCTAssertEqual(try terminal.run(["gebruiker", "intrek", "p.parkeren"]).status, 0)
        XCTAssertEqual(try parkeren.get("/werkvoorraad").location, "/aanmelden")
        XCTAssertEqual(try parkeren.signIn("p.parkeren", "wachtwoord-van-p.parkeren").status, 401)

        var guesser = Browser(base: base, jar: terminal.data + "/../koekjes-3")
        for attempt in 1...5 { XCTAssertEqual(try guesser.signIn("j.devries", "raden-\(attempt)-xxxxxxx").status, 401) }
        let blocked = try guesser.signIn("j.devries", "wachtwoord-van-j.devries")
        XCTAssertEqual(blocked.status, 429)
        XCTAssertTrue(blocked.body.contains("Te veel mislukte pogingen voor deze naam"), blocked.body)
    }
}

/// A client with a cookie jar, through curl: what a browser sends, without a browser.
struct Browser {
    let base: String
    var jar: String

    struct Antwoord {
        let status: Int, headers: String, body: String
        var location: String? {
            headers.split(separator: "\n").first { $0.lowercased().hasPrefix("location: ") }
                .map { String($0.dropFirst(10)).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    func get(_ path: String, extra: [String] = []) throws -> Antwoord {
        try curl(extra + ["\(base)\(path)"])
    }

    /// A form post; with `csrf`, the token of the form on the page it came from (the session's, or
    /// the sign-in form's own), as a browser would send it.
    mutating func post(_ path: String, _ fields: [String: String], csrf: Bool = true, extra: [String] = []) throws -> Antwoord {
        var all = fields
        if csrf {
            let page = try get(path == "/aanmelden" ? "/aanmelden" : "/werkvoorraad")
            all["_csrf"] = Self.field("_csrf", in: page.body)
        }
        return try curl(extra + all.sorted { $0.key < $1.key }.flatMap { ["--data-urlencode", "\($0.key)=\($0.value)"] } + ["\(base)\(path)"])
    }

    mutating func signIn(_ naam: String, _ wachtwoord: String, extra: [String] = []) throws -> Antwoord {
        try post("/aanmelden", ["naam": naam, "wachtwoord": wachtwoord], extra: extra)
    }

    /// A cookie's value in the jar.
    func cookie(_ name: String) -> String? {
        guard let text = try? String(contentsOfFile: jar, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 7, fields[5] == name { return String(fields[6]) }
        }
        return nil
    }

    private func curl(_ arguments: [String]) throws -> Antwoord {
        let outcome = try runProcess("/usr/bin/curl", ["-s", "-i", "-c", jar, "-b", jar] + arguments)
        let text = outcome.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "\n\n")
        let headers = parts.first ?? ""
        let status = Int(headers.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Antwoord(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\n\n"))
    }

    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
