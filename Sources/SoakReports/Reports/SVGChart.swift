/// A small line and scatter chart rendered as an inline SVG string: light grid, labelled ticks,
/// a legend, shaded bands (the warm-up window). No script, no external reference, no `xmlns`
/// (inline SVG in HTML needs none), so a report stays one self-contained file.
///
/// Series longer than `ChartSampling.maxPoints` are reduced before drawing; NaN values are gaps.
struct SVGChart {
    /// How a series is drawn.
    enum Mark {
        case line(width: Double)
        case dashed(width: Double)
        case dots(radius: Double)

        /// Drawing order: 0 first.
        var layer: Int {
            switch self {
            case .line: 0
            case .dots: 1
            case .dashed: 2
            }
        }
    }

    struct Series {
        var label: String
        /// A CSS colour.
        var color: String
        var mark: Mark
        var points: [ChartPoint]
    }

    /// A shaded stretch of the x axis with a label.
    struct Band {
        var from: Double
        var to: Double
        var label: String
    }

    var x: ChartAxis = .simulatedTime
    var y: ChartAxis
    var series: [Series]
    var bands: [Band] = []
    /// The x range to show at least, so charts of one run line up whatever their series cover.
    var xSpan: ClosedRange<Double>?
    /// Said by screen readers in place of the picture.
    var title: String
    var width = 900.0
    var height = 260.0

    private let left = 78.0
    private let right = 18.0
    private let bottom = 26.0
    private let legendRowHeight = 18.0

    /// The SVG, or nil when no series has a point to draw.
    func render() -> String? {
        let drawn = series.map { series in
            Series(label: series.label, color: series.color, mark: series.mark,
                   points: ChartSampling.reduce(series.points))
        }
        let present = drawn.flatMap(\.points).filter {
            $0.x.isFinite && $0.y.isFinite && (y != .milliseconds || $0.y > 0)
        }
        guard let minX = present.map(\.x).min(), let maxX = present.map(\.x).max(),
              let minY = present.map(\.y).min(), let maxY = present.map(\.y).max() else { return nil }
        let xScale = x.scale(low: min(minX, xSpan?.lowerBound ?? minX), high: max(maxX, xSpan?.upperBound ?? maxX))
        let yScale = y.scale(low: minY, high: maxY)
        // Say where the value axis starts when it is not zero, so a small change is not read as
        // a large one.
        let note = yScale.isLogarithmic ? "log scale"
            : (yScale.lower != 0 ? "axis starts at \(yScale.label(yScale.lower))" : "")
        let legend = layOutLegend(drawn, note: note)
        let top = 12 + Double(legend.rows) * legendRowHeight
        let plot = (x0: left, x1: width - right, y0: top, y1: height - bottom)
        func px(_ value: Double) -> Double { plot.x0 + xScale.fraction(value) * (plot.x1 - plot.x0) }
        func py(_ value: Double) -> Double { plot.y1 - yScale.fraction(value) * (plot.y1 - plot.y0) }

        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" "
            + "aria-label=\"\(MarkupText.escape(title))\">"
        for band in bands {
            let from = px(max(band.from, xScale.lower))
            let to = px(min(band.to, xScale.upper))
            guard to - from >= 1 else { continue }
            svg += "<rect class=\"band\" x=\"\(number(from))\" y=\"\(number(plot.y0))\" "
                + "width=\"\(number(to - from))\" height=\"\(number(plot.y1 - plot.y0))\"/>"
            svg += "<text class=\"band-label\" x=\"\(number(from + 4))\" y=\"\(number(plot.y0 + 12))\">"
                + "\(MarkupText.escape(band.label))</text>"
        }
        svg += grid(xScale: xScale, yScale: yScale, plot: plot, px: px, py: py)
        // Lines under dots under fits, whatever the order of the series: a fit hidden under
        // the samples it summarises would not be seen.
        for layer in 0..<3 {
            for series in drawn where series.mark.layer == layer {
                svg += marks(series, px: px, py: py)
            }
        }
        svg += legendMarks(legend)
        return svg + "</svg>"
    }

