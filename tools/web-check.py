#!/usr/bin/env python3
"""Real-browser acceptance test of the backoffice pages of `zaak serve` (headless Chromium).

Usage: web-check.py ZAAK WORKDIR

Starts from nothing in WORKDIR: a data dir with a signing key and three days of generated Utrecht
traffic (clock set: ZAAK_NU), four accounts (Stadsbeheer, a second afdeling, kcc, auditor), one
`zaak serve --poort 0` on it, and a second server on an empty data dir with `--sessieduur 3` for the
expiry and sign-in-throttle checks. Then drives the pages with Playwright in Debian's Chromium:
- signing in (cookie HttpOnly, SameSite=Strict, Path=/), the queue against `zaak werkvoorraad`,
  its filters, a zaak's timeline against `zaak geschiedenis`, recording a terugkoppeling;
- a second browser context on the same queue sees that handoff's row leave, and a new handoff's
  row arrive, without a reload (SSE);
- a refused terugkoppeling (only spaces; over 2000 characters with HTML in it): 422, the rule's
  message in #toelichting-fout, the text kept, nothing written (`zaak log status`);
- another afdeling's zaak, another afdeling's queue, pages outside a role: the Dutch 403 page;
- a POST without (or with a wrong) CSRF token: 403, nothing written; a form over 64 KiB: 413,
  nothing written; HTML in a toelichting is shown as text and never run (no dialog, no element);
- signing out ends the session on the server (the old cookie, replayed, goes to the sign-in page);
  a tampered cookie goes to the sign-in page; an expired session to /aanmelden?verlopen=1;
- a wrong password: 401 and the message; five failures: 429, also for the right password;
- the kcc, auditor and afdeling views of werkvoorraad, zaak, afsluitcontrole, kerncijfers and
  logstatus, as their roles allow (against `zaak controle`, `zaak kpi`, `zaak log status`);
- axe-core on every page: any violation of impact serious or critical fails;
- the pages' security headers (CSP with script-src 'self', nosniff, no-store);
- a full-page screenshot of each kind of page into docs/screenshots/.
Prints one line per check ("[ok] …"); exits 1 on the first failure ("ONJUIST: …"). One kind of
failure does not stop the run: a timeline showing a logged event twice is printed as "[fout] …"
when seen, the other checks go on without the copy, and the run then fails at the end.
"""
import html
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode, urlsplit

zaak, work = sys.argv[1], Path(sys.argv[2])
work.mkdir(parents=True, exist_ok=True)
repo = Path(__file__).resolve().parent.parent
screenshots = repo / "docs" / "screenshots"
screenshots.mkdir(parents=True, exist_ok=True)

NU = "2026-11-20T09:00:00+01:00"   # a Friday morning; the traffic runs Tuesday to Thursday before it
VAN, DAGEN, TOT = "2026-11-17", 3, "2026-11-19"
AFDELING, TWEEDE = "Stadsbeheer", "Parkeren"
SESSIEDUUR = 3

began = time.monotonic()
servers = []
notes = []


def ok(text):
    print(f"[ok] {text} ({time.monotonic() - began:.1f} s)", flush=True)


def note(text):
    notes.append(text)
    print(f"[let op] {text}", flush=True)


def fail(text):
    print("ONJUIST: " + text, file=sys.stderr, flush=True)
    for server in servers:
        tail = server.log.read_text(errors="replace").splitlines()[-15:]
        if tail:
            print(f"ONJUIST: (laatste regels van {server.name}:)\n" + "\n".join("    " + line for line in tail), file=sys.stderr)
    raise SystemExit(1)


def unexpected(kind, value, trace):
    """An exception (a Playwright timeout, say) is a failure too, with the same ONJUIST line."""
    lines = traceback.format_exception(kind, value, trace)
    print(f"ONJUIST: onverwachte fout: {kind.__name__}: {str(value).splitlines()[0] if str(value) else ''}", file=sys.stderr)
    print("".join(lines), file=sys.stderr, flush=True)
    for server in servers:
        server.stop()


sys.excepthook = unexpected


defects = []


def defect(text):
    """A failure that does not stop the run: the other checks still run, and the run fails at the end."""
    if text not in defects:
        defects.append(text)
        print(f"[fout] {text}", flush=True)


def expect(condition, text):
    if not condition:
        fail(text)


# ---------------------------------------------------------------------------------------------
# The binary

class Data:
    """A data dir with its own key dir; every command runs with the clock set."""

    def __init__(self, name):
        self.dir = work / name / "data"
        self.env = dict(os.environ, ZAAK_NU=NU, ZAAK_SLEUTELMAP=str(work / name / "sleutels"))
        if (work / name).exists():
            shutil.rmtree(work / name)
        # `zaak gebruiker maak` (like `token maak`) does not make the data dir itself.
        self.dir.mkdir(parents=True)

    def run(self, *args, stdin=None, expect_code=0):
        process = subprocess.run([zaak, *args, "--data", str(self.dir)], input=stdin, capture_output=True, text=True, env=self.env)
        if expect_code is not None and process.returncode != expect_code:
            fail(f"zaak {' '.join(args)}: exit {process.returncode}, verwacht {expect_code}\n{process.stderr.strip()}")
        return process

    def json(self, *args):
        return json.loads(self.run(*args, "--json").stdout)

    def positie(self):
        return self.json("log", "status")["laatstePositie"]

    def geschiedenis(self, nummer):
        return self.json("geschiedenis", nummer)

    def werkvoorraad(self, afdeling):
        return self.json("werkvoorraad", "--afdeling", afdeling)

    def gebruiker(self, naam, rol, wachtwoord):
        made = json.loads(self.run("gebruiker", "maak", "--naam", naam, "--rol", rol, "--wachtwoord-stdin", "--json",
                                   stdin=wachtwoord + "\n").stdout)
        expect(made.get("naam") == naam and made.get("rol") == rol and "wachtwoord" not in made,
               f"zaak gebruiker maak --json gaf {made}, verwacht naam {naam}, rol {rol} en geen wachtwoord")
        return made


class Server:
    def __init__(self, data, name, *extra):
        self.name = name
        self.log = work / f"{name}.out"
        self.out = open(self.log, "w")
        self.process = subprocess.Popen([zaak, "serve", "--data", str(data.dir), "--poort", "0", *extra],
                                        stdout=self.out, stderr=subprocess.STDOUT, env=data.env)
        servers.append(self)
        deadline = time.monotonic() + 60
        self.url = None
        while time.monotonic() < deadline and self.process.poll() is None:
            found = re.search(r"^zaak serve luistert op (http:\S+)", self.log.read_text(errors="replace"), re.M)
            if found:
                self.url = found.group(1).rstrip("/")
                break
            time.sleep(0.1)
        expect(self.url, f"{name} start niet (exit {self.process.poll()})")
        split = urlsplit(self.url)
        self.host, self.port = split.hostname, split.port

    def raw(self, method, path, cookie=None, form=None, body=None, headers=None):
        """One request without following redirects: (status, headers in lower case, body text)."""
        sent = dict(headers or {})
        if cookie is not None:
            sent["Cookie"] = f"zaak_sessie={cookie}"
        if form is not None:
            body = urlencode(form)
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()


# ---------------------------------------------------------------------------------------------
# The data: traffic, the handoffs the checks work on, the accounts

