import ArgumentParser
import EventLog
import Foundation

/// Exit codes, one per error class; documented in docs/exit-codes.md.
enum ExitStatus {
    static let invalidInput: Int32 = 65
    static let unavailable: Int32 = 69
    static let ioError: Int32 = 74
    static let damaged: Int32 = 76
    static let internalError: Int32 = 70

    static func code(for kind: LogError.Kind) -> Int32 {
        switch kind {
        case .invalidRecord: return invalidInput
        case .unavailable: return unavailable
        case .io: return ioError
        case .damaged: return damaged
        }
    }
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("fout: " + message + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data(("let op: " + message + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Runs a command body, turning log errors into a Dutch message on stderr and their exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as LogError {
        Console.error(error.message)
        throw ExitCode(ExitStatus.code(for: error.kind))
    }
}

extension Int {
    /// Bytes as people read them: 1,2 MB.
    var humanBytes: String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(self)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(self) B" : String(format: "%.1f %@", value, units[unit]).replacingOccurrences(of: ".", with: ",")
    }
}
