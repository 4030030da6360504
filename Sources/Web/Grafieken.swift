/// Charts drawn on the server as SVG: no script, no library, readable without colour (each bar
/// and point carries its number), and the same numbers beside them in a table.
struct Grafiek {
    let id: String
    let titel: String
    let svg: String
    let rijen: [(label: String, waarde: String)]

    var context: [String: Any] {
        ["id": id, "titel": titel, "svg": svg, "rijen": rijen.map { ["label": $0.label, "waarde": $0.waarde] }]
    }

    static let breedte = 560.0
    static let labelbreedte = 150.0
    static let rijhoogte = 26.0

    /// Horizontal bars, one per group; a group without a value shows "–".
    static func staven(id: String, titel: String, eenheid: String, reeks: [(String, Double?)]) -> Grafiek {
        let maximum = max(reeks.compactMap(\.1).max() ?? 0, eenheid == "%" ? 100 : 1)
        let height = Double(max(reeks.count, 1)) * rijhoogte + 10
        let room = breedte - labelbreedte - 70
        var svg = svgBegin(id: id, height: height)
        for (index, (label, value)) in reeks.enumerated() {
            let y = Double(index) * rijhoogte + 5
            svg += "<text x=\"\(labelbreedte - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" class=\"label\">\(escape(label))</text>"
            if let value {
                let width = max(1, room * value / maximum)
                svg += "<rect x=\"\(labelbreedte)\" y=\"\(y + 4)\" width=\(q(width)) height=\"18\" class=\"staaf\"></rect>"
                svg += "<text x=\(q(labelbreedte + width + 6)) y=\"\(y + 17)\" class=\"waarde\">\(escape(tekst(value, eenheid)))</text>"
            } else {
                svg += "<text x=\"\(labelbreedte + 6)\" y=\"\(y + 17)\" class=\"waarde\">–</text>"
            }
        }
        if reeks.isEmpty { svg += "<text x=\"10\" y=\"22\" class=\"label\">Geen gegevens in deze periode.</text>" }
        svg += "</svg>"
        return Grafiek(id: id, titel: titel, svg: svg, rijen: reeks.map { ($0.0, $0.1.map { tekst($0, eenheid) } ?? "–") })
    }

    /// A percentage over time: a line through the groups that have a value, each point labelled.
    static func lijn(id: String, titel: String, reeks: [(String, Double?)]) -> Grafiek {
        let height = 240.0, top = 20.0, bottom = 190.0, left = 50.0, right = breedte - 20
        var svg = svgBegin(id: id, height: height)
        for percent in [0, 50, 100] {
            let y = bottom - (bottom - top) * Double(percent) / 100
            svg += "<line x1=\(q(left)) y1=\(q(y)) x2=\(q(right)) y2=\(q(y)) class=\"raster\"></line>"
            svg += "<text x=\(q(left - 6)) y=\(q(y + 4)) text-anchor=\"end\" class=\"label\">\(percent) %</text>"
        }
        let step = reeks.count > 1 ? (right - left - 20) / Double(reeks.count - 1) : 0
        var points: [String] = []
        for (index, (label, value)) in reeks.enumerated() {
            let x = left + 10 + step * Double(index)
            svg += "<text x=\(q(x)) y=\(q(bottom + 20)) text-anchor=\"middle\" class=\"label klein\">\(escape(label))</text>"
            guard let value else { continue }
            let y = bottom - (bottom - top) * value / 100
            points.append("\(q(x, quoted: false)),\(q(y, quoted: false))")
            svg += "<circle cx=\(q(x)) cy=\(q(y)) r=\"4\" class=\"punt\"></circle>"
            svg += "<text x=\(q(x)) y=\(q(y - 9)) text-anchor=\"middle\" class=\"waarde\">\(escape(tekst(value, "%")))</text>"
        }
        if points.count > 1 { svg += "<polyline points=\"\(points.joined(separator: " "))\" class=\"lijn\"></polyline>" }
        if reeks.isEmpty { svg += "<text x=\"60\" y=\"100\" class=\"label\">Geen gegevens in deze periode.</text>" }
        svg += "</svg>"
        return Grafiek(id: id, titel: titel, svg: svg, rijen: reeks.map { ($0.0, $0.1.map { tekst($0, "%") } ?? "–") })
    }

    private static func svgBegin(id: String, height: Double) -> String {
        "<svg role=\"img\" aria-labelledby=\"\(id)-titel\" viewBox=\"0 0 \(Int(breedte)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
    }

    private static func tekst(_ value: Double, _ eenheid: String) -> String {
        eenheid == "%" ? "\(Int(value.rounded())) %" : "\(Int(value.rounded()))"
    }

    private static func q(_ value: Double, quoted: Bool = true) -> String {
        let text = String(Double((value * 10).rounded()) / 10)
        return quoted ? "\"\(text)\"" : text
    }

    /// Text inside the SVG, which is inserted unescaped into the page.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
