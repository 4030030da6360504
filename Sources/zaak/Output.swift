import ArgumentParser
import Domain
import EventLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exit codes, one per error class; documented in docs/exit-codes.md.
enum ExitStatus {
    static let usage: Int32 = 64
    static let invalidInput: Int32 = 65
    static let unknown: Int32 = 66
    static let refused: Int32 = 67
    static let unavailable: Int32 = 69
    /// Verification: valid up to a torn tail (log-format §10), neither success nor damage.
    static let tornTail: Int32 = 73
    static let ioError: Int32 = 74
    static let conflict: Int32 = 75
    static let damaged: Int32 = 76
    static let internalError: Int32 = 70

    static func code(for kind: LogError.Kind) -> Int32 {
        switch kind {
        case .invalidRecord: return invalidInput
        case .unavailable: return unavailable
        case .io: return ioError
        case .damaged: return damaged
        case .conflict: return conflict
        }
    }

    static func code(for soort: ZaakFout.Soort) -> Int32 {
        switch soort {
        case .ongeldig: return invalidInput
        case .onbekend: return unknown
        case .regel: return refused
        case .conflict: return conflict
        case .nietBeschikbaar: return unavailable
        }
    }
}

/// Every line `zaak` prints for a person: text from inwoners, API clients and import files may hold
/// control characters (ESC sequences, OSC window titles, BEL, CR), which are shown, never executed.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(zichtbaar(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}

/// `text` with every character a terminal would act on instead of show replaced by a visible form:
/// C0 controls but tab and newline as their control pictures (ESC as ␛), DEL as ␡, C1 controls and
/// the bidirectional overrides as `\u{…}`.
func zichtbaar(_ text: String) -> String {
    func acts(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
    guard text.unicodeScalars.contains(where: acts) else { return text }
    var shown = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case _ where !acts(scalar): shown.append(scalar)
        case 0x00...0x1F: shown.append(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F: shown.append("\u{2421}")
        default: shown.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
        }
    }
    return String(shown)
}

enum Console {
    /// Pushes what `print` buffered to the terminal or pipe (progress, acknowledgements).
    static func flush() { fflush(nil) }

    static func error(_ message: String) { write("fout: " + message + "\n", to: STDERR_FILENO) }

    /// A wrong use of the command, with where to find its options and an example.
    static func usageError(_ message: String) {
        error(message)
        write("Zie `zaak \(ZaakCLI.helpPath())--help` voor de opties en een voorbeeld.\n", to: STDERR_FILENO)
    }

    static func warning(_ message: String) { write("let op: " + message + "\n", to: STDERR_FILENO) }

    /// Writes text for a person straight to a file descriptor, control characters made visible
    /// (stdout output must go through `print` or be flushed first).
    static func write(_ text: String, to fd: Int32) { write(Array(zichtbaar(text).utf8), to: fd) }

