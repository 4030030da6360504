import Foundation
import XCTest

/// `zaak knelpunten` against an independent computation in Python (zoneinfo, the same hop
/// definitions from docs/process-mining.md) over the raw log of two generated weeks without public
/// holidays, so that office hours are Monday to Friday 08:00–17:00 in Europe/Amsterdam.
final class KnelpuntenCLITests: XCTestCase {
    static let python = #"""
        import json, sys
        from datetime import datetime, timedelta
        from zoneinfo import ZoneInfo
        ams = ZoneInfo("Europe/Amsterdam")
        def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
        def office_minutes(a, b):
            total, day = 0.0, a.astimezone(ams).date()
            while day <= b.astimezone(ams).date():
                if day.weekday() < 5:
                    lo = max(a, datetime(day.year, day.month, day.day, 8, tzinfo=ams))
                    hi = min(b, datetime(day.year, day.month, day.day, 17, tzinfo=ams))
                    if hi > lo: total += (hi - lo).total_seconds()
                day += timedelta(days=1)
            return int(total // 60)
        def pct(v, f):
            v = sorted(v); r = f * (len(v) - 1); lo = int(r); hi = min(lo + 1, len(v) - 1)
            return v[lo] + (v[hi] - v[lo]) * (r - lo)
        van, tot = sys.argv[1], sys.argv[2]
        zaken, hops = {}, []
        for line in sys.stdin:
            e = json.loads(line); z = e["zaak"]; d = e.get("data", {}); typ = e["type"]; at = t(e["plaatsgevondenOp"])
            if typ == "ZaakGeopend":
                zaken[z] = {"contact": None, "open": {}, "wait": [], "closed": None, "afdeling": d["afdeling"]}; continue
            s = zaken.get(z)
            if s is None: continue
            def hop(name, afd, since): hops.append((name, afd, since, office_minutes(since, at)))
            inbound = typ in ("MeldingOntvangen", "BerichtOntvangen") or (typ == "GesprekGevoerd" and d.get("richting") == "inkomend")
            outbound_reached = typ == "BerichtVerstuurd" or (typ == "GesprekGevoerd" and d.get("richting") == "uitgaand" and d.get("indicatieContactGelukt"))
            if inbound: s["contact"] = at
            if typ in ("Doorverwezen", "TerugbelverzoekAangemaakt"):
                if s["contact"]: hop("contact-doorverwijzing", d["afdeling"], s["contact"])
                s["open"][d["doorverwijzing"]] = (d["afdeling"], at)
            elif typ == "TerugkoppelingOntvangen" and d["doorverwijzing"] in s["open"]:
                afd, since = s["open"].pop(d["doorverwijzing"]); hop("doorverwijzing-terugkoppeling", afd, since); s["wait"].append((afd, at))
            elif typ == "ZaakAfgesloten": s["closed"] = at
            elif typ == "ZaakHeropend":
                if s["closed"]: hop("afsluiten-heropend", s["afdeling"], s["closed"])
                s["closed"] = None
            if typ == "InwonerGeinformeerd" or outbound_reached:
                for afd, since in s["wait"]: hop("terugkoppeling-geinformeerd", afd, since)
                s["wait"] = []
        hops = [h for h in hops if van <= h[2].astimezone(ams).date().isoformat() <= tot]
        out = {}
        for name in ("contact-doorverwijzing", "doorverwijzing-terugkoppeling", "terugkoppeling-geinformeerd", "afsluiten-heropend"):
            mins = [h[3] / 60 for h in hops if h[0] == name]
            out[name] = {"aantal": len(mins), "mediaan": pct(mins, 0.5), "p90": pct(mins, 0.9)}
        per = {}
        for afd in sorted({h[1] for h in hops if h[0] == "doorverwijzing-terugkoppeling"}):
            mins = [h[3] / 60 for h in hops if h[0] == "doorverwijzing-terugkoppeling" and h[1] == afd]
            per[afd] = {"aantal": len(mins), "mediaan": pct(mins, 0.5)}
        print(json.dumps({"hops": out, "perAfdeling": per}))
        """#

    func testWachttijdenPerSchakelZijnWatHetLogZegt() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        XCTAssertEqual(try terminal.run(["genereer", "--profiel", "assen", "--van", "2026-10-05", "--dagen", "14"]).status, 0)
        let (van, tot) = ("2026-10-05", "2026-10-16")
        let shown = try terminal.run(["knelpunten", "--van", van, "--tot", tot, "--per", "afdeling", "--json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
        let log = try terminal.run(["log", "toon"])
        let expected = jsonObject(try runProcess("/usr/bin/python3", ["-c", Self.python, van, tot], input: Data(log.stdout.utf8)).stdout)
        let hops = try XCTUnwrap(expected["hops"] as? [String: [String: Double]])
        for (hop, figures) in hops {
            let row = try XCTUnwrap(rows.first { $0["hop"] as? String == hop && $0["groep"] == nil }, hop)
            XCTAssertEqual(row["aantal"] as? Int, Int(figures["aantal"]!), hop)
            XCTAssertGreaterThan(Int(figures["aantal"]!), 50, hop)
            XCTAssertEqual(row["mediaanWerkuren"] as? Double ?? -1, figures["mediaan"]!, accuracy: 0.001, hop)
            XCTAssertEqual(row["p90Werkuren"] as? Double ?? -1, figures["p90"]!, accuracy: 0.001, hop)
            XCTAssertEqual((row["perWeekdag"] as? [Int])?.reduce(0, +), Int(figures["aantal"]!), hop)
        }
        let perAfdeling = try XCTUnwrap(expected["perAfdeling"] as? [String: [String: Double]])
        XCTAssertGreaterThan(perAfdeling.count, 3)
        for (afdeling, figures) in perAfdeling {
            let row = try XCTUnwrap(rows.first { $0["hop"] as? String == "doorverwijzing-terugkoppeling" && $0["groep"] as? String == afdeling }, afdeling)
            XCTAssertEqual(row["aantal"] as? Int, Int(figures["aantal"]!), afdeling)
            XCTAssertEqual(row["mediaanWerkuren"] as? Double ?? -1, figures["mediaan"]!, accuracy: 0.001, afdeling)
        }
        let text = try terminal.run(["knelpunten", "--van", van, "--tot", tot])
        XCTAssertEqual(text.lines.first, "Knelpunten ma 5 okt 2026 t/m vr 16 okt 2026: wachttijd in kantooruren (werkdagen 08:00–17:00)", text.stdout)
        let reversed = try terminal.run(["knelpunten", "--van", tot, "--tot", van])
        XCTAssertEqual(reversed.status, 65, reversed.stderr)
    }
}