setup_began = time.monotonic()
main = Data("hoofd")
main.run("audit", "sleutel")
main.run("genereer", "--profiel", "utrecht", "--van", VAN, "--dagen", str(DAGEN))
main.run("log", "checkpoint")
queue = main.werkvoorraad(AFDELING)
second_queue = main.werkvoorraad(TWEEDE)
expect(len(queue) >= 3 and second_queue, f"te weinig open doorverwijzingen: {AFDELING} {len(queue)}, {TWEEDE} {len(second_queue)}")


def zaak_text(nummer):
    return main.run("log", "toon", "--zaak", nummer).stdout


def pick(rows, not_mentioning, count):
    """Handoffs (one per zaak) of zaken whose events never name the other afdeling."""
    chosen, seen = [], set()
    for row in rows:
        if row["zaak"] in seen or not_mentioning in zaak_text(row["zaak"]):
            continue
        seen.add(row["zaak"])
        chosen.append(row)
        if len(chosen) == count:
            return chosen
    fail(f"geen {count} zaken in de werkvoorraad zonder {not_mentioning}")


h1, h2, h3 = pick(queue, TWEEDE, 3)          # live + terugkoppeling; refusals + HTML; sign-out check
other = pick(second_queue, AFDELING, 1)[0]    # a zaak Stadsbeheer never had
# The rule's message for a toelichting of only spaces, from the CLI on the same handoff.
refusal = main.run("terugkoppeling", h2["zaak"], "--doorverwijzing", h2["doorverwijzing"], "--uitkomst", "opgelost",
                   "--toelichting", "   ", "--medewerker", "web-check", "--json", expect_code=None)
expect(refusal.returncode != 0, "de CLI legde een terugkoppeling van alleen spaties vast")
rule_message = json.loads(refusal.stderr)["fout"]["melding"]

accounts = {
    "afdeling": ("sanne", f"afdeling:{AFDELING}", "stadsbeheer-geheim-2026"),
    "tweede": ("ahmed", f"afdeling:{TWEEDE}", "parkeren-geheim-2026"),
    "kcc": ("kim", "kcc", "klantcontact-geheim-2026"),
    "auditor": ("noor", "auditor", "controle-geheim-2026"),
}
for naam, rol, wachtwoord in accounts.values():
    main.gebruiker(naam, rol, wachtwoord)
listed = {row["naam"] for row in main.json("gebruiker", "lijst")}
expect(listed >= {a[0] for a in accounts.values()}, f"zaak gebruiker lijst mist accounts: {sorted(listed)}")
start_position = main.positie()
ok(f"gegevens: {start_position} gebeurtenissen ({DAGEN} dagen Utrecht), {len(queue)} open bij {AFDELING}, "
   f"{len(second_queue)} bij {TWEEDE}, 4 accounts ({time.monotonic() - setup_began:.0f} s)")

small = Data("klein")
small.run("audit", "sleutel")
small.gebruiker("verloop", f"afdeling:{AFDELING}", "verloop-geheim-2026")

server = Server(main, "zaak serve")
short = Server(small, "zaak serve --sessieduur 3", "--sessieduur", str(SESSIEDUUR))
ok(f"zaak serve luistert op {server.url}, de tweede (sessieduur {SESSIEDUUR} s) op {short.url}")


# ---------------------------------------------------------------------------------------------
# The browser and the checks every page gets

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

axe = Axe()
dialogs = []
checked_pages = []
# Counts the EventSources a page opens and their state; changes nothing the page does.
EVENTSOURCE_PROBE = """
(() => {
  const Original = window.EventSource;
  if (!Original) return;
  window.__bronnen = [];
  window.EventSource = function (...args) { const source = new Original(...args); window.__bronnen.push(source); return source; };
  window.EventSource.prototype = Original.prototype;
  Object.assign(window.EventSource, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
})();
"""


def new_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.add_init_script(EVENTSOURCE_PROBE)
    return context


def new_page(context):
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page


