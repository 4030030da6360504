import SQLite

/// Where the log found bytes it cannot trust: enough for an operator to find them with a hex editor.
public struct DamageLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let offset: Int64
    /// The first position that cannot be read because of the damage.
    public let position: Int64
    public let reason: String

    public init(file: String, offset: Int64, position: Int64, reason: String) {
        self.file = file
        self.offset = offset
        self.position = position
        self.reason = reason
    }

    public var description: String {
        "\(file) op byte \(offset) (positie \(position)): \(reason)"
    }
}

/// Why a conditional append was refused: the zaak's last event is not where the caller expected.
public struct StreamConflict: Sendable, Equatable, CustomStringConvertible {
    public let zaak: String
    public let expectedLastPosition: Int64
    /// 0 when the zaak has no events.
    public let actualLastPosition: Int64

    public var description: String {
        let actual = actualLastPosition == 0 ? "nog geen gebeurtenissen" : "laatste gebeurtenis op positie \(actualLastPosition)"
        let expected = expectedLastPosition == 0 ? "verwacht nog geen gebeurtenissen" : "verwacht \(expectedLastPosition)"
        // An expectation past the actual last event is a wrong position, not someone else's change.
        let what = actualLastPosition > expectedLastPosition ? "is intussen gewijzigd" : "is niet zoals verwacht"
        return "zaak \(zaak) \(what): \(actual), \(expected)"
    }
}

/// Every failure of the log, with a class the CLI maps to an exit code and a Dutch message for people.
public struct LogError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The caller handed over an event the log will not write (bad JSON, bad id, too large).
        case invalidRecord
        /// Bytes on disk are damaged; writes are refused.
        case damaged
        /// A read, write or sync failed (includes a full disk).
        case io
        /// The log directory is missing or unusable.
        case unavailable
        /// A condition of the batch did not hold: its zaak changed since the caller read it.
        case conflict
    }

    /// What an operator can do about it, as data: the shells say it in their own terms.
    public enum Remedy: Sendable, Equatable {
        /// Verify the whole log to find where it is damaged.
        case verify
        /// Keep a copy, then cut the damaged end of the active segment (`herstel --forceer`).
        case cutDamagedTail
        case restoreFromBackup
        /// The directory named is not the log's.
        case chooseDataDirectory
    }

    public let kind: Kind
    public let message: String
    public let damage: DamageLocation?
    public let conflict: StreamConflict?
    public let remedies: [Remedy]

    public init(_ kind: Kind, _ message: String, damage: DamageLocation? = nil, conflict: StreamConflict? = nil, remedies: [Remedy] = []) {
        self.kind = kind
        self.message = message
        self.damage = damage
        self.conflict = conflict
        self.remedies = remedies
    }

    public var description: String { message }

    /// A failure of the index's or the read models' SQLite files as a log error of the same class,
    /// so that every shell maps a full disk to the same exit code and status; nil for any other error
    /// (a bug, which stays one).
    public init?(storage error: any Error) {
        guard let error = error as? SQLiteError else { return nil }
        switch error.kind {
        case .full:
            self.init(.io, "De schijf is vol: een index of leesmodel kan niet worden bijgewerkt (\(error)). Maak ruimte vrij; wat in het log staat, blijft staan")
        case .io:
            self.init(.io, "Een index of leesmodel kan niet worden gelezen of geschreven (\(error))")
        case .busy:
            self.init(.unavailable, "Een index of leesmodel wordt te lang door een ander proces bezet gehouden (\(error)); probeer het opnieuw")
        case .damaged:
            self.init(.unavailable, "Een index of leesmodel is onleesbaar (\(error)); ze worden uit het log opgebouwd, dat de bron is: bouw ze opnieuw op")
        case .other:
            return nil
        }
    }

    /// `cuttable`: the damage is at the end of the active segment, which an operator may cut after
    /// keeping a copy.
    static func damaged(_ location: DamageLocation, cuttable: Bool = false) -> LogError {
        LogError(.damaged, "Het log is beschadigd: \(location). Er wordt niets meer geschreven; alles vóór deze plek blijft leesbaar.",
                 damage: location,
                 remedies: [.verify, .restoreFromBackup] + (cuttable ? [.cutDamagedTail] : []))
    }

    static func conflict(_ conflict: StreamConflict) -> LogError {
        LogError(.conflict, "\(conflict); er is niets geschreven", conflict: conflict)
    }
}
