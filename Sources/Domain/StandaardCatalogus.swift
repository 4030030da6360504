extension Catalogus {
    /// The default catalogue, used when a municipality has configured none.
    public static let standaard: Catalogus = {
        do {
            return try Catalogus(json: Array(standaardJSON.utf8))
        } catch {
            fatalError("de standaardcatalogus is ongeldig: \(error)")
        }
    }()

    /// The single source of the default catalogue (`zaak catalogus toon` prints it as is; it
    /// validates against schemas/catalogus.schema.json). A mid-size municipality of ~100,000
    /// inhabitants, after the KCCs of Groningen, Utrecht and Assen in the seeds. Afval is part of
    /// Stadsbeheer, as in Groningen. Termijnen follow the law where one applies (Awb 8 weeks for a
    /// beschikking = 40 werkdagen, Wmo onderzoek 6 weeks = 30, Wgs first talk within 3 werkdagen on
    /// a threat of eviction or cut-off, else 4 weeks = 20; Awb klacht 6 weeks = 30), else common
    /// service norms. Bewaartermijnen are for the zaak as a contact history, in the spirit of the
    /// Selectielijst gemeenten: meldingen 2 years, fiscal and income matters 7 (fiscal retention
    /// duty), Jeugdwet 20; bouw, monument and naturalisatie dossiers are kept permanently.
    public static let standaardJSON = #"""
    {
      "gemeente": "Gemeente Voorbeeldstad",
      "versie": "2026.1",
      "afdelingen": [
        {
          "naam": "KCC",
          "omschrijving": "Klantcontactcentrum: telefoon (14 + netnummer), balie, WhatsApp, e-mail en sociale media; beantwoordt algemene vragen zelf en verbindt warm door"
        },
        {
          "naam": "Stadsbeheer",
          "omschrijving": "Beheer van de openbare ruimte (bestrating, straatverlichting, groen, zwerfafval) en de inzameling van huishoudelijk afval"
        },
        {
          "naam": "Parkeren",
          "omschrijving": "Parkeervergunningen, bezoekersregeling, gehandicaptenparkeren en bezwaar tegen naheffingsaanslagen"
        },
        {
          "naam": "Burgerzaken",
          "omschrijving": "Paspoorten, identiteitskaarten, rijbewijzen, de BRP (verhuizingen, uittreksels) en naturalisatie"
        },
        {
          "naam": "Werk en Inkomen",
          "omschrijving": "Bijstand volgens de Participatiewet, bijzondere bijstand, minimaregelingen en begeleiding naar werk"
        },
        {
          "naam": "Kredietbank",
          "omschrijving": "Gemeentelijke kredietbank: schuldhulpverlening (Wet gemeentelijke schuldhulpverlening), budgetbeheer en saneringskredieten"
        },
        {
          "naam": "Handhaving",
          "omschrijving": "Boa's en toezichthouders: overlast, fietsen, parkeren en bouwen zonder vergunning"
        },
        {
          "naam": "Belastingen",
          "omschrijving": "Gemeentelijke belastingen en de WOZ: aanslagen, bezwaar, betalingsregelingen en kwijtschelding"
        },
        {
          "naam": "Zorg en Welzijn",
          "omschrijving": "Wmo-voorzieningen en de wijkteams voor zorg, welzijn en mantelzorg"
        },
        {
          "naam": "Jeugd en Onderwijs",
          "omschrijving": "Jeugdhulp volgens de Jeugdwet, leerplicht en leerlingenvervoer"
        },
        {
          "naam": "Vergunningen",
          "omschrijving": "Omgevingsvergunningen (bouwen, monumenten) en evenementenvergunningen"
        }
      ],
      "onderwerpen": [
        {
          "code": "kcc.algemene-vraag",
          "omschrijving": "Algemene vraag of vraag voor een andere overheid, door het KCC beantwoord of warm doorverbonden",
          "afdeling": "KCC",
          "afhandeltermijnWerkdagen": 1,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 1,
          "zoektermen": ["vraag", "informatie", "openingstijden", "afspraak", "andere gemeente", "buurgemeente", "uwv", "svb", "belastingdienst", "provincie", "waterschap"]
        },
        {
          "code": "kcc.klacht",
          "omschrijving": "Klacht over de behandeling door de gemeente of een medewerker",
          "afdeling": "KCC",
          "afhandeltermijnWerkdagen": 30,
          "heropenvensterDagen": 42,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["klacht", "ontevreden", "klachtencoördinator", "onheus", "ombudsman"]
        },
        {
          "code": "afval.container-niet-geleegd",
          "omschrijving": "Container niet geleegd op de ophaaldag (minicontainer of ondergrondse container)",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 2,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 2,
          "zoektermen": ["container", "kliko", "minicontainer", "ondergrondse container", "gft", "restafval", "papier", "pmd", "ophaaldag", "niet geleegd"]
        },
        {
          "code": "afval.container-kapot",
          "omschrijving": "Minicontainer kapot of gestolen, of een extra container aanvragen",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 10,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 2,
          "zoektermen": ["kliko", "container", "deksel", "wiel", "kapot", "gestolen", "extra container", "afvalpas"]
        },
        {
          "code": "afval.grofvuil",
          "omschrijving": "Grofvuil laten ophalen",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 1,
          "zoektermen": ["grofvuil", "grof afval", "bank", "matras", "ophalen", "milieustraat"]
        },
        {
          "code": "openbare-ruimte.stoeptegel",
          "omschrijving": "Losliggende of uitstekende stoeptegel, verzakte bestrating",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 2,
          "zoektermen": ["tegel", "stoep", "trottoir", "bestrating", "verzakking", "gat in de weg", "struikelen"]
        },
        {
          "code": "openbare-ruimte.lantaarnpaal",
          "omschrijving": "Lantaarnpaal defect of beschadigd",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 10,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 2,
          "zoektermen": ["straatverlichting", "lantaarn", "lamp", "licht", "paal", "donker", "kapot", "defect"]
        },
        {
          "code": "openbare-ruimte.zwerfafval",
          "omschrijving": "Zwerfafval, gedumpt afval of een volle afvalbak op straat",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 3,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 2,
          "zoektermen": ["zwerfvuil", "afvalbak", "prullenbak", "dumping", "gedumpt", "bijplaatsing", "rommel"]
        },
        {
          "code": "openbare-ruimte.groen",
          "omschrijving": "Groenonderhoud: maaien, snoeien, onkruid of een gevaarlijke boom",
          "afdeling": "Stadsbeheer",
          "afhandeltermijnWerkdagen": 10,
          "heropenvensterDagen": 21,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 2,
          "zoektermen": ["maaien", "gras", "boom", "tak", "snoeien", "onkruid", "struik", "plantsoen", "heg"]
        },
        {
          "code": "parkeren.vergunning",
          "omschrijving": "Parkeervergunning of bezoekersregeling aanvragen, wijzigen of opzeggen",
          "afdeling": "Parkeren",
          "afhandeltermijnWerkdagen": 10,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["parkeervergunning", "bewonersvergunning", "bezoekersvergunning", "bezoekersregeling", "kenteken", "parkeertegoed", "parkeerapp"]
        },
        {
          "code": "parkeren.naheffing",
          "omschrijving": "Bezwaar tegen een naheffingsaanslag parkeerbelasting",
          "afdeling": "Parkeren",
          "afhandeltermijnWerkdagen": 30,
          "heropenvensterDagen": 42,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["parkeerboete", "parkeerbon", "bon", "boete", "naheffing", "bezwaar"]
        },
        {
          "code": "parkeren.gehandicaptenparkeren",
          "omschrijving": "Gehandicaptenparkeerkaart of gehandicaptenparkeerplaats aanvragen",
          "afdeling": "Parkeren",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["gpk", "gehandicaptenparkeerkaart", "invalidenparkeerplaats", "gehandicaptenparkeerplaats", "parkeerkaart", "beperking"]
        },
        {
          "code": "burgerzaken.id-bewijs",
          "omschrijving": "Paspoort of identiteitskaart aanvragen, ophalen of als vermist opgeven",
          "afdeling": "Burgerzaken",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["paspoort", "identiteitskaart", "id-kaart", "reisdocument", "vermist", "kwijt", "gestolen", "ophalen"]
        },
        {
          "code": "burgerzaken.rijbewijs",
          "omschrijving": "Rijbewijs aanvragen, verlengen of als vermist opgeven",
          "afdeling": "Burgerzaken",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["rijbewijs", "verlengen", "vermist", "kwijt", "gezondheidsverklaring"]
        },
        {
          "code": "burgerzaken.verhuizing",
          "omschrijving": "Verhuizing doorgeven, inschrijven of een briefadres aanvragen",
          "afdeling": "Burgerzaken",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["verhuizen", "verhuizing", "adres", "adreswijziging", "inschrijven", "uitschrijven", "briefadres", "brp"]
        },
        {
          "code": "burgerzaken.uittreksel",
          "omschrijving": "Uittreksel uit de BRP of een akte van de burgerlijke stand aanvragen",
          "afdeling": "Burgerzaken",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 1,
          "zoektermen": ["uittreksel", "akte", "geboorteakte", "huwelijksakte", "brp", "bewijs van inschrijving"]
        },
        {
          "code": "burgerzaken.naturalisatie",
          "omschrijving": "Naturalisatie of optie voor het Nederlanderschap",
          "afdeling": "Burgerzaken",
          "afhandeltermijnWerkdagen": 20,
          "heropenvensterDagen": 30,
          "archiefnominatie": "blijvend_bewaren",
          "zoektermen": ["naturalisatie", "nederlanderschap", "optie", "inburgering", "naturalisatieceremonie"]
        },
        {
          "code": "werk-en-inkomen.uitkering",
          "omschrijving": "Vraag over een lopende bijstandsuitkering",
          "afdeling": "Werk en Inkomen",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["bijstand", "uitkering", "participatiewet", "uitbetaling", "betaaldatum", "inkomstenformulier", "werk"]
        },
        {
          "code": "werk-en-inkomen.aanvraag-bijstand",
          "omschrijving": "Bijstandsuitkering aanvragen",
          "afdeling": "Werk en Inkomen",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["bijstand", "uitkering aanvragen", "geen inkomen", "participatiewet", "voorschot"]
        },
        {
          "code": "werk-en-inkomen.minimaregeling",
          "omschrijving": "Bijzondere bijstand, individuele inkomenstoeslag of een andere minimaregeling",
          "afdeling": "Werk en Inkomen",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["bijzondere bijstand", "toeslag", "inkomenstoeslag", "energietoeslag", "verwarmingstoeslag", "chronisch zieken", "minima", "meedoen"]
        },
        {
          "code": "kredietbank.schuldhulp",
          "omschrijving": "Hulp bij schulden: schuldhulpverlening of budgetbeheer",
          "afdeling": "Kredietbank",
          "afhandeltermijnWerkdagen": 20,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["schulden", "schuld", "deurwaarder", "betalingsachterstand", "budgetbeheer", "schuldsanering", "huurachterstand", "leefgeld"]
        },
        {
          "code": "kredietbank.spoed",
          "omschrijving": "Dreigende huisuitzetting of afsluiting van energie of water door schulden",
          "afdeling": "Kredietbank",
          "afhandeltermijnWerkdagen": 3,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["huisuitzetting", "ontruiming", "afsluiting", "energie", "stroom", "gas", "water", "spoed"]
        },
        {
          "code": "handhaving.overlast",
          "omschrijving": "Overlast: geluid, hondenpoep, foutparkeren of overlast van personen",
          "afdeling": "Handhaving",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["overlast", "geluid", "lawaai", "hondenpoep", "foutparkeren", "fout geparkeerd", "buren", "jongeren", "boa", "handhaver"]
        },
        {
          "code": "handhaving.fietswrak",
          "omschrijving": "Fietswrak of verkeerd gestalde fiets",
          "afdeling": "Handhaving",
          "afhandeltermijnWerkdagen": 10,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 1,
          "zoektermen": ["fiets", "fietswrak", "weesfiets", "fietsdepot", "weggehaald", "fietsenrek"]
        },
        {
          "code": "handhaving.illegale-bouw",
          "omschrijving": "Bouwen zonder vergunning of strijdig gebruik van een pand",
          "afdeling": "Handhaving",
          "afhandeltermijnWerkdagen": 20,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 10,
          "zoektermen": ["zonder vergunning", "illegaal", "bouwen", "verbouwing", "dakkapel", "schuur", "kamerverhuur", "handhavingsverzoek"]
        },
        {
          "code": "belastingen.ozb",
          "omschrijving": "Vraag over de aanslag gemeentelijke belastingen (OZB, afvalstoffenheffing, rioolheffing)",
          "afdeling": "Belastingen",
          "afhandeltermijnWerkdagen": 10,
          "heropenvensterDagen": 14,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["aanslag", "ozb", "onroerendezaakbelasting", "afvalstoffenheffing", "rioolheffing", "betalen", "termijnen", "incasso"]
        },
        {
          "code": "belastingen.woz-bezwaar",
          "omschrijving": "Bezwaar tegen de WOZ-waarde",
          "afdeling": "Belastingen",
          "afhandeltermijnWerkdagen": 60,
          "heropenvensterDagen": 42,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["woz", "woz-waarde", "bezwaar", "taxatie", "taxatieverslag", "waarde woning"]
        },
        {
          "code": "belastingen.kwijtschelding",
          "omschrijving": "Kwijtschelding van gemeentelijke belastingen aanvragen",
          "afdeling": "Belastingen",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 7,
          "zoektermen": ["kwijtschelding", "niet kunnen betalen", "laag inkomen", "betalingsregeling"]
        },
        {
          "code": "wmo.hulpmiddel",
          "omschrijving": "Wmo-voorziening: hulpmiddel, woningaanpassing, vervoer of huishoudelijke hulp",
          "afdeling": "Zorg en Welzijn",
          "afhandeltermijnWerkdagen": 30,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 10,
          "zoektermen": ["wmo", "rolstoel", "scootmobiel", "traplift", "huishoudelijke hulp", "woningaanpassing", "hulpmiddel", "regiotaxi", "vervoer"]
        },
        {
          "code": "wmo.wijkteam",
          "omschrijving": "Hulpvraag aan het wijkteam: zorg, welzijn, eenzaamheid of mantelzorg",
          "afdeling": "Zorg en Welzijn",
          "afhandeltermijnWerkdagen": 5,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["wijkteam", "mantelzorg", "mantelzorger", "eenzaam", "eenzaamheid", "zorg", "welzijn", "dagbesteding"]
        },
        {
          "code": "jeugd.jeugdhulp",
          "omschrijving": "Jeugdhulp aanvragen of een vraag over lopende jeugdhulp",
          "afdeling": "Jeugd en Onderwijs",
          "afhandeltermijnWerkdagen": 30,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 20,
          "zoektermen": ["jeugdhulp", "jeugdzorg", "kind", "opvoeding", "opvoedondersteuning", "jongere", "pgb"]
        },
        {
          "code": "onderwijs.leerlingenvervoer",
          "omschrijving": "Leerlingenvervoer aanvragen of wijzigen",
          "afdeling": "Jeugd en Onderwijs",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["leerlingenvervoer", "schoolvervoer", "taxi", "taxibus", "speciaal onderwijs", "school"]
        },
        {
          "code": "vergunningen.omgevingsvergunning",
          "omschrijving": "Omgevingsvergunning voor bouwen of verbouwen",
          "afdeling": "Vergunningen",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "blijvend_bewaren",
          "zoektermen": ["bouwvergunning", "omgevingsvergunning", "bouwen", "verbouwen", "aanbouw", "dakkapel", "omgevingsloket", "vergunningcheck"]
        },
        {
          "code": "vergunningen.monument",
          "omschrijving": "Vergunning voor werkzaamheden aan een monument",
          "afdeling": "Vergunningen",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "blijvend_bewaren",
          "zoektermen": ["monument", "rijksmonument", "gemeentelijk monument", "restauratie", "beschermd stadsgezicht"]
        },
        {
          "code": "vergunningen.evenement",
          "omschrijving": "Evenementenvergunning aanvragen of een klein evenement melden",
          "afdeling": "Vergunningen",
          "afhandeltermijnWerkdagen": 40,
          "heropenvensterDagen": 30,
          "archiefnominatie": "vernietigen",
          "bewaartermijnJaren": 5,
          "zoektermen": ["evenement", "evenementenvergunning", "buurtfeest", "straatfeest", "braderie", "festival", "markt"]
        }
      ]
    }
    """#
}
