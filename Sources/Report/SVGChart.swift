import Foundation

/// A bar chart as inline SVG: one bar per point, its series stacked, oldest on the left. No script, no
/// external asset; each bar segment carries a `<title>` so a browser shows its value on hover.
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        var values: [Double]
    }

    var title: String
    /// One label per point (a run id and time), for the hover titles.
    var labels: [String]
    var series: [Series]
    /// How values are written: `"%.0f"` for counts, `"%.1f s"` for durations.
    var format: String

    static let width = 640.0
    static let height = 180.0
    private static let left = 48.0
    private static let bottom = 20.0
    private static let top = 8.0

    func render() -> String {
        let plotWidth = Self.width - Self.left - 8
        let plotHeight = Self.height - Self.top - Self.bottom
        var out = "<svg role=\"img\" width=\"\(Self.width.svg)\" height=\"\(Self.height.svg)\" "
            + "viewBox=\"0 0 \(Self.width.svg) \(Self.height.svg)\" aria-label=\"\(HTML.escape(title))\">"
        out += "<title>\(HTML.escape(title))</title>"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Self.width.svg)\" height=\"\(Self.height.svg)\" fill=\"#fafafa\"/>"
        let baseline = Self.top + plotHeight
        out += "<line x1=\"\(Self.left.svg)\" y1=\"\(baseline.svg)\" x2=\"\((Self.left + plotWidth).svg)\" y2=\"\(baseline.svg)\" stroke=\"#555\"/>"
        guard !labels.isEmpty else {
            out += "<text x=\"\((Self.width / 2).svg)\" y=\"\((Self.height / 2).svg)\" text-anchor=\"middle\" fill=\"#555\">No data yet</text>"
            return out + "</svg>"
        }
        let totals = labels.indices.map { index in series.reduce(0) { $0 + ($1.values.indices.contains(index) ? $1.values[index] : 0) } }
        let peak = totals.max().flatMap { $0 > 0 ? $0 : nil } ?? 1
        out += "<text x=\"\((Self.left - 4).svg)\" y=\"\((Self.top + 10).svg)\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">"
            + "\(HTML.escape(String(format: format, peak)))</text>"
        out += "<text x=\"\((Self.left - 4).svg)\" y=\"\(baseline.svg)\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">0</text>"
        let slot = plotWidth / Double(labels.count)
        let barWidth = max(slot * 0.8, 1)
        for (index, label) in labels.enumerated() {
            let x = Self.left + Double(index) * slot + (slot - barWidth) / 2
            var y = baseline
            for item in series {
                let value = item.values.indices.contains(index) ? item.values[index] : 0
                guard value > 0 else { continue }
                let height = value / peak * plotHeight
                y -= height
                out += "<rect x=\"\(x.svg)\" y=\"\(y.svg)\" width=\"\(barWidth.svg)\" height=\"\(height.svg)\" fill=\"\(item.color)\">"
                    + "<title>\(HTML.escape(label)): \(HTML.escape(String(format: format, value))) \(HTML.escape(item.name))</title></rect>"
            }
        }
        return out + "</svg>"
    }

    /// The legend, as HTML beside the chart.
    func legend() -> String {
        series.map { "<span class=\"key\"><span class=\"swatch\" style=\"background:\($0.color)\"></span>\(HTML.escape($0.name))</span>" }
            .joined(separator: " ")
    }
}

extension Double {
    /// Coordinates to a tenth: fixed text whatever the platform's float printing.
    var svg: String { String(format: "%.1f", self) }
}