def a11y(page, name):
    results = axe.run(page).response
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    lighter = sorted({f"{v['id']} ({v.get('impact')})" for v in results["violations"] if v not in serious})
    if serious:
        lines = []
        for violation in serious:
            lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
            for node in violation["nodes"][:5]:
                lines.append(f"      {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
                lines.append(f"      {node.get('html', '')[:200]}")
        fail(f"axe op {name} ({page.url}): {len(serious)} ernstige of kritieke schending(en)\n" + "\n".join(lines))
    checked_pages.append(name)
    ok(f"axe: {name} zonder ernstige of kritieke schendingen" + (f" (lichter: {', '.join(lighter)})" if lighter else ""))


def structure(page, name, who=None):
    """lang=nl, HTML5, one main#inhoud, a skip link; signed in: header, menu, name, sign-out form."""
    facts = page.evaluate("""() => ({
        lang: document.documentElement.lang, doctype: document.doctype && document.doctype.name,
        mains: document.querySelectorAll('main').length, inhoud: !!document.querySelector('main#inhoud'),
        skip: [...document.querySelectorAll('a[href="#inhoud"]')].length, title: document.title })""")
    expect(facts["lang"] == "nl" and facts["doctype"] == "html" and facts["mains"] == 1 and facts["inhoud"] and facts["skip"] >= 1
           and facts["title"].strip(), f"{name}: lang/doctype/main#inhoud/skiplink/title klopt niet: {facts}")
    if who is None:
        return
    naam, rol = who
    expect(page.locator("header nav[aria-label='Hoofdmenu']").count() == 1, f"{name}: geen <nav aria-label=\"Hoofdmenu\"> in <header>")
    # By where they go: the contract's "Controle" is labelled "Afsluitcontrole", like its page.
    links = page.locator("nav[aria-label='Hoofdmenu'] a").evaluate_all(
        "links => links.map(a => [new URL(a.href).pathname, a.textContent.trim()])")
    paths = {path for path, _ in links}
    expect({"/werkvoorraad", "/kerncijfers"} <= paths, f"{name}: het menu heeft {links}")
    expect(("/logstatus" in paths) == (rol in ("auditor", "beheer")), f"{name}: menu {links} voor rol {rol} (Log alleen voor auditor/beheer)")
    expect(("/afsluitcontrole" in paths) == (rol in ("kcc", "auditor", "beheer")),
           f"{name}: menu {links} voor rol {rol} (afsluitcontrole alleen voor kcc, auditor, beheer)")
    medewerker = page.locator("#medewerker").inner_text().strip() if page.locator("#medewerker").count() else ""
    expect(naam in medewerker, f"{name}: #medewerker is '{medewerker}', verwacht {naam}")
    form = page.locator("form#afmelden")
    expect(form.count() == 1 and (form.get_attribute("method") or "").lower() == "post" and form.get_attribute("action") == "/afmelden"
           and (form.locator("input[name='_csrf']").get_attribute("value") or "") != "" and form.locator("button").inner_text().strip() == "Afmelden",
           f"{name}: form#afmelden (post /afmelden, _csrf, knop Afmelden) ontbreekt of klopt niet")


def visit(page, path, name, who=None, status=200, shot=None, check_a11y=True):
    response = page.goto(server_of(page).url + path if path.startswith("/") else path)
    expect(response is not None and response.status == status, f"GET {path} als {who[0] if who else 'niemand'}: status "
           f"{response.status if response else None}, verwacht {status}")
    structure(page, name, who)
    if check_a11y:
        a11y(page, name)
    if shot:
        page.screenshot(path=str(screenshots / shot), full_page=True)
    return response


page_server = {}


def server_of(page):
    return page_server.get(page.context, server)


def submit(page, button):
    """Clicks a submit button; returns (status of the POST, the page's final response)."""
    with page.expect_navigation() as navigation:
        page.locator(button).click()
    final = navigation.value
    first = final.request
    while first.redirected_from is not None:
        first = first.redirected_from
    return first.response().status, final


def sign_in(page, naam, wachtwoord, status=303):
    here = server_of(page)
    page.goto(here.url + "/aanmelden")
    page.fill("#naam", naam)
    page.fill("#wachtwoord", wachtwoord)
    got, final = submit(page, "form#aanmelden button[type='submit']")
    expect(got == status, f"aanmelden als {naam}: POST /aanmelden gaf {got}, verwacht {status}")
    return final


def session_cookie(context):
    cookies = [c for c in context.cookies() if c["name"] == "zaak_sessie"]
    expect(len(cookies) == 1, f"na aanmelden {len(cookies)} cookies zaak_sessie")
    return cookies[0]


def signed_in(browser, role, on=None):
    naam, rol, wachtwoord = accounts[role]
    context = new_context(browser)
    if on is not None:
        page_server[context] = on
    page = new_page(context)
    sign_in(page, naam, wachtwoord)
    expect(urlsplit(page.url).path == "/werkvoorraad", f"na aanmelden als {naam} op {page.url}, verwacht /werkvoorraad")
    return context, page, (naam, rol)


def rows(page):
    return page.evaluate("""() => [...document.querySelectorAll('#werkvoorraad-rijen tr[data-zaak]')].map(tr => ({
        zaak: tr.dataset.zaak, doorverwijzing: tr.dataset.doorverwijzing,
        link: tr.querySelector(':scope > :first-child a')?.getAttribute('href') ?? null }))""")


def key_set(items):
    return {(item["zaak"], item["doorverwijzing"]) for item in items}


def number_forms(n):
    return {str(n), f"{n:,}".replace(",", "."), f"{n:,}".replace(",", "\u00a0"), f"{n:,}".replace(",", " ")}


def check_queue(page, afdeling, name, cli_filter=lambda row: True):
    """The page's rows are the CLI's open handoffs of the afdeling (retried while the read model catches up)."""
    for attempt in range(10):
        shown = rows(page)
        expected = [row for row in main.werkvoorraad(afdeling) if cli_filter(row)]
        if key_set(shown) == key_set(expected):
            break
        time.sleep(0.5)
    else:
        missing, extra = key_set(expected) - key_set(shown), key_set(shown) - key_set(expected)
        fail(f"{name}: {len(shown)} rijen, zaak werkvoorraad --afdeling {afdeling} geeft {len(expected)}; "
             f"ontbreken {sorted(missing)[:5]}, te veel {sorted(extra)[:5]}")
    expect(len(shown) == len(key_set(shown)), f"{name}: dubbele rijen")
    bad_links = [r for r in shown if r["link"] != f"/zaak/{r['zaak']}"]
    expect(not bad_links, f"{name}: de eerste cel linkt niet naar /zaak/{{nummer}}: {bad_links[:3]}")
    aantal = page.locator("#aantal").inner_text().strip()
    expect(aantal in number_forms(len(shown)), f"{name}: #aantal is '{aantal}', de tabel heeft {len(shown)} rijen")
    return shown


def timeline(page):
    return page.evaluate("""() => [...document.querySelectorAll('#tijdlijn > li')].map(li => ({
        type: li.dataset.type, text: li.innerText, when: li.querySelector('time')?.getAttribute('datetime') ?? null,
        hash: (li.querySelector('code.bladhash') || {}).textContent || null }))""")


def check_zaak(page, nummer, name, auditor=False):
    expect(nummer in page.locator("h1").first.inner_text(), f"{name}: <h1> noemt {nummer} niet")
    expect(page.locator("section#oordeel").count() == 1 and page.locator("section#oordeel").inner_text().strip(),
           f"{name}: geen section#oordeel met tekst")
    expect(page.locator("table#doorverwijzingen tbody tr").count() >= 1, f"{name}: table#doorverwijzingen zonder rijen")
    shown, logged = timeline(page), main.geschiedenis(nummer)
    # An entry equal to the one before it (same moment to the millisecond, same text) is the same
    # event shown twice: said as a defect at the end, and left out here so the rest is checked.
    repeated = [li for before, li in zip(shown, shown[1:]) if (li["when"], li["text"]) == (before["when"], before["text"])]
    if repeated:
        defect(f"{name}: de tijdlijn van {nummer} toont {len(repeated)} gebeurtenis(sen) twee keer "
               f"({', '.join(li['type'] for li in repeated)}), zaak geschiedenis heeft ze één keer")
        shown = [li for i, li in enumerate(shown) if i == 0 or (li["when"], li["text"]) != (shown[i - 1]["when"], shown[i - 1]["text"])]
    expect([li["type"] for li in shown] == [row["type"] for row in logged],
           f"{name}: tijdlijn {[li['type'] for li in shown]} != zaak geschiedenis {[row['type'] for row in logged]}")
    if auditor:
        hashes = [(li["hash"] or "").strip() for li in shown]
        expect(hashes == [row["bladhash"] for row in logged], f"{name}: de bladhashes op de pagina zijn niet die van zaak geschiedenis")
    else:
        expect(all(li["hash"] is None for li in shown), f"{name}: bladhashes getoond aan een niet-auditor")
    return shown, logged


def check_forbidden(page, path, name, who, shot=None):
    visit(page, path, name, who, status=403, shot=shot)
    heading = page.locator("h1").first.inner_text().strip()
    expect(heading == "Geen toegang", f"{name}: <h1> is '{heading}', verwacht 'Geen toegang'")


def unchanged(before, what):
    after = main.positie()
    expect(after == before, f"{what}: het log groeide van {before} naar {after}")


def refused_form(page, text, name):
    """Submits the terugkoppeling form with this toelichting (set as a value, past any maxlength)."""
    page.select_option("#doorverwijzing", h2["doorverwijzing"])
    page.select_option("#uitkomst", "opgelost")
    page.locator("#toelichting").evaluate("(area, text) => { area.value = text; }", text)
    before = main.positie()
    status, _ = submit(page, "form#terugkoppeling button[type='submit']")
    expect(status == 422, f"{name}: POST gaf {status}, verwacht 422")
    unchanged(before, name)
    kept = page.locator("#toelichting").input_value()
    expect(kept == text, f"{name}: de ingevulde tekst is niet bewaard ({len(kept)} tekens terug van {len(text)}: {kept[:60]!r})")
    error = page.locator("#toelichting-fout")
    expect(error.count() == 1 and "fout" in (error.get_attribute("class") or "").split(), f"{name}: geen id=\"toelichting-fout\" class=\"fout\"")
    area = page.locator("#toelichting")
    expect(area.get_attribute("aria-invalid") == "true" and "toelichting-fout" in (area.get_attribute("aria-describedby") or "").split(),
           f"{name}: het tekstveld wijst niet naar de melding (aria-invalid, aria-describedby)")
    return error.inner_text().strip()


# ---------------------------------------------------------------------------------------------

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"])
    try:
        # -- Not signed in --------------------------------------------------------------------
        status, headers, _ = server.raw("GET", "/")
        expect(status == 303 and urlsplit(headers.get("location", "")).path == "/aanmelden", f"GET / zonder sessie: {status} {headers.get('location')}")
        status, headers, _ = server.raw("GET", "/werkvoorraad")
        expect(status == 303 and urlsplit(headers.get("location", "")).path == "/aanmelden", f"GET /werkvoorraad zonder sessie: {status} {headers.get('location')}")
        for path, kind in (("/static/zaaklog.css", "text/css"), ("/static/zaaklog.js", "javascript")):
            status, headers, body = server.raw("GET", path)
            expect(status == 200 and kind in headers.get("content-type", "") and body.strip(), f"GET {path}: {status} {headers.get('content-type')}")
        ok("zonder sessie: / en /werkvoorraad → 303 /aanmelden; /static/zaaklog.css en .js worden geserveerd")

        anonymous = new_context(browser)
        page = new_page(anonymous)
        visit(page, "/aanmelden", "aanmelden", shot="aanmelden.png")
        form = page.locator("form#aanmelden")
        expect(form.count() == 1 and (form.get_attribute("method") or "").lower() == "post" and form.get_attribute("action") == "/aanmelden"
               and page.locator("input#naam[name='naam']").count() == 1
               and page.locator("input#wachtwoord[name='wachtwoord'][type='password']").count() == 1
               and (form.locator("input[type='hidden'][name='_csrf']").get_attribute("value") or "")
               and form.locator("button[type='submit']").inner_text().strip() == "Aanmelden", "aanmelden: het formulier klopt niet met het contract")
        ok("aanmelden: formulier met naam, wachtwoord, _csrf en knop Aanmelden")
        anonymous.close()

        # -- Stadsbeheer: sign in, queue, filters ---------------------------------------------
        ctx_a, page_a, who_a = signed_in(browser, "afdeling")
        cookie = session_cookie(ctx_a)
        expect(cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/",
               f"cookie zaak_sessie: httpOnly={cookie['httpOnly']}, sameSite={cookie['sameSite']}, path={cookie['path']}")
        ok(f"aanmelden als {who_a[0]} → 303 /werkvoorraad, cookie zaak_sessie HttpOnly, SameSite=Strict, Path=/")
        status, headers, _ = server.raw("GET", "/", cookie=cookie["value"])
        expect(status == 303 and urlsplit(headers.get("location", "")).path == "/werkvoorraad", f"GET / met sessie: {status} {headers.get('location')}")
        status, headers, _ = server.raw("GET", "/werkvoorraad", cookie=cookie["value"])
        policy = headers.get("content-security-policy", "")
        expect(status == 200 and "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
               and headers.get("x-content-type-options") == "nosniff" and "no-store" in headers.get("cache-control", ""),
               f"GET /werkvoorraad: kopregels {headers}")
        ok("pagina's met Content-Security-Policy (script-src 'self', frame-ancestors 'none'), nosniff en Cache-Control: no-store")

        visit(page_a, "/werkvoorraad", "werkvoorraad (afdeling)", who_a)
        shown = check_queue(page_a, AFDELING, "werkvoorraad (afdeling)")
        expect(page_a.locator("table#werkvoorraad").count() == 1 and page_a.locator("p#live-status[aria-live='polite']").count() == 1,
               "werkvoorraad: table#werkvoorraad of p#live-status[aria-live=polite] ontbreekt")
        ok(f"werkvoorraad {AFDELING}: {len(shown)} rijen = zaak werkvoorraad, links naar /zaak/{{nummer}}, #aantal klopt")

        filters = page_a.locator("form#filters")
        expect(filters.count() == 1 and (filters.get_attribute("method") or "get").lower() == "get"
               and all(page_a.locator(f"select#{s}[name='{s}']").count() == 1 for s in ("te-laat", "onderwerp", "kanaal")),
               "werkvoorraad: form#filters met select#te-laat, #onderwerp, #kanaal ontbreekt")
        page_a.select_option("#te-laat", "ja")
        with page_a.expect_navigation():
            filters.evaluate("form => form.requestSubmit()")
        expect("te-laat=ja" in page_a.url and page_a.locator("#te-laat").input_value() == "ja", f"filter te-laat staat niet in de URL of het veld: {page_a.url}")
        late = check_queue(page_a, AFDELING, "werkvoorraad te-laat=ja", lambda row: row["teLaatWerkdagen"] > 0)
        onderwerp = queue[0]["onderwerp"]
        values = page_a.locator("#onderwerp option").evaluate_all("options => options.map(o => o.value)")
        expect(onderwerp in values, f"#onderwerp heeft geen optie {onderwerp}: {values[:10]}")
        visit(page_a, "/werkvoorraad?" + urlencode({"onderwerp": onderwerp}), "werkvoorraad onderwerp", who_a, check_a11y=False)
        expect(page_a.locator("#onderwerp").input_value() == onderwerp, "filter onderwerp staat na laden niet meer in het veld")
        by_subject = check_queue(page_a, AFDELING, f"werkvoorraad onderwerp={onderwerp}",
                                 lambda row: row["onderwerp"] == onderwerp or row["onderwerp"].startswith(onderwerp + "."))
        kanalen = [v for v in page_a.locator("#kanaal option").evaluate_all("options => options.map(o => o.value)") if v]
        expect(kanalen, "#kanaal heeft geen kanalen")
        kanaal = queue[0]["kanaal"]
        expect(kanaal in kanalen, f"#kanaal heeft geen optie {kanaal}: {kanalen}")
        visit(page_a, "/werkvoorraad?" + urlencode({"kanaal": kanaal, "onderwerp": onderwerp}), "werkvoorraad kanaal", who_a, check_a11y=False)
        expect(page_a.locator("#kanaal").input_value() == kanaal and page_a.locator("#onderwerp").input_value() == onderwerp,
               f"filter kanaal={kanaal}&onderwerp={onderwerp}: de velden houden hun waarde niet")
        by_channel = check_queue(page_a, AFDELING, f"werkvoorraad kanaal={kanaal}&onderwerp={onderwerp}",
                                 lambda row: row["kanaal"] == kanaal and row["onderwerp"] == onderwerp)
        ok(f"filters: te-laat=ja {len(late)} rijen, onderwerp={onderwerp} {len(by_subject)}, kanaal={kanaal}&onderwerp {len(by_channel)}, "
           "elk = zaak werkvoorraad; waarden blijven in URL en velden")
        # The screenshot with filters that leave a dozen rows or so: the whole queue makes a page of
        # many thousand pixels.
        per_filter = {}
        for row in queue:
            per_filter[row["onderwerp"], row["kanaal"]] = per_filter.get((row["onderwerp"], row["kanaal"]), 0) + 1
        subject, channel = min(per_filter, key=lambda pair: (abs(per_filter[pair] - 12), pair))
        visit(page_a, "/werkvoorraad?" + urlencode({"onderwerp": subject, "kanaal": channel}), "werkvoorraad", who_a,
              check_a11y=False, shot="werkvoorraad.png")

        # -- A second context on the same queue (kcc), live ----------------------------------
        ctx_b, page_b, who_b = signed_in(browser, "kcc")
        visit(page_b, "/werkvoorraad?" + urlencode({"afdeling": AFDELING}), "werkvoorraad (kcc)", who_b)
        before_b = check_queue(page_b, AFDELING, "werkvoorraad (kcc, Stadsbeheer)")
        target = f"#werkvoorraad-rijen tr[data-zaak='{h1['zaak']}'][data-doorverwijzing='{h1['doorverwijzing']}']"
        expect(page_b.locator(target).count() == 1, f"de kcc ziet {h1['zaak']} {h1['doorverwijzing']} niet in de werkvoorraad")
        try:
            page_b.wait_for_function("() => (window.__bronnen || []).some(s => s.readyState === 1 && new URL(s.url).pathname === '/live')", timeout=10_000)
        except PlaywrightError:
            fail(f"werkvoorraad: na 10 s geen open EventSource op /live ({page_b.evaluate('() => (window.__bronnen||[]).map(s => [s.url, s.readyState])')})")
        page_b.evaluate("() => { window.__zelfdePagina = true; }")
        polled = []
        page_b.on("request", lambda request: polled.append(request.url) if urlsplit(request.url).path != "/live" else None)
        time.sleep(2.5)
        expect(not polled, f"werkvoorraad vraagt zonder aanleiding: {polled[:3]}")
        ok("werkvoorraad (kcc) heeft een open EventSource op /live en vraagt 2,5 s niets (geen polling)")

        # -- The zaak, and a terugkoppeling --------------------------------------------------
        visit(page_a, "/werkvoorraad", "werkvoorraad", who_a, check_a11y=False)
        with page_a.expect_navigation():
            page_a.locator(f"#werkvoorraad-rijen tr[data-zaak='{h1['zaak']}'] a[href='/zaak/{h1['zaak']}']").first.click()
        expect(urlsplit(page_a.url).path == f"/zaak/{h1['zaak']}", f"de link in de werkvoorraad leidt naar {page_a.url}")
        structure(page_a, "zaak (afdeling)", who_a)
        a11y(page_a, "zaak (afdeling)")
        page_a.screenshot(path=str(screenshots / "zaak.png"), full_page=True)
        before_tl, logged = check_zaak(page_a, h1["zaak"], "zaak (afdeling)")
        form = page_a.locator(f"form#terugkoppeling[action='/zaak/{h1['zaak']}/terugkoppeling']")
        expect(form.count() == 1 and (form.get_attribute("method") or "").lower() == "post"
               and (form.locator("input[name='_csrf']").get_attribute("value") or ""), "zaak: form#terugkoppeling (post, _csrf) ontbreekt")
        uitkomsten = page_a.locator("#uitkomst option").evaluate_all("options => options.map(o => o.value)")
        expect({"opgelost", "niet-opgelost", "afgewezen", "doorgestuurd"} <= set(uitkomsten)
               and page_a.locator("select#doorgestuurd-naar[name='doorgestuurdNaar']").count() == 1
               and page_a.locator("textarea#toelichting[name='toelichting']").count() == 1, f"zaak: formuliervelden kloppen niet (uitkomsten {uitkomsten})")
        ok(f"zaak {h1['zaak']}: oordeel, doorverwijzingen, tijdlijn van {len(before_tl)} = zaak geschiedenis, geen bladhashes, terugkoppelformulier")

        toelichting = "Container vandaag alsnog geleegd (web-check)"
        page_a.select_option("#doorverwijzing", h1["doorverwijzing"])
        page_a.select_option("#uitkomst", "opgelost")
        page_a.fill("#toelichting", toelichting)
        position = main.positie()
        status, final = submit(page_a, "form#terugkoppeling button[type='submit']")
        expect(status == 303 and urlsplit(page_a.url).path == f"/zaak/{h1['zaak']}" and "vastgelegd=1" in page_a.url,
               f"terugkoppeling: POST {status}, daarna {page_a.url}; verwacht 303 naar /zaak/{h1['zaak']}?vastgelegd=1")
        expect(page_a.locator("p#melding[role='status']").count() == 1, "na vastleggen geen <p id=\"melding\" role=\"status\">")
        after_tl = timeline(page_a)
        expect(len(after_tl) == len(before_tl) + 1 and after_tl[-1]["type"] == "TerugkoppelingOntvangen" and toelichting in after_tl[-1]["text"],
               f"tijdlijn na vastleggen: {[li['type'] for li in after_tl][-3:]}, laatste '{after_tl[-1]['text'][:120]}'")
        logged_after = main.geschiedenis(h1["zaak"])
        expect(main.positie() == position + 1 and len(logged_after) == len(logged) + 1 and logged_after[-1]["type"] == "TerugkoppelingOntvangen"
               and toelichting in logged_after[-1]["beschrijving"] and h1["doorverwijzing"] in logged_after[-1]["beschrijving"],
               f"het log na vastleggen: {logged_after[-1]}")
        # The API and the CLI record the handoff's afdeling as the actor; the pages record the
        # signed-in medewerker (Sources/Web/Gebruikers.swift): either names who answered.
        actor = logged_after[-1]["actor"]
        expect((actor.get("soort"), actor.get("id")) in (("afdeling", AFDELING), ("medewerker", who_a[0])),
               f"de actor van de terugkoppeling is {actor}, verwacht afdeling {AFDELING} of medewerker {who_a[0]}")
        ok(f"terugkoppeling op {h1['zaak']} {h1['doorverwijzing']}: 303 ?vastgelegd=1, #melding, nieuwe TerugkoppelingOntvangen in tijdlijn en log "
           f"(actor {actor.get('soort')} {actor.get('id')})")

        try:
            page_b.wait_for_selector(target, state="detached", timeout=15_000)
        except PlaywrightError:
            fail(f"de tweede context (kcc, werkvoorraad {AFDELING}) ziet de rij {h1['zaak']} {h1['doorverwijzing']} na 15 s nog")
        expect(page_b.evaluate("() => window.__zelfdePagina === true"), "de tweede context is herladen in plaats van live bijgewerkt")
        after_b = key_set(rows(page_b))
        expect(after_b == key_set(before_b) - {(h1["zaak"], h1["doorverwijzing"])}, "na de live update klopt de rest van de rijen niet")
        try:
            page_b.wait_for_function("n => ['' + n, n.toLocaleString('nl-NL')].includes(document.querySelector('#aantal').textContent.trim())",
                                     arg=len(after_b), timeout=5_000)
        except PlaywrightError:
            note(f"na de live update staat #aantal nog op '{page_b.locator('#aantal').inner_text()}', de tabel heeft {len(after_b)} rijen")
        ok(f"tweede context: rij {h1['zaak']} {h1['doorverwijzing']} verdwijnt zonder herladen (SSE), de andere {len(after_b)} blijven")
        # And a handoff that arrives (a webformulier melding goes straight to Stadsbeheer, recorded by
        # the CLI beside the running server) appears in that list, still without a reload.
        arrived = main.json("melding", "--inwoner", "inw-web-live", "--onderwerp", "openbare-ruimte.stoeptegel", "--inhoud", "Losse tegel voor de deur",
                            "--straat", "Kerkstraat", "--huisnummer", "12", "--medewerker", "web-check")["zaak"]
        try:
            page_b.wait_for_selector(f"#werkvoorraad-rijen tr[data-zaak='{arrived}']", timeout=15_000)
        except PlaywrightError:
            fail(f"de tweede context ziet de nieuwe doorverwijzing van {arrived} na 15 s nog niet")
        expect(page_b.evaluate("() => window.__zelfdePagina === true"), "de tweede context is herladen voor de nieuwe doorverwijzing")
        ok(f"tweede context: de nieuwe doorverwijzing van {arrived} verschijnt zonder herladen (SSE)")
        ctx_b_keep = (ctx_b, page_b, who_b)

        # -- Refusals -------------------------------------------------------------------------
        visit(page_a, f"/zaak/{h2['zaak']}", "zaak h2", who_a, check_a11y=False)
        message = refused_form(page_a, "   ", "terugkoppeling van alleen spaties")
        core = rule_message.rstrip(".")
        expect(core.lower() in message.lower(), f"#toelichting-fout is '{message}', de regel zegt '{rule_message}'")
        structure(page_a, "terugkoppeling geweigerd", who_a)
        a11y(page_a, "terugkoppeling geweigerd")
        page_a.screenshot(path=str(screenshots / "terugkoppeling-geweigerd.png"), full_page=True)
        ok(f"alleen spaties: 422, #toelichting-fout '{message}', tekst bewaard, niets vastgelegd")

        hostile = "</textarea><script>alert('geweigerd')</script><img src=x onerror=alert(2)>" + "x" * 2000
        message = refused_form(page_a, hostile, "terugkoppeling van meer dan 2000 tekens met HTML")
        expect("2000" in message, f"#toelichting-fout bij te lange tekst: '{message}'")
        expect(not dialogs and page_a.locator("img[src='x']").count() == 0, f"de bewaarde tekst werd HTML: dialogen {dialogs}")
        ok("meer dan 2000 tekens met </textarea><script>: 422, melding met het maximum, tekst letterlijk bewaard, niets uitgevoerd of vastgelegd")

        visit(page_a, f"/zaak/{h2['zaak']}", "zaak h2", who_a, check_a11y=False)
        csrf = page_a.locator("form#terugkoppeling input[name='_csrf']").get_attribute("value")
        cookie = session_cookie(ctx_a)["value"]
        fields = {"doorverwijzing": h2["doorverwijzing"], "uitkomst": "opgelost", "toelichting": "zonder token"}
        before = main.positie()
        for label, extra in (("zonder _csrf", {}), ("met een fout _csrf", {"_csrf": csrf[:-2] + ("aa" if not csrf.endswith("aa") else "bb")})):
            status, _, body = server.raw("POST", f"/zaak/{h2['zaak']}/terugkoppeling", cookie=cookie, form={**fields, **extra})
            expect(status == 403 and "Formulier ongeldig of verlopen" in html.unescape(body), f"POST {label}: {status}, verwacht 403 'Formulier ongeldig of verlopen'")
        status, _, body = server.raw("POST", "/afmelden", cookie=cookie, form={})
        expect(status == 403, f"POST /afmelden zonder _csrf: {status}, verwacht 403")
        unchanged(before, "POST zonder geldig _csrf")
        status, _, _ = server.raw("GET", "/werkvoorraad", cookie=cookie)
        expect(status == 200, f"na de geweigerde POST /afmelden werkt de sessie niet meer ({status})")
        ok("POST zonder of met fout _csrf (terugkoppeling, afmelden): 403 'Formulier ongeldig of verlopen', niets vastgelegd")

        page_a.select_option("#doorverwijzing", h2["doorverwijzing"])
        page_a.select_option("#uitkomst", "opgelost")
        page_a.locator("#toelichting").evaluate("area => { area.value = 'a'.repeat(70 * 1024); }")
        try:
            status, _ = submit(page_a, "form#terugkoppeling button[type='submit']")
        except PlaywrightError as error:
            fail(f"formulier van 70 KiB: de browser krijgt geen antwoord ({str(error).splitlines()[0]})")
        expect(status == 413, f"formulier van 70 KiB: {status}, verwacht 413")
        unchanged(before, "formulier van 70 KiB")
        structure(page_a, "413")
        a11y(page_a, "te groot (413)")
        status, _, _ = server.raw("POST", f"/zaak/{h2['zaak']}/terugkoppeling", cookie=cookie,
                                  form={**fields, "_csrf": csrf, "toelichting": "b" * (65 * 1024)})
        expect(status == 413, f"POST van 65 KiB (http.client): {status}, verwacht 413")
        unchanged(before, "formulier van 65 KiB")
        ok("formulier boven 64 KiB (browser 70 KiB, http.client 65 KiB): 413-pagina, niets vastgelegd")

        visit(page_a, f"/zaak/{h2['zaak']}", "zaak h2", who_a, check_a11y=False)
        markup = "<img src=x onerror=alert(1)><b>vet</b>"
        page_a.select_option("#doorverwijzing", h2["doorverwijzing"])
        page_a.select_option("#uitkomst", "niet-opgelost")
        page_a.fill("#toelichting", markup)
        status, _ = submit(page_a, "form#terugkoppeling button[type='submit']")
        expect(status == 303 and main.positie() == before + 1, f"terugkoppeling met HTML: {status}, log {before} → {main.positie()}")
        last = timeline(page_a)[-1]
        expect(last["type"] == "TerugkoppelingOntvangen" and markup in last["text"], f"de HTML staat niet letterlijk in de tijdlijn: '{last['text'][:160]}'")
        expect(page_a.locator("#tijdlijn img").count() == 0 and page_a.locator("#tijdlijn b", has_text="vet").count() == 0 and not dialogs,
               f"de HTML in de toelichting werd uitgevoerd: img {page_a.locator('#tijdlijn img').count()}, dialogen {dialogs}")
        ok("HTML in een toelichting: letterlijk als tekst in de tijdlijn, geen <img>/<b>, geen dialoog")

        # -- Boundaries of the afdeling ------------------------------------------------------
        check_forbidden(page_a, f"/zaak/{other['zaak']}", "geen toegang", who_a, shot="geen-toegang.png")
        check_forbidden(page_a, "/zaak/Z-2026-999999", "onbekende zaak (afdeling)", who_a)
        check_forbidden(page_a, "/werkvoorraad?" + urlencode({"afdeling": TWEEDE}), "werkvoorraad andere afdeling", who_a)
        check_forbidden(page_a, "/afsluitcontrole", "afsluitcontrole (afdeling)", who_a)
        check_forbidden(page_a, "/logstatus", "logstatus (afdeling)", who_a)
        status, _, body = server.raw("POST", f"/zaak/{other['zaak']}/terugkoppeling", cookie=cookie,
                                     form={"doorverwijzing": other["doorverwijzing"], "uitkomst": "opgelost", "toelichting": "niet van ons", "_csrf": csrf})
        expect(status == 403, f"POST terugkoppeling op een zaak van {TWEEDE} als {AFDELING}: {status}, verwacht 403")
        unchanged(before + 1, "terugkoppeling op een andere afdeling")
        ok(f"{AFDELING}: zaak van {TWEEDE}, onbekende zaak, ?afdeling={TWEEDE}, /afsluitcontrole, /logstatus en een POST daarop: 403 'Geen toegang'")
        visit(page_a, "/kerncijfers", "kerncijfers (afdeling)", who_a, check_a11y=False)
        ok(f"{AFDELING}: /kerncijfers 200")

        # -- Sign out, tampered cookie --------------------------------------------------------
        old = session_cookie(ctx_a)["value"]
        visit(page_a, "/werkvoorraad", "werkvoorraad", who_a, check_a11y=False)
        status, final = submit(page_a, "form#afmelden button")
        expect(status == 303 and urlsplit(page_a.url).path == "/aanmelden", f"afmelden: {status}, daarna {page_a.url}")
        status, headers, _ = server.raw("GET", "/werkvoorraad", cookie=old)
        expect(status == 303 and urlsplit(headers.get("location", "")).path == "/aanmelden", f"het oude cookie na afmelden: {status} {headers.get('location')}")
        status, _, _ = server.raw("GET", f"/zaak/{h1['zaak']}", cookie=old)
        expect(status == 303, f"het oude cookie na afmelden op /zaak: {status}")
        ctx_a.add_cookies([{"name": "zaak_sessie", "value": old, "url": server.url}])
        page_a.goto(server.url + "/werkvoorraad")
        expect(urlsplit(page_a.url).path == "/aanmelden", f"de browser met het oude cookie komt op {page_a.url}")
        ok("afmelden: 303 /aanmelden; het oude cookie opnieuw gestuurd (http.client en browser) → /aanmelden")
        ctx_a.close()

        ctx_t, page_t, who_t = signed_in(browser, "afdeling")
        value = session_cookie(ctx_t)["value"]
        middle = len(value) // 2
        tampered = value[:middle] + ("A" if value[middle] != "A" else "B") + value[middle + 1:]
        for candidate in (tampered, value[:-1] + ("0" if value[-1] != "0" else "1"), value + "x", "", "onzin"):
            status, headers, _ = server.raw("GET", "/werkvoorraad", cookie=candidate)
            expect(status == 303 and urlsplit(headers.get("location", "")).path == "/aanmelden", f"een veranderd cookie ({candidate[:12]}…): {status} {headers.get('location')}")
        ctx_t.clear_cookies()
        ctx_t.add_cookies([{"name": "zaak_sessie", "value": tampered, "url": server.url}])
        page_t.goto(server.url + "/werkvoorraad")
        expect(urlsplit(page_t.url).path == "/aanmelden", f"de browser met een veranderd cookie komt op {page_t.url}")
        status, _, _ = server.raw("GET", "/werkvoorraad", cookie=value)
        expect(status == 200, f"het echte cookie werkt niet meer na pogingen met een veranderd cookie ({status})")
        ok("een veranderd cookie (midden, eind, langer, leeg, onzin) → 303 /aanmelden; het echte werkt nog")
        ctx_t.close()

        # -- Second afdeling --------------------------------------------------------------------
        ctx_p, page_p, who_p = signed_in(browser, "tweede")
        visit(page_p, "/werkvoorraad", f"werkvoorraad ({TWEEDE})", who_p, check_a11y=False)
        shown = check_queue(page_p, TWEEDE, f"werkvoorraad ({TWEEDE})")
        visit(page_p, f"/zaak/{other['zaak']}", f"zaak ({TWEEDE})", who_p, check_a11y=False)
        check_zaak(page_p, other["zaak"], f"zaak ({TWEEDE})")
        expect(page_p.locator("form#terugkoppeling").count() == 1, f"{TWEEDE} krijgt geen terugkoppelformulier op zijn eigen zaak")
        check_forbidden(page_p, f"/zaak/{h3['zaak']}", f"zaak van {AFDELING} als {TWEEDE}", who_p)
        ok(f"{TWEEDE}: eigen werkvoorraad ({len(shown)} = CLI) en zaak met formulier; zaak van {AFDELING} → 403")
        ctx_p.close()

        # -- kcc --------------------------------------------------------------------------------
        ctx_b, page_b, who_b = ctx_b_keep
        visit(page_b, "/werkvoorraad", "werkvoorraad (kcc, standaard)", who_b, check_a11y=False)
        expect(page_b.locator("table#werkvoorraad").count() == 1, "kcc: werkvoorraad zonder ?afdeling toont geen tabel")
        visit(page_b, "/werkvoorraad?" + urlencode({"afdeling": TWEEDE}), "werkvoorraad (kcc)", who_b, check_a11y=False)
        check_queue(page_b, TWEEDE, f"werkvoorraad (kcc, {TWEEDE})")
        visit(page_b, f"/zaak/{h3['zaak']}", "zaak (kcc)", who_b)
        check_zaak(page_b, h3["zaak"], "zaak (kcc)")
        expect(page_b.locator("form#terugkoppeling").count() == 1, "kcc krijgt geen terugkoppelformulier op een open doorverwijzing")


        def check_controle(page, name):
            """Each section lists the zaken of `zaak controle` (an empty table has one row saying so)."""
            result = main.json("controle")
            counts = {}
            for section, key in (("niet-echt-opgelost", "nietEchtOpgelost"), ("klaar-om-te-sluiten", "klaarOmTeSluiten"), ("over-de-termijn", "termijnVerlopen")):
                block = page.locator(f"#{section}")
                expect(block.count() == 1 and block.locator("table").count() >= 1, f"{name}: #{section} met een tabel ontbreekt")
                shown = sorted(block.locator("tbody tr a[href^='/zaak/']").evaluate_all("links => links.map(a => a.textContent.trim())"))
                expected = sorted(row["zaak"] for row in result[key])
                expect(shown == expected, f"{name}: #{section} toont {len(shown)} zaken {shown[:5]}, zaak controle {len(expected)} {expected[:5]}")
                counts[section] = len(shown)
            return counts

        visit(page_b, "/afsluitcontrole", "afsluitcontrole (kcc)", who_b, shot="afsluitcontrole.png")
        counts = check_controle(page_b, "afsluitcontrole (kcc)")

        def check_kpi(page, name):
            expect(page.locator("#kpi").count() == 1, f"{name}: geen #kpi")
            figures = page.locator("figure")
            expect(figures.count() >= 4, f"{name}: {figures.count()} figuren, verwacht per kanaal, per week, echt opgelost, termijn per afdeling")
            for i in range(figures.count()):
                figure = figures.nth(i)
                expect(figure.locator("svg[role='img']").count() >= 1 and figure.locator("figcaption").inner_text().strip(),
                       f"{name}: figuur {i + 1} zonder <svg role=\"img\"> of <figcaption>")
            expect(page.locator("table").count() >= 1 + figures.count(), f"{name}: {page.locator('table').count()} tabellen voor {figures.count()} figuren en #kpi")
            return figures.count()

        visit(page_b, "/kerncijfers?" + urlencode({"van": VAN, "tot": TOT}), "kerncijfers (kcc)", who_b, shot="kerncijfers.png")
        figures = check_kpi(page_b, "kerncijfers (kcc)")
        total = next(row for row in main.json("kpi", "--van", VAN, "--tot", TOT) if row["groep"] == "totaal")
        kpi_text = page_b.locator("#kpi").inner_text()
        expect(any(form in kpi_text for form in number_forms(total["zaken"])), f"kerncijfers: #kpi noemt het aantal zaken van zaak kpi ({total['zaken']}) niet")
        # Knelpunten: the heatmap's medians per afdeling are those of `zaak knelpunten --per afdeling`.
        visit(page_b, "/knelpunten?" + urlencode({"van": VAN, "tot": TOT, "per": "afdeling"}), "knelpunten (kcc)", who_b, shot="knelpunten.png")
        hops = main.json("knelpunten", "--van", VAN, "--tot", TOT, "--per", "afdeling")
        wait = next(row for row in hops if row["hop"] == "doorverwijzing-terugkoppeling" and row.get("groep") == AFDELING)
        cell = page_b.locator("#knelpunten tbody tr", has=page_b.locator(f"th:text-is('{AFDELING}')")).locator("td").nth(1).inner_text()
        shown = float(cell.split(" u")[0].replace(",", "."))
        expect(abs(shown - wait["mediaanWerkuren"]) <= 0.051,
               f"knelpunten: {AFDELING} doorverwijzing → terugkoppeling toont '{cell}', zaak knelpunten {wait['mediaanWerkuren']}")
        ok(f"knelpunten: {AFDELING} wacht mediaan {shown} u op terugkoppeling, als zaak knelpunten")
        check_forbidden(page_b, "/logstatus", "logstatus (kcc)", who_b)
        ok(f"kcc: werkvoorraad per afdeling, zaak met formulier, afsluitcontrole {counts}, kerncijfers met {figures} figuren "
           f"en {total['zaken']} zaken = zaak kpi; /logstatus 403")
        ctx_b.close()

        # -- auditor ----------------------------------------------------------------------------
        ctx_u, page_u, who_u = signed_in(browser, "auditor")
        visit(page_u, "/werkvoorraad?" + urlencode({"afdeling": AFDELING}), "werkvoorraad (auditor)", who_u, check_a11y=False)
        check_queue(page_u, AFDELING, "werkvoorraad (auditor)")
        visit(page_u, f"/zaak/{h1['zaak']}", "zaak (auditor)", who_u)
        shown_tl, _ = check_zaak(page_u, h1["zaak"], "zaak (auditor)", auditor=True)
        expect(page_u.locator("form#terugkoppeling").count() == 0, "de auditor krijgt een terugkoppelformulier")
        visit(page_u, "/afsluitcontrole", "afsluitcontrole (auditor)", who_u, check_a11y=False)
        check_controle(page_u, "afsluitcontrole (auditor)")
        visit(page_u, "/kerncijfers", "kerncijfers (auditor)", who_u, check_a11y=False)
        check_kpi(page_u, "kerncijfers (auditor)")
        visit(page_u, "/logstatus", "logstatus", who_u, shot="logstatus.png")
        status_json = main.json("log", "status")
        checkpoint = page_u.locator("#checkpoint")
        expect(checkpoint.count() == 1, "logstatus: geen #checkpoint")
        cp_text, cp = checkpoint.inner_text(), status_json["laatsteCheckpoint"]
        expect(cp and cp["wortel"][:16] in cp_text and any(f in cp_text for f in number_forms(cp["boomgrootte"])),
               f"logstatus: #checkpoint noemt wortel {cp and cp['wortel'][:16]}… en grootte {cp and cp['boomgrootte']} niet: '{cp_text[:200]}'")
        expect(any(f in page_u.locator("main").inner_text() for f in number_forms(status_json["laatstePositie"])),
               f"logstatus: de logpositie {status_json['laatstePositie']} staat niet op de pagina")
        ok(f"auditor: werkvoorraad, zaak met {len(shown_tl)} bladhashes = zaak geschiedenis en zonder formulier, afsluitcontrole, kerncijfers, "
           f"logstatus (positie {status_json['laatstePositie']}, checkpoint {cp['boomgrootte']} {cp['wortel'][:12]}…)")
        ctx_u.close()

        # -- Expiry and the sign-in throttle, on the second server ----------------------------
        ctx_s = new_context(browser)
        page_server[ctx_s] = short
        page_s = new_page(ctx_s)
        sign_in(page_s, "verloop", "verloop-geheim-2026")
        expired = session_cookie(ctx_s)["value"]
        status, _, _ = short.raw("GET", "/werkvoorraad", cookie=expired)
        expect(status == 200, f"sessie van {SESSIEDUUR} s werkt direct na aanmelden niet ({status})")
        time.sleep(SESSIEDUUR + 1.5)
        page_s.goto(short.url + "/werkvoorraad")
        split = urlsplit(page_s.url)
        expect(split.path == "/aanmelden" and "verlopen=1" in split.query, f"na {SESSIEDUUR + 1.5} s met sessieduur {SESSIEDUUR}: op {page_s.url}, verwacht /aanmelden?verlopen=1")
        fout = page_s.locator("#fout").inner_text().strip() if page_s.locator("#fout").count() else ""
        expect("Uw sessie is verlopen" in fout, f"verlopen sessie: #fout is '{fout}'")
        structure(page_s, "aanmelden (verlopen)")
        a11y(page_s, "aanmelden (verlopen)")
        ok(f"sessie verlopen na {SESSIEDUUR} s → /aanmelden?verlopen=1 met 'Uw sessie is verlopen'")

        page_s.goto(short.url + "/aanmelden")
        got = []
        for attempt in range(5):
            page_s.goto(short.url + "/aanmelden")
            page_s.fill("#naam", "verloop")
            page_s.fill("#wachtwoord", f"fout-wachtwoord-{attempt}")
            status, _ = submit(page_s, "form#aanmelden button[type='submit']")
            got.append(status)
            fout = page_s.locator("#fout[role='alert']").inner_text().strip() if page_s.locator("#fout[role='alert']").count() else ""
            if attempt == 0:
                expect(status == 401 and fout == "Naam of wachtwoord klopt niet." and page_s.locator("p#fout.fout").count() == 1,
                       f"fout wachtwoord: {status}, #fout '{fout}'; verwacht 401 'Naam of wachtwoord klopt niet.'")
                expect(page_s.locator("#naam").input_value() in ("verloop", ""), "aanmelden: naamveld")
                a11y(page_s, "aanmelden (fout)")
        expect(got[:4] == [401] * 4 and got[4] in (401, 429), f"vijf foute wachtwoorden gaven {got}")
        page_s.goto(short.url + "/aanmelden")
        page_s.fill("#naam", "verloop")
        page_s.fill("#wachtwoord", "verloop-geheim-2026")
        status, _ = submit(page_s, "form#aanmelden button[type='submit']")
        fout = page_s.locator("#fout").inner_text().strip() if page_s.locator("#fout").count() else ""
        expect(status == 429 and "Te veel mislukte pogingen" in fout, f"na vijf fouten het goede wachtwoord: {status}, #fout '{fout}'; verwacht 429")
        expect(not [c for c in ctx_s.cookies() if c["name"] == "zaak_sessie" and c["value"] != expired],
               "na 429 toch een nieuwe sessie")
        a11y(page_s, "aanmelden (te veel pogingen)")
        ok(f"fout wachtwoord: 401 'Naam of wachtwoord klopt niet.'; vijf fouten {got} → 429 'Te veel mislukte pogingen', ook met het goede wachtwoord")
        ctx_s.close()

        expect(not dialogs, f"dialogen geopend: {dialogs}")
        expect(len(checked_pages) >= 20, f"axe liep op maar {len(checked_pages)} pagina's")
        ok(f"geen enkele dialoog (alert) in de hele run; axe op {len(checked_pages)} pagina's")
    finally:
        browser.close()
        for running in servers:
            running.stop()

wanted = {"aanmelden", "werkvoorraad", "zaak", "terugkoppeling-geweigerd", "afsluitcontrole", "kerncijfers", "knelpunten", "logstatus", "geen-toegang"}
fresh = {p.stem for p in screenshots.glob("*.png") if p.stat().st_mtime >= time.time() - (time.monotonic() - began)}
expect(wanted <= fresh, f"schermafdrukken ontbreken: {sorted(wanted - fresh)}")
ok(f"schermafdrukken in docs/screenshots: {', '.join(sorted(f + '.png' for f in wanted))}")
if defects:
    for text in defects:
        print("ONJUIST: " + text, file=sys.stderr)
    print(f"ONJUIST: {len(defects)} fout(en) hierboven; de andere controles slaagden", file=sys.stderr)
    sys.exit(1)
if notes:
    print(f"[let op] {len(notes)} opmerking(en), zie hierboven")
print(f"[ok] alles in orde in {time.monotonic() - began:.0f} s")
