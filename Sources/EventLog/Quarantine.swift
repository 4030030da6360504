#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes that recovery cuts off the end of a segment are evidence: they go to a file beside the
/// segment, durable before the cut (log-format §8), and zaaklog never deletes them.
enum Quarantine {
    /// Copies `bytes` (the segment's bytes from `offset` to its end) to
    /// `<segment>.quarantine-<offset>` and returns that file's name. A file of that name with the same
    /// bytes (a cut that was interrupted and is being redone) is kept as it is; one with other bytes
    /// is never overwritten: the copy gets a `-2`, `-3`, … suffix.
    static func keep(_ bytes: ArraySlice<UInt8>, cutFrom segment: String, at offset: Int64, in directory: String,
                     calls: FileSystemCalls) throws -> String {
        let base = "\(segment).quarantine-\(offset)"
        var name = base
        var attempt = 1
        while Directory.exists(directory + "/" + name) {
            if try FileHandle(path: directory + "/" + name, flags: O_RDONLY).readAll()[...] == bytes { return name }
            attempt += 1
            name = "\(base)-\(attempt)"
        }
        let path = directory + "/" + name, temporary = path + ".tmp"
        do {
            let handle = try FileHandle(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
            try handle.write(Array(bytes), at: 0, calls: calls)
            try handle.sync(calls: calls)
            try Directory.rename(temporary, path)
            try Directory.sync(directory)
        } catch {
            try? Directory.remove(temporary)
            throw LogError(.io, "Kan de af te kappen bytes niet bewaren in \(path) (\(error)); er is niets afgekapt.")
        }
        return name
    }
}
