#if !FUZZING
import Foundation

/// Without `-DFUZZING` (a plain `swift build`) LogFuzz is a corpus replayer: it runs every file
/// given, or found under a directory given, through the same `fuzz` entry point libFuzzer calls.
/// A crash is a failed regression test; exit status 0 means every file was refused or accepted
/// cleanly. Usage:
///
///     LogFuzz [--verbose] PATH...      replay files and directories (recursively, hidden files skipped)
///     LogFuzz --wrap FILE              print the segment the fuzzer builds from FILE's text
@main
struct Replay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--wrap", arguments.count == 2 {
            guard let data = FileManager.default.contents(atPath: arguments[1]) else { fail("cannot read \(arguments[1])") }
            FileHandle.standardOutput.write(Data(SegmentText.wrap(Array(data))))
            return
        }
        let verbose = arguments.first == "--verbose" || arguments.first == "-v"
        if verbose { arguments.removeFirst() }
        guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) else {
            fail("usage: LogFuzz [--verbose] PATH... | LogFuzz --wrap FILE")
        }
        var files: [String] = []
        for path in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file or directory: \(path)") }
            if isDirectory.boolValue {
                files += regularFiles(under: path)
            } else {
                files.append(path)
            }
        }
        guard !files.isEmpty else { fail("no input files under \(arguments.joined(separator: " "))") }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
            // Never hand libFuzzer's entry point a null pointer, even for an empty file.
            let bytes = [UInt8](data) + [0]
            bytes.withUnsafeBufferPointer { buffer in _ = fuzz(buffer.baseAddress!, buffer.count - 1) }
            if verbose {
                let outcome = FuzzCase.run([UInt8](data))
                let wrapped = outcome.wrappedLines.map { " wrapped-lines=\($0)" } ?? ""
                print("\(file): bytes=\(data.count) segment-lines=\(outcome.segmentLines)\(wrapped) line=\(outcome.lineDecoded ? "ok" : "refused")")
            }
        }
        print("LogFuzz: \(files.count) inputs replayed without a crash")
    }

    private static func regularFiles(under directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory)
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { fail("cannot list \(directory)") }
        var files: [String] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files.append(url.path)
        }
        return files.sorted()
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("LogFuzz: \(message)\n".utf8))
        exit(2)
    }
}
#endif