    /// False when the write failed (errno says why).
    @discardableResult
    static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if count < 0 { if errno == EINTR { continue }; return false }
                done += count
            }
            return true
        }
    }

    /// The `--json` encoding; a suggested step carries its command line (`opdracht`).
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[Actie.weergave] = Actie.commandoWeergave
        return encoder
    }

    static func json<T: Encodable>(_ value: T) throws {
        // JSON escapes what could reach a terminal raw; the data itself stays as it is.
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Runs a command body, turning the core's errors into a Dutch message on stderr, the step it
/// suggests, and their exit code. With `json`, stderr gets one JSON object instead
/// (`{"fout": {…}}`, docs/exit-codes.md), so a script reads the same values a person does.
func reportingErrors(json: Bool = false, _ body: () throws -> Void) throws {
    do {
        do { try body() } catch { throw LogError(storage: error) ?? error }
    } catch let error as LogError {
        guard json else { throw ExitCode(reportText(error)) }
        let code = ExitStatus.code(for: error.kind)
        report(FoutJSON(error, code: code), json: true, stap: nil)
        throw ExitCode(code)
    } catch let error as ZaakFout {
        let code = ExitStatus.code(for: error.soort)
        report(FoutJSON(error, code: code), json: json, stap: volgendeStapRegel(error.acties))
        throw ExitCode(code)
    } catch let error as CLIFout {
        let code = error.soort == .gebruik ? ExitStatus.usage : ExitStatus.invalidInput
        if json {
            report(FoutJSON(soort: error.soort == .gebruik ? "gebruik" : "ongeldig", code: code, melding: error.melding), json: true, stap: nil)
        } else if error.soort == .gebruik {
            Console.usageError(error.melding)
        } else {
            Console.error(error.melding)
        }
        throw ExitCode(code)
    }
}

/// A log error as text on stderr, with what to do about it; returns its exit code.
func reportText(_ error: LogError) -> Int32 {
    let code = ExitStatus.code(for: error.kind)
    report(FoutJSON(error, code: code), json: false, stap: volgendeStapRegel(error.remedies))
    return code
}

func report(_ fout: FoutJSON, json: Bool, stap: String?) {
    if json, let encoded = try? Console.encoder.encode(["fout": fout]) {
        Console.write(encoded + [UInt8(ascii: "\n")], to: STDERR_FILENO)
        return
    }
    Console.error(fout.melding)
    if let stap { Console.write(stap + "\n", to: STDERR_FILENO) }
}

/// An error as `--json` reports it on stderr.
struct FoutJSON: Encodable {
    struct Plek: Encodable { let bestand: String, offset: Int64, positie: Int64 }
    let soort: String, code: Int32, melding: String
    var regels: [Int]?
    var acties: [Actie]?
    var herstel: [String]?
    var plek: Plek?

    init(soort: String, code: Int32, melding: String) {
        self.soort = soort
        self.code = code
        self.melding = melding
    }

    init(_ error: ZaakFout, code: Int32) {
        self.init(soort: error.soort.rawValue, code: code, melding: error.melding)
        regels = error.regels.isEmpty ? nil : error.regels
        acties = error.acties.isEmpty ? nil : error.acties
    }

    init(_ error: LogError, code: Int32) {
        let soort: String
        switch error.kind {
        case .invalidRecord: soort = "ongeldig"
        case .damaged: soort = "beschadigd"
        case .io: soort = "io"
        case .unavailable: soort = "niet-beschikbaar"
        case .conflict: soort = "conflict"
        }
        self.init(soort: soort, code: code, melding: error.message)
        herstel = error.remedies.isEmpty ? nil : error.remedies.map(\.tekst)
        plek = error.damage.map { Plek(bestand: $0.file, offset: $0.offset, positie: $0.position) }
    }
}

/// The file named on the command line, or standard input when there is none or it is `-`.
func openInput(_ bestand: String?) throws -> Int32 {
    guard let bestand, bestand != "-" else { return STDIN_FILENO }
    let input = open(bestand, O_RDONLY)
    guard input >= 0 else { throw CLIFout(.ongeldig, "kan \(bestand) niet openen: \(String(cString: strerror(errno)))") }
    return input
}

/// The acknowledgement of one durable batch, as `zaak import` and `zaak log toevoegen` print it:
/// once it is printed, the batch is in the log.
struct BatchAck: Encodable {
    let batch: Int, regels: [Int], laatstePositie: Int64, nieuw: Int, alAanwezig: Int
    /// Of `alAanwezig` (`zaak import`): lines repeating an earlier line of the batch, and ids the log
    /// holds with other content.
    /// nil (left out of the JSON) for `zaak log toevoegen`.
    var dubbel: Int? = nil, afwijkend: Int? = nil

    func print(json: Bool) throws {
        if json {
            try Console.json(self)
        } else {
            let notes = ((dubbel ?? 0) > 0 ? ", waarvan \(dubbel!) dubbel in de invoer" : "") + ((afwijkend ?? 0) > 0 ? ", \(afwijkend!) met een andere inhoud in het log" : "")
            Swift.print("batch \(batch): regels \(regels[0])–\(regels[1]) vastgelegd t/m positie \(laatstePositie) (\(nieuw) nieuw, \(alAanwezig) al aanwezig\(notes))")
        }
        Console.flush()
    }
}

extension Int {
    /// Bytes as people read them: 1,2 MB.
    var humanBytes: String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(self)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(self) B" : value.dutchDecimal(places: 1) + " " + units[unit]
    }
}

extension Double {
    /// A fixed number of decimals with a Dutch decimal comma: 1,5.
    func dutchDecimal(places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((self * scale).rounded())
        let whole = scaled / Int64(scale), fraction = String(abs(scaled) % Int64(scale))
        let sign = scaled < 0 && whole == 0 ? "-" : ""
        return places == 0 ? "\(whole)" : "\(sign)\(whole)," + String(repeating: "0", count: places - fraction.count) + fraction
    }
}

extension Duration {
    /// Seconds with two decimals, as the CLI reports timings: 1,25 s.
    var secondsText: String {
        (Double(components.seconds) + Double(components.attoseconds) / 1e18).dutchDecimal(places: 2) + " s"
    }
}
