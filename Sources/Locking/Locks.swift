#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex, so that the log and the projections need no Foundation (whose ICU costs a CLI
/// process ~5 ms of start-up for every `zaak` command).
public final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init(recursive: Bool = false) {
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        if recursive { pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE)) }
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits on `condition`, releasing this lock meanwhile.
    public func wait(on condition: Condition) { pthread_cond_wait(condition.cond, mutex) }
}

/// A condition variable used with a `Lock`.
public final class Condition: @unchecked Sendable {
    fileprivate let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() { pthread_cond_init(cond, nil) }

    deinit {
        pthread_cond_destroy(cond)
        cond.deallocate()
    }

    public func broadcast() { pthread_cond_broadcast(cond) }
}

/// An advisory lock on a file (`flock`), held across processes: the one projector of a data
/// directory holds `projecties.lock` while it applies events. The file is created when missing.
public final class FileLock: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    /// nil when the file can neither be opened nor created (a read-only data directory).
    public init?(path: String) {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
    }

    deinit { close(fd) }

    /// Blocks until this process holds the lock exclusively.
    public func lock() {
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }

    public func unlock() { flock(fd, LOCK_UN) }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
