import EventLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small file of state that several processes change (the API's tokens): each change reads,
/// decides and writes under an exclusive `flock(2)` on `<file>.lock`, so two changes at once never
/// lose one another; the new contents go to a temporary file of this process, are fsynced and
/// renamed over the old one, and the directory is fsynced, so a reader sees the old file or the new
/// one, never half of one. Files are created 0600: they hold secrets' hashes.
public struct Staatsbestand: Sendable {
    public let pad: String

    public init(pad: String) {
        self.pad = pad
    }

    /// The contents now (nil: no file yet), read without the lock: a rename replaces it whole.
    public func lees() throws -> [UInt8]? { try leesBestand(pad) }

    /// Applies `change` to the current contents under the lock and writes what it returns, unless nil.
    public func wijzig<T>(_ change: ([UInt8]?) throws -> (nieuw: [UInt8]?, uitkomst: T)) throws -> T {
        let lock = open(pad + ".lock", O_RDWR | O_CREAT, 0o600)
        guard lock >= 0 else { throw ioFout("kan \(pad).lock niet openen") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ioFout("kan \(pad).lock niet vergrendelen") }
        }
        defer { flock(lock, LOCK_UN) }
        let (nieuw, uitkomst) = try change(try lees())
        if let nieuw { try schrijf(nieuw) }
        return uitkomst
    }

    private func schrijf(_ bytes: [UInt8]) throws { try vervangBestand(pad, door: bytes) }
}

/// Replaces `pad` whole by `bytes`: written to a temporary file of this process, fsynced, renamed
/// over it and the directory fsynced, so a reader sees the old file or the new one, never half.
func vervangBestand(_ pad: String, door bytes: [UInt8]) throws {
    let temporary = "\(pad).nieuw-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { throw ioFout("kan \(temporary) niet schrijven") }
    var done = 0
    while done < bytes.count {
        let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else {
            let error = ioFout("kan \(temporary) niet schrijven")
            close(fd)
            unlink(temporary)
            throw error
        }
        done += count
    }
    guard fsync(fd) == 0 else {
        let error = ioFout("kan \(temporary) niet op schijf zetten (fsync)")
        close(fd)
        unlink(temporary)
        throw error
    }
    close(fd)
    try plaatsBestand(temporary, op: pad)
}

/// Renames a complete, fsynced `temporary` to `pad` and fsyncs the directory, so the new name
/// survives a crash; on failure `temporary` is removed.
func plaatsBestand(_ temporary: String, op pad: String) throws {
    guard rename(temporary, pad) == 0 else {
        let error = ioFout("kan \(pad) niet vervangen")
        unlink(temporary)
        throw error
    }
    let slash = pad.lastIndex(of: "/")
    let parent = slash.map { $0 == pad.startIndex ? "/" : String(pad[..<$0]) } ?? "."
    let directory = open(parent, O_RDONLY)
    if directory >= 0 {
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw ioFout("kan de map van \(pad) niet op schijf zetten (fsync)") }
    }
}

/// An I/O failure (exit 74): nothing was changed.
func ioFout(_ what: String) -> LogError {
    LogError(.io, "\(what): \(String(cString: strerror(errno))); er is niets gewijzigd")
}
