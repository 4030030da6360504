#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Locking

/// Random bytes from the kernel's CSPRNG (`/dev/urandom`, which Glibc's module does not offer
/// `getrandom` for), drawn 4 KiB at a time and handed out once each. A fresh AES-GCM nonce per event through `SystemRandomNumberGenerator` took two getrandom
/// calls (it yields 8 bytes a call), and the calls were the largest part of what encryption added
/// to an append. No byte is handed out twice; zaaklog never forks, so no child shares the pool.
final class RandomPool: @unchecked Sendable {
    static let shared = RandomPool()

    private let lock = Lock()
    private var buffer = [UInt8](repeating: 0, count: 4096)
    private var used = 4096
    private var source: Int32 = -1

    /// `count` (at most 4096) random bytes that no other call gets.
    func bytes(_ count: Int) -> [UInt8] {
        precondition(count <= buffer.count)
        return lock.withLock {
            if used + count > buffer.count { refill() }
            defer {
                // Handed out: overwritten so the bytes do not linger in memory.
                for index in used..<(used + count) { buffer[index] = 0 }
                used += count
            }
            return Array(buffer[used..<(used + count)])
        }
    }

    private func refill() {
        if source < 0 { source = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
        precondition(source >= 0, "/dev/urandom is niet te openen: errno \(errno)")
        var filled = 0
        while filled < buffer.count {
            let got = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress! + filled, $0.count - filled) }
            guard got > 0 else {
                precondition(got < 0 && errno == EINTR, "/dev/urandom is niet te lezen: errno \(errno)")
                continue
            }
            filled += got
        }
        used = 0
    }
}
