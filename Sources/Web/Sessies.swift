import Crypto
import EventLog
import Server
import Synchronization

/// The signed-in medewerkers, in the server's memory: a restart signs everyone out. The cookie
/// holds a random secret; only its SHA-256 is a key here, so a memory dump holds no cookie.
/// Time is elapsed time (`ContinuousClock`), not the program's clock: a set `ZAAK_NU` stands still.
final class Sessies: Sendable {
    struct Sessie: Sendable {
        /// The account's id: its name and role are read from the account on each request.
        let gebruiker: String
        /// Sent back in every form; a POST without it is refused (CSRF).
        let csrf: String
        let begonnen: ContinuousClock.Instant
        var laatst: ContinuousClock.Instant
    }

    enum Uitkomst: Sendable {
        case geldig(Sessie)
        case verlopen
        case onbekend
    }

    /// A session ends this long after its last request.
    let inactief: Duration
    /// And at the latest this long after signing in, however busy.
    let maximaal: Duration
    private let sessies = Mutex<[String: Sessie]>([:])

    init(inactief: Duration, maximaal: Duration = .seconds(12 * 3600)) {
        self.inactief = inactief
        self.maximaal = maximaal
    }

    /// A new session; returns the cookie's secret.
    func begin(_ gebruiker: Gebruiker) -> String {
        let secret = geheim()
        let now = ContinuousClock.now
        let sessie = Sessie(gebruiker: gebruiker.id, csrf: geheim(), begonnen: now, laatst: now)
        sessies.withLock { all in
            all = all.filter { !isVerlopen($0.value, now) }
            all[Self.sleutel(secret)] = sessie
        }
        return secret
    }

    /// The session of this cookie secret, kept alive by this request.
    func zoek(_ secret: String) -> Uitkomst {
        let key = Self.sleutel(secret)
        let now = ContinuousClock.now
        return sessies.withLock { all in
            guard var sessie = all[key] else { return .onbekend }
            if isVerlopen(sessie, now) {
                all[key] = nil
                return .verlopen
            }
            sessie.laatst = now
            all[key] = sessie
            return .geldig(sessie)
        }
    }

    /// Whether the session still stands, without counting as a request (the live feed asks).
    func isGeldig(_ secret: String) -> Bool {
        let now = ContinuousClock.now
        return sessies.withLock { all in all[Self.sleutel(secret)].map { !isVerlopen($0, now) } ?? false }
    }

    func beeindig(_ secret: String) {
        _ = sessies.withLock { $0.removeValue(forKey: Self.sleutel(secret)) }
    }

    private func isVerlopen(_ sessie: Sessie, _ now: ContinuousClock.Instant) -> Bool {
        now - sessie.laatst > inactief || now - sessie.begonnen > maximaal
    }

    private static func sleutel(_ secret: String) -> String {
        HexBytes.encode(Array(SHA256.hash(data: Array(secret.utf8))))
    }
}

/// Failed sign-ins per account name: after `maximum` within `venster` the name is refused until
/// the oldest of them is that old, whatever the password (a correct one too).
final class Aanmeldpogingen: Sendable {
    let maximum: Int
    let venster: Duration
    private let mislukt = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(maximum: Int = 5, venster: Duration = .seconds(15 * 60)) {
        self.maximum = maximum
        self.venster = venster
    }

    func isGeblokkeerd(_ naam: String) -> Bool {
        let now = ContinuousClock.now
        return mislukt.withLock { all in
            let recent = (all[naam.lowercased()] ?? []).filter { now - $0 < venster }
            all[naam.lowercased()] = recent.isEmpty ? nil : recent
            return recent.count >= maximum
        }
    }

    func registreerMislukt(_ naam: String) {
        let now = ContinuousClock.now
        mislukt.withLock { all in
            // Guesses at many names must not grow this without bound: forget what is out of the window.
            if all.count > 10_000 { all = all.filter { now - ($0.value.last ?? now) < venster } }
            all[naam.lowercased(), default: []].append(now)
        }
    }

    func registreerGelukt(_ naam: String) {
        _ = mislukt.withLock { $0.removeValue(forKey: naam.lowercased()) }
    }
}
