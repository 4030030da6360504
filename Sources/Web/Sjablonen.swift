import Mustache

/// The pages' templates (Mustache: `{{x}}` is escaped as HTML, `{{{x}}}` only for HTML made by
/// this module, such as the SVG charts). They are part of the binary, so `zaak serve` needs no
/// files beside it.
enum Sjablonen {
    static let bibliotheek: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in teksten {
            do { try library.register(text, named: name) } catch { preconditionFailure("sjabloon \(name) is ongeldig: \(error)") }
        }
        return library
    }()

    /// A whole page: `naam`'s body inside the layout, with the menu of the signed-in medewerker.
    static func pagina(_ naam: String, titel: String, aangemeld: Paginas.Aangemeld?, _ context: [String: Any], live: Bool = false) -> String {
        var layout: [String: Any] = ["titel": titel, "inhoud": deel(naam, context), "live": live]
        if let aangemeld {
            let pad = aangemeld.request.uri.path
            var menu: [(String, String)] = [("/werkvoorraad", "Werkvoorraad")]
            if !aangemeld.rol.isAfdeling { menu.append(("/afsluitcontrole", "Afsluitcontrole")) }
            menu.append(("/kerncijfers", "Kerncijfers"))
            menu.append(("/knelpunten", "Knelpunten"))
            if aangemeld.rol.isToezicht { menu.append(("/logstatus", "Log")) }
            layout["aangemeld"] = [
                "naam": aangemeld.gebruiker.naam, "rol": aangemeld.gebruiker.rol, "csrf": aangemeld.sessie.csrf,
                "menu": menu.map { ["href": $0.0, "tekst": $0.1, "actief": pad == $0.0] },
            ] as [String: Any]
        }
        return deel("layout", layout)
    }

    /// A value for a section tag: Mustache renders a nil inside `Any` as the word "nil", so
    /// what is absent is `false`.
    static func ofNiets(_ value: (any Sendable)?) -> Any {
        value.map { $0 as Any } ?? false
    }

    /// One template on its own (a page's body, or the werkvoorraad's rows for the live update).
    static func deel(_ naam: String, _ context: [String: Any]) -> String {
        guard let html = bibliotheek.render(context, withTemplate: naam) else { preconditionFailure("sjabloon \(naam) bestaat niet") }
        return html
    }

    static let teksten: [String: String] = [
        "layout": """
            <!doctype html>
            <html lang="nl">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{titel}} · zaaklog</title>
            <link rel="stylesheet" href="/static/zaaklog.css">
            {{#live}}<script src="/static/zaaklog.js" defer></script>{{/live}}
            </head>
            <body>
            <a class="naar-inhoud" href="#inhoud">Naar de inhoud</a>
            <header class="kop">
            <p class="merk">zaaklog <span>backoffice</span></p>
            {{#aangemeld}}
            <nav aria-label="Hoofdmenu"><ul>
            {{#menu}}<li><a href="{{href}}"{{#actief}} aria-current="page"{{/actief}}>{{tekst}}</a></li>{{/menu}}
            </ul></nav>
            <div class="wie">
            <span id="medewerker">{{naam}}</span> <span class="rol">({{rol}})</span>
            <form id="afmelden" method="post" action="/afmelden"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">Afmelden</button></form>
            </div>
            {{/aangemeld}}
            </header>
            <main id="inhoud" tabindex="-1">
            {{{inhoud}}}
            </main>
            <footer class="voet"><p>Elke inzage van persoonsgegevens op deze pagina's wordt vastgelegd in het verwerkingenlog.</p></footer>
            </body>
            </html>
            """,

        "aanmelden": """
            <h1>Aanmelden</h1>
            <p>Meld u aan met het account dat beheer voor u heeft gemaakt.</p>
            {{#afgemeld}}<p id="melding" class="melding" role="status">U bent afgemeld.</p>{{/afgemeld}}
            {{#fout}}<p id="fout" class="fout" role="alert">{{fout}}</p>{{/fout}}
            <form id="aanmelden" class="formulier" method="post" action="/aanmelden">
            <input type="hidden" name="_csrf" value="{{csrf}}">
            <p><label for="naam">Naam</label>
            <input id="naam" name="naam" type="text" value="{{naam}}" autocomplete="username" required maxlength="64" autofocus></p>
            <p><label for="wachtwoord">Wachtwoord</label>
            <input id="wachtwoord" name="wachtwoord" type="password" autocomplete="current-password" required maxlength="200"></p>
            <p><button type="submit">Aanmelden</button></p>
            </form>
            """,

        "fout": """
            <h1>{{titel}}</h1>
            <p id="uitleg" class="fout">{{uitleg}}</p>
            <p class="klein">HTTP-status {{status}}.</p>
            <p><a href="/werkvoorraad">Naar de werkvoorraad</a></p>
            """,

        "werkvoorraad": """
            <h1>Werkvoorraad {{afdeling}}</h1>
            <p><span id="aantal">{{aantal}}</span> open doorverwijzing(en){{#gefilterd}} na filteren, van {{totaal}}{{/gefilterd}}, waarvan <span id="te-laat-aantal">{{teLaatAantal}}</span> over de termijn; de meest dringende eerst.</p>
            <form id="filters" class="filters" method="get" action="/werkvoorraad">
            {{#kiesAfdeling}}<p><label for="afdeling">Afdeling</label>
            <select id="afdeling" name="afdeling">{{#afdelingen}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{waarde}}</option>{{/afdelingen}}</select></p>{{/kiesAfdeling}}
            <p><label for="te-laat">Termijn</label>
            <select id="te-laat" name="te-laat"><option value="">alle</option><option value="ja"{{#teLaat}} selected{{/teLaat}}>alleen te laat</option></select></p>
            <p><label for="onderwerp">Onderwerp</label>
            <select id="onderwerp" name="onderwerp"><option value="">alle</option>{{#onderwerpen}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{waarde}}</option>{{/onderwerpen}}</select></p>
            <p><label for="kanaal">Kanaal</label>
            <select id="kanaal" name="kanaal"><option value="">alle</option>{{#kanalen}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{waarde}}</option>{{/kanalen}}</select></p>
            <p><button type="submit">Filter</button> <a href="/werkvoorraad">Filters wissen</a></p>
            </form>
            <p id="live-status" class="klein" aria-live="polite" data-live="{{live}}" data-rijen="{{rijenUrl}}">Deze lijst ververst vanzelf zodra een doorverwijzing binnenkomt of wordt beantwoord (met JavaScript).</p>
            <div class="tabel">
            <table id="werkvoorraad">
            <caption>Open doorverwijzingen van {{afdeling}}</caption>
            <thead><tr><th scope="col">Zaak</th><th scope="col">Termijn</th><th scope="col">Uiterlijk</th><th scope="col">Soort</th><th scope="col">Onderwerp</th><th scope="col">Kanaal</th><th scope="col">Wacht al</th><th scope="col">Omschrijving</th></tr></thead>
            {{> werkvoorraad-rijen}}
            </table>
            </div>
            """,

        "werkvoorraad-rijen": """
            <tbody id="werkvoorraad-rijen" data-aantal="{{aantal}}" data-te-laat="{{teLaatAantal}}">
            {{#rijen}}<tr data-zaak="{{zaak}}" data-doorverwijzing="{{doorverwijzing}}" class="{{urgentie}}">
            <td><a href="/zaak/{{zaak}}">{{zaak}}</a> <span class="klein">{{doorverwijzing}}</span></td>
            <td><span class="urgentie {{urgentie}}">{{termijn}}</span></td><td>{{uiterlijk}}</td><td>{{soort}}</td><td>{{onderwerp}}</td><td>{{kanaal}}</td><td>{{leeftijd}}</td><td>{{omschrijving}}</td>
            </tr>{{/rijen}}
            {{#leeg}}<tr><td colspan="8">Geen open doorverwijzingen.</td></tr>{{/leeg}}
            </tbody>
            """,

        "zaak": """
            <h1>Zaak {{zaak}}</h1>
            {{#vastgelegd}}<p id="melding" class="melding" role="status">Terugkoppeling vastgelegd.</p>{{/vastgelegd}}
            <dl class="feiten">
            <dt>Onderwerp</dt><dd>{{onderwerp}}</dd>
            <dt>Omschrijving</dt><dd>{{omschrijving}}</dd>
            <dt>Status</dt><dd>{{status}}</dd>
            <dt>Binnengekomen</dt><dd>{{geopend}} via {{kanaal}}</dd>
            <dt>Afdeling</dt><dd>{{afdeling}}</dd>
            <dt>Uiterlijk afgehandeld</dt><dd>{{uiterlijk}}</dd>
            <dt>Archief</dt><dd>{{archief}}</dd>
            </dl>
            <section id="oordeel" class="oordeel {{oordeelCode}}" aria-labelledby="oordeel-kop">
            <h2 id="oordeel-kop">Echt opgelost?</h2>
            <p><strong>{{oordeel}}</strong></p>
            {{#heeftRedenen}}<ul>{{#redenen}}<li>{{.}}</li>{{/redenen}}</ul>{{/heeftRedenen}}
            {{#heeftBevindingen}}<p>Sluiten als opgelost kan nog niet:</p><ul>{{#bevindingen}}<li>{{.}}</li>{{/bevindingen}}</ul>{{/heeftBevindingen}}
            <p>Volgende stap: {{volgendeStap}}</p>
            </section>
            <section aria-labelledby="doorverwijzingen-kop">
            <h2 id="doorverwijzingen-kop">Doorverwijzingen: KCC → afdeling → terugkoppeling → inwoner</h2>
            {{#heeftDoorverwijzingen}}
            <div class="tabel"><table id="doorverwijzingen">
            <caption>Elke overdracht met de wachttijd van elke stap</caption>
            <thead><tr><th scope="col">Doorverwijzing</th><th scope="col">Afdeling</th><th scope="col">Soort</th><th scope="col">KCC → afdeling</th><th scope="col">Afdeling → terugkoppeling</th><th scope="col">Terugkoppeling → inwoner</th><th scope="col">Uiterlijk</th><th scope="col">Uitkomst</th></tr></thead>
            <tbody>{{#doorverwijzingen}}<tr><td>{{doorverwijzing}}</td><td>{{afdeling}}</td><td>{{soort}}</td><td>{{kccNaarAfdeling}}</td><td>{{afdelingNaarTerugkoppeling}}</td><td>{{terugkoppelingNaarInwoner}}</td><td>{{uiterlijk}}{{#teLaat}} <span class="urgentie te-laat">{{teLaat}}</span>{{/teLaat}}</td><td>{{uitkomst}}</td></tr>{{/doorverwijzingen}}</tbody>
            </table></div>
            {{/heeftDoorverwijzingen}}
            {{^heeftDoorverwijzingen}}<p>Deze zaak is niet doorverwezen.</p>{{/heeftDoorverwijzingen}}
            </section>
            {{#formulier}}
            <section aria-labelledby="terugkoppeling-kop">
            <h2 id="terugkoppeling-kop">Terugkoppeling vastleggen</h2>
            {{#fout}}<p id="terugkoppeling-fout" class="fout" role="alert">{{fout}}</p>{{/fout}}
            <form id="terugkoppeling" class="formulier" method="post" action="/zaak/{{zaak}}/terugkoppeling">
            <input type="hidden" name="_csrf" value="{{aangemeldCsrf}}">
            <input type="hidden" name="versie" value="{{versie}}">
            <p><label for="doorverwijzing">Doorverwijzing</label>
            <select id="doorverwijzing" name="doorverwijzing">{{#open}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{tekst}}</option>{{/open}}</select></p>
            <p><label for="uitkomst">Uitkomst</label>
            <select id="uitkomst" name="uitkomst"{{#foutUitkomst}} aria-invalid="true" aria-describedby="uitkomst-fout"{{/foutUitkomst}}>{{#uitkomsten}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{waarde}}</option>{{/uitkomsten}}</select>
            {{#foutUitkomst}}<span id="uitkomst-fout" class="fout" role="alert">{{foutUitkomst}}</span>{{/foutUitkomst}}</p>
            <p><label for="doorgestuurd-naar">Doorgestuurd naar (alleen bij uitkomst doorgestuurd)</label>
            <select id="doorgestuurd-naar" name="doorgestuurdNaar"{{#foutDoorgestuurdNaar}} aria-invalid="true" aria-describedby="doorgestuurd-naar-fout"{{/foutDoorgestuurdNaar}}><option value="">geen</option>{{#afdelingen}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{waarde}}</option>{{/afdelingen}}</select>
            {{#foutDoorgestuurdNaar}}<span id="doorgestuurd-naar-fout" class="fout" role="alert">{{foutDoorgestuurdNaar}}</span>{{/foutDoorgestuurdNaar}}</p>
            <p><label for="toelichting">Toelichting voor het KCC en de inwoner</label>
            <textarea id="toelichting" name="toelichting" rows="4" maxlength="2000" required{{#foutToelichting}} aria-invalid="true" aria-describedby="toelichting-fout"{{/foutToelichting}}>{{toelichting}}</textarea>
            {{#foutToelichting}}<span id="toelichting-fout" class="fout" role="alert">{{foutToelichting}}</span>{{/foutToelichting}}</p>
            <p><button type="submit">Terugkoppeling vastleggen</button></p>
            </form>
            </section>
            {{/formulier}}
            <section aria-labelledby="tijdlijn-kop">
            <h2 id="tijdlijn-kop">Tijdlijn ({{aantalGebeurtenissen}} gebeurtenissen, uit het log)</h2>
            <ol id="tijdlijn" class="tijdlijn">
            {{#tijdlijn}}<li data-type="{{type}}"><p><time datetime="{{datetime}}">{{tijd}}</time> · {{wie}}{{#kanaal}} · {{kanaal}}{{/kanaal}} · <span class="type">{{type}}</span></p>
            <p>{{wat}}</p>{{#bladhash}}<p class="klein">Positie {{positie}}, bladhash <code class="bladhash">{{bladhash}}</code></p>{{/bladhash}}</li>{{/tijdlijn}}
            </ol>
            </section>
            """,

        "afsluitcontrole": """
            <h1>Afsluitcontrole</h1>
            <p>Is het probleem echt opgelost? Wat heropend werd, wat klaar is om te sluiten en wat over de termijn is.</p>
            <section id="niet-echt-opgelost" aria-labelledby="niet-echt-kop">
            <h2 id="niet-echt-kop">Niet echt opgelost ({{aantalNietEcht}})</h2>
            <div class="tabel"><table><caption>Gesloten als opgelost en daarna heropend door de controle</caption>
            <thead><tr><th scope="col">Zaak</th><th scope="col">Onderwerp</th><th scope="col">Afdeling</th><th scope="col">Gesloten</th><th scope="col">Heropend</th><th scope="col">Aanleiding</th><th scope="col">Reden</th><th scope="col">Status nu</th></tr></thead>
            <tbody>{{#nietEchtOpgelost}}<tr><td><a href="/zaak/{{zaak}}">{{zaak}}</a></td><td>{{onderwerp}}</td><td>{{afdeling}}</td><td>{{afgesloten}}</td><td>{{heropend}}</td><td>{{aanleiding}}</td><td>{{reden}}</td><td>{{status}}</td></tr>{{/nietEchtOpgelost}}
            {{^nietEchtOpgelost}}<tr><td colspan="8">Geen.</td></tr>{{/nietEchtOpgelost}}</tbody></table></div>
            </section>
            <section id="klaar-om-te-sluiten" aria-labelledby="klaar-kop">
            <h2 id="klaar-kop">Klaar om te sluiten ({{aantalKlaar}})</h2>
            <div class="tabel"><table><caption>Alle doorverwijzingen beantwoord; de inwoner kan worden geïnformeerd en de zaak gesloten</caption>
            <thead><tr><th scope="col">Zaak</th><th scope="col">Onderwerp</th><th scope="col">Afdeling</th><th scope="col">Laatste terugkoppeling</th></tr></thead>
            <tbody>{{#klaarOmTeSluiten}}<tr><td><a href="/zaak/{{zaak}}">{{zaak}}</a></td><td>{{onderwerp}}</td><td>{{afdeling}}</td><td>{{terugkoppeling}}</td></tr>{{/klaarOmTeSluiten}}
            {{^klaarOmTeSluiten}}<tr><td colspan="4">Geen.</td></tr>{{/klaarOmTeSluiten}}</tbody></table></div>
            </section>
            <section id="over-de-termijn" aria-labelledby="termijn-kop">
            <h2 id="termijn-kop">Over de termijn ({{aantalVerlopen}})</h2>
            <div class="tabel"><table><caption>Open doorverwijzingen na hun uiterste datum</caption>
            <thead><tr><th scope="col">Zaak</th><th scope="col">Doorverwijzing</th><th scope="col">Afdeling</th><th scope="col">Soort</th><th scope="col">Uiterlijk</th><th scope="col">Werkdagen te laat</th></tr></thead>
            <tbody>{{#termijnVerlopen}}<tr><td><a href="/zaak/{{zaak}}">{{zaak}}</a></td><td>{{doorverwijzing}}</td><td>{{afdeling}}</td><td>{{soort}}</td><td>{{uiterlijk}}</td><td>{{teLaat}}</td></tr>{{/termijnVerlopen}}
            {{^termijnVerlopen}}<tr><td colspan="6">Geen.</td></tr>{{/termijnVerlopen}}</tbody></table></div>
            </section>
            """,

        "kerncijfers": """
            <h1>Kerncijfers</h1>
            <form id="periode" class="filters" method="get" action="/kerncijfers">
            <p><label for="van">Van</label> <input id="van" name="van" type="date" value="{{van}}"></p>
            <p><label for="tot">Tot en met</label> <input id="tot" name="tot" type="date" value="{{tot}}"></p>
            <p><button type="submit">Toon</button></p>
            </form>
            <div class="tabel"><table id="kpi">
            <caption>Kerncijfers van {{vanTekst}} tot en met {{totTekst}}, per kanaal (definities: docs/projections.md)</caption>
            <thead><tr><th scope="col">Kanaal</th><th scope="col">Zaken</th><th scope="col">Direct afgehandeld</th><th scope="col">Doorverbonden</th><th scope="col">Terugbelverzoek</th><th scope="col">Echt opgelost</th><th scope="col">Binnen termijn</th><th scope="col">WhatsApp binnen het uur</th><th scope="col">Mediane doorlooptijd</th></tr></thead>
            <tbody>{{#rijen}}<tr><th scope="row">{{groep}}</th><td>{{zaken}}</td><td>{{direct}}</td><td>{{doorverbonden}}</td><td>{{terugbel}}</td><td>{{echtOpgelost}}</td><td>{{binnenTermijn}}</td><td>{{whatsapp}}</td><td>{{doorlooptijd}}</td></tr>{{/rijen}}</tbody>
            </table></div>
            <div class="grafieken">
            {{#grafieken}}
            <figure id="{{id}}" class="grafiek">
            <figcaption id="{{id}}-titel">{{titel}}</figcaption>
            {{{svg}}}
            <details><summary>De cijfers als tabel</summary>
            <table><caption>{{titel}}</caption><thead><tr><th scope="col">Groep</th><th scope="col">Waarde</th></tr></thead>
            <tbody>{{#rijen}}<tr><th scope="row">{{label}}</th><td>{{waarde}}</td></tr>{{/rijen}}</tbody></table>
            </details>
            </figure>
            {{/grafieken}}
            </div>
            """,

        "knelpunten": """
            <h1>Knelpunten: waar zaken wachten</h1>
            <form id="periode" class="filters" method="get" action="/knelpunten">
            <p><label for="van">Van</label> <input id="van" name="van" type="date" value="{{van}}"></p>
            <p><label for="tot">Tot en met</label> <input id="tot" name="tot" type="date" value="{{tot}}"></p>
            <p><label for="per">Per</label> <select id="per" name="per">{{#indelingen}}<option value="{{waarde}}"{{#gekozen}} selected{{/gekozen}}>{{waarde}}</option>{{/indelingen}}</select></p>
            <p><button type="submit">Toon</button></p>
            </form>
            <p>De mediane wachttijd van elke schakel in kantooruren (werkdagen 08:00–17:00), voor wachttijden die begonnen van {{vanTekst}} tot en met {{totTekst}}. Elke cel vergelijkt met dezelfde schakel voor alle samen (de eerste rij): <span class="niveau-1 legenda">sneller</span> (onder 0,8×), <span class="niveau-2 legenda">gelijk</span>, <span class="niveau-3 legenda">trager</span> (vanaf 1,25×), <span class="niveau-4 legenda">≥ 2× trager</span>.</p>
            <div class="tabel"><table id="knelpunten" class="warmtekaart">
            <caption>Mediane wachttijd per schakel en per {{indeling}}</caption>
            <thead><tr><th scope="col">{{indeling}}</th>{{#hops}}<th scope="col">{{.}}</th>{{/hops}}</tr></thead>
            <tbody>
            <tr class="alle"><th scope="row">alle</th>{{#alle}}<td class="niveau-{{niveau}}">{{tekst}} <span class="klein">{{aantal}}</span></td>{{/alle}}</tr>
            {{#groepen}}<tr><th scope="row">{{groep}}</th>{{#cellen}}<td class="niveau-{{niveau}}">{{tekst}} <span class="klein">{{#vergelijking}}{{vergelijking}} · {{/vergelijking}}{{aantal}}</span></td>{{/cellen}}</tr>{{/groepen}}
            </tbody></table></div>
            <p class="klein">Dezelfde cijfers als <code>zaak knelpunten --per {{indeling}}</code>; gelezen uit het log zelf.</p>
            """,

        "logstatus": """
            <h1>Status van het log</h1>
            <dl class="feiten" id="log">
            <dt>Laatste positie in het log</dt><dd id="laatste">{{laatste}}</dd>
            <dt>Leesmodellen bijgewerkt tot</dt><dd id="geprojecteerd">{{geprojecteerd}} ({{achter}} achter)</dd>
            </dl>
            <section id="checkpoint" aria-labelledby="checkpoint-kop">
            <h2 id="checkpoint-kop">Laatste ondertekende checkpoint</h2>
            {{#checkpoint}}
            <dl class="feiten">
            <dt>Gebeurtenissen gedekt</dt><dd>{{grootte}} ({{nietGedekt}} erna nog niet)</dd>
            <dt>Merkle-wortel</dt><dd><code>{{wortel}}</code></dd>
            <dt>Vastgelegd</dt><dd>{{tijd}}</dd>
            <dt>Sleutel</dt><dd><code>{{sleutel}}</code></dd>
            <dt>Handtekening (Ed25519)</dt><dd><code class="lang">{{handtekening}}</code></dd>
            </dl>
            <p>Controleer buiten deze installatie met <code>zaak audit</code> of <code>tools/zaaklog-verify.py</code> (docs/audit.md).</p>
            {{/checkpoint}}
            {{^checkpoint}}<p>Het log heeft nog geen checkpoint.</p>{{/checkpoint}}
            </section>
            """,
    ]
}