    private func grid(xScale: ChartAxis.Scale, yScale: ChartAxis.Scale,
                      plot: (x0: Double, x1: Double, y0: Double, y1: Double),
                      px: (Double) -> Double, py: (Double) -> Double) -> String {
        var svg = ""
        for tick in yScale.ticks {
            let position = number(py(tick))
            svg += "<line class=\"grid\" x1=\"\(number(plot.x0))\" x2=\"\(number(plot.x1))\" "
                + "y1=\"\(position)\" y2=\"\(position)\"/>"
            svg += "<text class=\"tick\" x=\"\(number(plot.x0 - 6))\" y=\"\(number(py(tick) + 4))\" "
                + "text-anchor=\"end\">\(MarkupText.escape(yScale.label(tick)))</text>"
        }
        var lastLabelEnd = -Double.infinity
        for tick in xScale.ticks {
            let position = px(tick)
            svg += "<line class=\"grid\" x1=\"\(number(position))\" x2=\"\(number(position))\" "
                + "y1=\"\(number(plot.y0))\" y2=\"\(number(plot.y1))\"/>"
            // Labels near an edge are anchored inside it; one that would touch its left
            // neighbour is left out (its grid line stays).
            let label = xScale.label(tick)
            let halfWidth = Self.textWidth(label) / 2
            let anchor = position - halfWidth < plot.x0 - 20 ? "start"
                : (position + halfWidth > width - 2 ? "end" : "middle")
            let start = switch anchor {
            case "start": position
            case "end": position - 2 * halfWidth
            default: position - halfWidth
            }
            guard start > lastLabelEnd + 8 else { continue }
            lastLabelEnd = start + 2 * halfWidth
            svg += "<text class=\"tick\" x=\"\(number(position))\" y=\"\(number(plot.y1 + 16))\" "
                + "text-anchor=\"\(anchor)\">\(MarkupText.escape(label))</text>"
        }
        svg += "<path class=\"axis\" d=\"M\(number(plot.x0)) \(number(plot.y0))V\(number(plot.y1))"
            + "H\(number(plot.x1))\"/>"
        return svg
    }

    private func marks(_ series: Series, px: (Double) -> Double, py: (Double) -> Double) -> String {
        let color = MarkupText.escape(series.color)
        func drawable(_ point: ChartPoint) -> Bool {
            point.x.isFinite && point.y.isFinite && (y != .milliseconds || point.y > 0)
        }
        switch series.mark {
        case .line(let width), .dashed(let width):
            let dashed = if case .dashed = series.mark { true } else { false }
            return ChartSampling.segments(series.points).map { segment in
                let coordinates = segment.filter(drawable).map { "\(number(px($0.x))),\(number(py($0.y)))" }
                    .joined(separator: " ")
                return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(number(width))\""
                    + (dashed ? " stroke-dasharray=\"6 4\"" : "")
                    + " stroke-linejoin=\"round\" points=\"\(coordinates)\"/>"
            }.joined()
        case .dots(let radius):
            // One path of zero-length strokes with round caps: a dot each, a fraction of the
            // bytes of as many circles.
            let moves = series.points.filter(drawable).map { "M\(number(px($0.x))) \(number(py($0.y)))h0" }
            guard !moves.isEmpty else { return "" }
            return "<path fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(number(2 * radius))\" "
                + "stroke-linecap=\"round\" d=\"\(moves.joined())\"/>"
        }
    }

    /// Legend items laid out in rows from the left, wrapping before the right edge, with the
    /// axis note right-aligned on the last row (or a row of its own when that row is full).
    private struct Legend {
        var items: [(series: Series, x: Double, row: Int)] = []
        var note: (text: String, row: Int)?
        var rows = 1
    }

    private func layOutLegend(_ series: [Series], note: String) -> Legend {
        var legend = Legend()
        var position = left
        let limit = width - right
        for item in series where !item.points.isEmpty {
            let itemWidth = 23 + Self.textWidth(item.label)
            if position + itemWidth > limit, position > left {
                legend.rows += 1
                position = left
            }
            legend.items.append((item, position, legend.rows - 1))
            position += itemWidth + 18
        }
        if !note.isEmpty {
            if position + Self.textWidth(note) > limit { legend.rows += 1 }
            legend.note = (note, legend.rows - 1)
        }
        return legend
    }

    private func legendMarks(_ legend: Legend) -> String {
        var svg = ""
        for (item, position, row) in legend.items {
            let color = MarkupText.escape(item.color)
            let middle = 14 + Double(row) * legendRowHeight
            switch item.mark {
            case .line(let width), .dashed(let width):
                let dash = if case .dashed = item.mark { " stroke-dasharray=\"6 4\"" } else { "" }
                svg += "<line x1=\"\(number(position))\" x2=\"\(number(position + 18))\" "
                    + "y1=\"\(number(middle))\" y2=\"\(number(middle))\" "
                    + "stroke=\"\(color)\" stroke-width=\"\(number(max(width, 2)))\"\(dash)/>"
            case .dots(let radius):
                svg += "<circle cx=\"\(number(position + 9))\" cy=\"\(number(middle))\" "
                    + "r=\"\(number(max(radius, 3)))\" fill=\"\(color)\"/>"
            }
            svg += "<text class=\"legend\" x=\"\(number(position + 23))\" y=\"\(number(middle + 4))\">"
                + "\(MarkupText.escape(item.label))</text>"
        }
        if let note = legend.note {
            svg += "<text class=\"note\" x=\"\(number(width - right))\" "
                + "y=\"\(number(18 + Double(note.row) * legendRowHeight))\" text-anchor=\"end\">"
                + "\(MarkupText.escape(note.text))</text>"
        }
        return svg
    }

    /// Rough width of `text` at the 11–12 px sans-serif the report uses; enough to space labels.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 6.6 }

    /// A coordinate with at most one decimal: finer is invisible and only grows the file.
    func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let whole = tenths / 10
        let fraction = abs(tenths % 10)
        if fraction == 0 { return "\(whole)" }
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }
}
