#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls whose failure the log must survive. Tests replace them to inject errors at exact
/// moments; everything else uses `.system`.
public struct FileSystemCalls: Sendable {
    public var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) -> Int
    public var sync: @Sendable (_ fd: Int32) -> Int32

    public static let system = FileSystemCalls(
        write: { fd, bytes, offset in pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset)) },
        sync: { fd in fdatasync(fd) }
    )

    public init(write: @escaping @Sendable (Int32, UnsafeRawBufferPointer, Int64) -> Int,
                sync: @escaping @Sendable (Int32) -> Int32) {
        self.write = write
        self.sync = sync
    }
}

func errnoText(_ code: Int32 = errno) -> String {
    switch code {
    case ENOSPC: return "schijf vol (ENOSPC)"
    case EFBIG: return "bestand te groot voor deze schijf of limiet (EFBIG)"
    case EDQUOT: return "schijfquotum bereikt (EDQUOT)"
    case EIO: return "invoer/uitvoerfout van de schijf (EIO)"
    case EACCES, EPERM: return "geen toegang (\(String(cString: strerror(code))))"
    default: return String(cString: strerror(code))
    }
}

/// An open file descriptor, closed when released.
final class FileHandle {
    let fd: Int32
    let path: String

    /// Files are created 0600: the log holds personal data (docs/operations.md).
    init(path: String, flags: Int32, mode: mode_t = 0o600) throws(LogError) {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LogError(.io, "Kan \(path) niet openen: \(errnoText())") }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// True when `path` still names this open file (nobody replaced or removed it).
    func isStillAtPath() -> Bool {
        var open = stat(), named = stat()
        return fstat(fd, &open) == 0 && stat(path, &named) == 0 && open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }

    func size() throws(LogError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LogError(.io, "Kan de grootte van \(path) niet lezen: \(errnoText())") }
        return Int64(info.st_size)
    }

    /// Reads `count` bytes at `offset` (fewer only at end of file).
    func read(at offset: Int64, count: Int) throws(LogError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        var failure: LogError?
        buffer.withUnsafeMutableBytes { raw in
            do throws(LogError) { done = try read(into: raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        buffer.removeLast(count - done)
        return buffer
    }

    /// Fills `buffer` from `offset`; the number of bytes read, fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int {
        var done = 0
        while done < buffer.count {
            let result = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw LogError(.io, "Kan \(path) niet lezen: \(errnoText())")
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    func readAll() throws(LogError) -> [UInt8] {
        try read(at: 0, count: Int(try size()))
    }

    func write(_ bytes: [UInt8], at offset: Int64, calls: FileSystemCalls) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                calls.write(fd, UnsafeRawBufferPointer(rebasing: raw[done...]), offset + Int64(done))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw LogError(.io, "Schrijven naar \(path) mislukt: \(errnoText())")
            }
            done += result
        }
    }

    func sync(calls: FileSystemCalls) throws(LogError) {
        guard calls.sync(fd) == 0 else { throw LogError(.io, "fsync van \(path) mislukt: \(errnoText())") }
    }

    func truncate(to size: Int64) throws(LogError) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw LogError(.io, "Kan \(path) niet inkorten: \(errnoText())") }
    }

    /// Blocks until this process holds an exclusive advisory lock on the file.
    func lockExclusive() throws(LogError) {
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw LogError(.io, "Kan het schrijfslot \(path) niet nemen: \(errnoText())")
        }
    }

    func tryLockExclusive() -> Bool { flock(fd, LOCK_EX | LOCK_NB) == 0 }

    /// Blocks while another holds the lock exclusively; shared holders do not wait for each other.
    func lockShared() throws(LogError) {
        while flock(fd, LOCK_SH) != 0 {
            if errno == EINTR { continue }
            throw LogError(.io, "Kan het slot \(path) niet nemen: \(errnoText())")
        }
    }

    func unlock() { flock(fd, LOCK_UN) }
}

public enum Directory {
    /// Makes a created, renamed or deleted entry durable.
    public static func sync(_ path: String) throws(LogError) {
        let handle = try FileHandle(path: path, flags: O_RDONLY | O_DIRECTORY)
        guard fsync(handle.fd) == 0 else { throw LogError(.io, "fsync van map \(path) mislukt: \(errnoText())") }
    }

    /// Creates `path` and any missing parents; each directory made now is 0700, for only the
    /// installation's account may read what zaaklog keeps.
    public static func create(_ path: String) throws(LogError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw LogError(.unavailable, "Kan map \(prefix) niet maken: \(errnoText())")
            }
            prefix += "/"
        }
    }

    static func entries(_ path: String) throws(LogError) -> [String] {
        guard let dir = opendir(path) else { throw LogError(.unavailable, "Kan map \(path) niet lezen: \(errnoText())") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Takes away group's and others' access to an existing directory (installations from before
    /// everything was 0700); true when it had to.
    static func restrictToOwner(_ path: String) throws(LogError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return false }
        guard chmod(path, info.st_mode & 0o700) == 0 else { throw LogError(.io, "Kan de rechten van \(path) niet beperken: \(errnoText())") }
        return true
    }

    static func rename(_ from: String, _ to: String) throws(LogError) {
        guard Glibc.rename(from, to) == 0 else { throw LogError(.io, "Kan \(from) niet hernoemen: \(errnoText())") }
    }

    static func remove(_ path: String) throws(LogError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw LogError(.io, "Kan \(path) niet verwijderen: \(errnoText())") }
    }
}
