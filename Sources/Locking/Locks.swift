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

    /// Waits on `condition` until it is signalled or `deadline` (CLOCK_MONOTONIC) has passed;
    /// false once the deadline has passed.
    @discardableResult
    public func wait(on condition: Condition, until deadline: timespec) -> Bool {
        var deadline = deadline
        return pthread_cond_timedwait(condition.cond, mutex, &deadline) == 0
    }
}

/// A condition variable used with a `Lock`.
public final class Condition: @unchecked Sendable {
    fileprivate let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        // Monotonic, so that a timed wait is not stretched or cut short when the wall clock is set.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    /// The monotonic clock `nanoseconds` from now, for `Lock.wait(on:until:)`.
    public static func deadline(inNanoseconds nanoseconds: Int) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let total = Int(now.tv_nsec) + nanoseconds
        return timespec(tv_sec: now.tv_sec + total / 1_000_000_000, tv_nsec: total % 1_000_000_000)
    }

    deinit {
        pthread_cond_destroy(cond)
        cond.deallocate()
    }

    public func broadcast() { pthread_cond_broadcast(cond) }
    public func signal() { pthread_cond_signal(cond) }
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
