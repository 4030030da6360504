/// The pages' style sheet and their one script, served from the binary.
enum Statisch {
    /// Plain CSS; colours meet WCAG 2.1 AA contrast on white (4.5:1 for text), and urgency is
    /// also said in words, never by colour alone.
    static let css = """
        :root { --tekst: #1b1b1b; --rand: #6b6b6b; --accent: #01689b; --accent-donker: #004b72; --achter: #f3f3f3;
                --rood: #a3121b; --rood-achter: #fde8e9; --oranje: #7a4100; --oranje-achter: #fff1dc; --groen: #22602b; --groen-achter: #e6f4e8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--tekst); background: #fff; }
        a { color: var(--accent-donker); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus, main:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
        .naar-inhoud { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
        .naar-inhoud:focus { left: 1rem; }
        .kop { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2rem; padding: .75rem 1.5rem; background: var(--accent-donker); color: #fff; }
        .kop a, .kop .merk { color: #fff; }
        .merk { margin: 0; font-weight: 700; font-size: 1.2rem; }
        .merk span { font-weight: 400; }
        .kop nav ul { display: flex; gap: 1.25rem; margin: 0; padding: 0; list-style: none; }
        .kop nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
        .wie { margin-left: auto; display: flex; align-items: center; gap: .75rem; }
        .wie form { margin: 0; }
        .wie button { background: #fff; color: var(--accent-donker); }
        main { padding: 1rem 1.5rem 2rem; max-width: 90rem; }
        h1 { font-size: 1.8rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.3rem; margin: 1.75rem 0 .5rem; }
        .voet { padding: 1rem 1.5rem; border-top: 1px solid #ccc; color: #4a4a4a; font-size: .9rem; }
        .klein { font-size: .875rem; color: #4a4a4a; }
        button { font: inherit; padding: .45rem 1rem; border: 2px solid var(--accent-donker); border-radius: 4px; background: var(--accent-donker); color: #fff; cursor: pointer; }
        input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid var(--rand); border-radius: 3px; max-width: 100%; }
        label { display: block; font-weight: 600; margin-bottom: .2rem; }
        .formulier { max-width: 40rem; }
        .formulier textarea { width: 100%; }
        .filters { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; align-items: flex-end; }
        .filters p { margin: .25rem 0; }
        .fout { color: var(--rood); font-weight: 600; }
        span.fout { display: block; margin-top: .25rem; }
        p.fout[role="alert"] { background: var(--rood-achter); padding: .5rem .75rem; border-left: 4px solid var(--rood); }
        .melding { background: var(--groen-achter); color: var(--groen); padding: .5rem .75rem; border-left: 4px solid var(--groen); font-weight: 600; }
        .tabel { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid #d0d0d0; }
        thead th { background: var(--achter); border-bottom: 2px solid var(--rand); }
        .urgentie { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-weight: 600; white-space: nowrap; }
        .urgentie.te-laat { background: var(--rood-achter); color: var(--rood); }
        .urgentie.bijna { background: var(--oranje-achter); color: var(--oranje); }
        .urgentie.op-tijd { background: var(--groen-achter); color: var(--groen); }
        tr.te-laat td:first-child { border-left: 4px solid var(--rood); }
        tr.bijna td:first-child { border-left: 4px solid #b36200; }
        .feiten { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        .feiten dt { font-weight: 600; }
        .feiten dd { margin: 0; }
        .oordeel { border-left: 6px solid var(--rand); padding: .25rem 1rem; background: var(--achter); margin-top: 1.5rem; }
        .oordeel.echt-opgelost { border-color: var(--groen); }
        .oordeel.gesloten-niet-opgelost, .oordeel.open { border-color: #b36200; }
        .tijdlijn { padding-left: 1.25rem; }
        .tijdlijn li { margin-bottom: .75rem; }
        .tijdlijn li p { margin: 0; }
        .type { font-weight: 600; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; word-break: break-all; }
        .warmtekaart td { white-space: nowrap; }
        .warmtekaart td .klein { display: block; color: inherit; }
        .warmtekaart tr.alle th, .warmtekaart tr.alle td { font-weight: 600; border-bottom: 2px solid var(--rand); }
        .legenda { padding: 0 .35rem; border-radius: 3px; }
        .niveau-1 { background: #e6f4e8; }
        .niveau-2 { background: #f3f3f3; }
        .niveau-3 { background: #fde2c4; }
        .niveau-4 { background: #a3121b; color: #fff; }
        .grafieken { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1.5rem; }
        .grafiek { margin: 0; }
        .grafiek figcaption { font-weight: 600; margin-bottom: .25rem; }
        svg .label { fill: #333; font-size: 15px; }
        svg .klein { font-size: 13px; }
        svg .waarde { fill: #1b1b1b; font-size: 14px; font-weight: 600; }
        svg .staaf { fill: var(--accent); }
        svg .raster { stroke: #c8c8c8; stroke-width: 1; }
        svg .lijn { fill: none; stroke: var(--accent); stroke-width: 2.5; }
        svg .punt { fill: var(--accent-donker); }
        """

    /// Makes the werkvoorraad live: on each event of the feed that changes a queue, the rows are
    /// fetched again (a burst of events gives one fetch). Without JavaScript the page still works.
    static let js = """
        "use strict";
        (function () {
          var status = document.getElementById("live-status");
          if (!status || !window.EventSource || !window.fetch) { return; }
          var bezig = false, opnieuw = false, gepland = null;
          function ververs() {
            gepland = null;
            if (bezig) { opnieuw = true; return; }
            bezig = true;
            fetch(status.getAttribute("data-rijen"), { credentials: "same-origin" })
              .then(function (antwoord) {
                if (antwoord.redirected || !antwoord.ok) { throw new Error("status " + antwoord.status); }
                return antwoord.text();
              })
              .then(function (html) {
                var sjabloon = document.createElement("template");
                sjabloon.innerHTML = "<table>" + html + "</table>";
                var nieuw = sjabloon.content.querySelector("tbody");
                var oud = document.getElementById("werkvoorraad-rijen");
                if (nieuw && oud) {
                  oud.replaceWith(nieuw);
                  document.getElementById("aantal").textContent = nieuw.getAttribute("data-aantal");
                  document.getElementById("te-laat-aantal").textContent = nieuw.getAttribute("data-te-laat");
                  status.textContent = "Bijgewerkt om " + new Date().toLocaleTimeString("nl-NL") + ".";
                }
              })
              .catch(function () { status.textContent = "Bijwerken lukte niet; ververs de pagina."; })
              .then(function () { bezig = false; if (opnieuw) { opnieuw = false; ververs(); } });
          }
          function plan() { if (!gepland) { gepland = setTimeout(ververs, 250); } }
          var url = status.getAttribute("data-live");
          var stroom = new EventSource(url);
          var types = new URLSearchParams(url.split("?")[1] || "").get("type") || "";
          types.split(",").forEach(function (type) { if (type) { stroom.addEventListener(type, plan); } });
          stroom.onopen = function () { status.textContent = "Live: deze lijst ververst vanzelf."; };
          stroom.onerror = function () { status.textContent = "Live-verbinding onderbroken; opnieuw verbinden…"; };
        })();
        """
}
