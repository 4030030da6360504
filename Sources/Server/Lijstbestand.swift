import Domain
import EventLog
import Service
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A JSON array in one file (mode 0600, as `Staatsbestand` writes it): the tokens, the medewerkers'
/// accounts. Changes go through `Staatsbestand`, so two changes at the same moment both land; a
/// server reads the file again only when it changed, so a revocation takes effect on the next
/// request without a restart.
package final class Lijstbestand<Element: Codable & Sendable>: Sendable {
    package let pad: String
    private let bestand: Staatsbestand
    /// What the file is, in an error: "tokenbestand".
    private let soort: String
    /// The last list read, with the file's inode, mtime and size then: every change renames a new
    /// file into place, so a new inode tells even a change within the clock's resolution.
    private let geladen = Mutex<(inode: UInt64, sec: Int, nsec: Int, size: Int, elementen: [Element])?>(nil)

    package init(pad: String, soort: String) {
        self.pad = pad
        self.soort = soort
        bestand = Staatsbestand(pad: pad)
    }

    package func lijst() throws -> [Element] { try decode(try bestand.lees()) }

    /// Changes the list under the file's lock; `change` returns whether it changed anything.
    /// The data directory is made (0700) when it does not exist yet, as the log's commands do.
    package func wijzig<T>(_ change: (inout [Element]) throws -> (gewijzigd: Bool, uitkomst: T)) throws -> T {
        if let slash = pad.lastIndex(of: "/"), slash > pad.startIndex { try Directory.create(String(pad[..<slash])) }
        return try bestand.wijzig { bytes in
            var elementen = try decode(bytes)
            let (gewijzigd, uitkomst) = try change(&elementen)
            return (gewijzigd ? try encode(elementen) : nil, uitkomst)
        }
    }

    /// The list as the file holds it now, read again only when the file changed.
    package func actueel() throws -> [Element] {
        var info = stat()
        let exists = stat(pad, &info) == 0
        let stamp = (inode: UInt64(info.st_ino), sec: Int(info.st_mtim.tv_sec), nsec: Int(info.st_mtim.tv_nsec), size: Int(info.st_size))
        if exists, let cached = geladen.withLock({ $0 }), cached.inode == stamp.inode, cached.sec == stamp.sec, cached.nsec == stamp.nsec,
           cached.size == stamp.size {
            return cached.elementen
        }
        let elementen = try lijst()
        geladen.withLock { $0 = exists ? (stamp.inode, stamp.sec, stamp.nsec, stamp.size, elementen) : nil }
        return elementen
    }

    private func decode(_ bytes: [UInt8]?) throws -> [Element] {
        guard let bytes else { return [] }
        do { return try JSONDecoder().decode([Element].self, from: Data(bytes)) } catch {
            throw ZaakFout(.ongeldig, "\(pad) is geen geldig \(soort): \(error)")
        }
    }

    private func encode(_ elementen: [Element]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(elementen))
    }
}
