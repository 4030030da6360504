import Foundation

/// Where and when a run happened: ratios travel between machines, absolute figures do not.
struct Machine: Codable {
    let nproc: String
    let cpuModel: String
    let kernel: String
    let directory: String
    let filesystem: String
    let date: String
    let commit: String
    let loadAtStart: String
    var loadAtEnd = ""

    init(directory: String, filesystem: String) {
        nproc = commandOutput(["nproc"]) ?? "unknown"
        cpuModel = Self.cpuModel()
        kernel = commandOutput(["uname", "-sr"]) ?? "unknown"
        self.directory = directory
        self.filesystem = filesystem
        date = ISO8601DateFormatter().string(from: Date())
        commit = Self.commit()
        loadAtStart = Self.loadAverage()
    }

    private static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":")
        else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    private static func commit() -> String {
        guard let hash = commandOutput(["git", "rev-parse", "--short", "HEAD"]) else { return "unknown (not a git checkout)" }
        let dirty = commandOutput(["git", "status", "--porcelain", "--", ".", ":!.bench-tmp"]).map { !$0.isEmpty } ?? false
        return dirty ? hash + " + uncommitted changes" : hash
    }

    /// 1-, 5- and 15-minute load: a busy neighbour (a compiler) shows up here.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The file system type name as `stat -f -c %T` prints it.
    static func filesystem(of directory: String) -> String {
        commandOutput(["stat", "-f", "-c", "%T", directory]) ?? "unknown"
    }

    /// fdatasync returns at once on memory file systems: every durable figure would be fiction.
    static let memoryFilesystems: Set<String> = ["tmpfs", "ramfs"]
}
