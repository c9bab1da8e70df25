import Glibc

/// A small line chart, rendered as a self-contained SVG file (no script, no external font).
package struct BenchChart: Codable, Sendable, Equatable {
    /// File name in the bench folder, e.g. `runtime-first-request.svg`.
    package var file: String
    package var title: String
    package var xLabel: String
    package var yLabel: String
    /// Logarithmic axes suit figures spanning decades (samples 10k–1M, artifacts 1–300).
    package var logX = false
    package var logY = false
    package var series: [Series]

    /// One line: points joined in x order, each with an optional spread drawn as a whisker.
    package struct Series: Codable, Sendable, Equatable {
        package var name: String
        package var points: [Point]

        package init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// A median with its spread (low…high: min–max or IQR, as the suite says).
    package struct Point: Codable, Sendable, Equatable {
        package var x: Double
        package var y: Double
        package var low: Double?
        package var high: Double?

        package init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }

        /// The median of `statistics` with its min–max as the whisker.
        package init(x: Double, _ statistics: RepeatStatistics) {
            self.init(x: x, y: statistics.median, low: statistics.min, high: statistics.max)
        }
    }

    package init(file: String, title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false,
                series: [Series]) {
        self.file = file
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.series = series
    }

    // Colour-blind-safe palette (Okabe–Ito).
    private static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    private static let width = 640.0, height = 360.0
    private static let left = 70.0, right = 170.0, top = 36.0, bottom = 50.0

    /// The chart as SVG text.
    package func svg() -> String {
        let finite = series.flatMap(\.points).filter { usable($0.x, logX) && usable($0.y, logY) }
        let xs = finite.map(\.x)
        let ys = finite.flatMap { [$0.y, $0.low ?? $0.y, $0.high ?? $0.y] }.filter { usable($0, logY) }
        let xAxis = Axis(values: xs, log: logX, from: Self.left, to: Self.width - Self.right)
        let yAxis = Axis(values: ys + (logY ? [] : [0]), log: logY, from: Self.height - Self.bottom, to: Self.top)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(Self.width / 2))" y="20" text-anchor="middle" font-size="14">\(escape(title))</text>

            """
        out += axes(xAxis, yAxis)
        for (index, line) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let points = line.points.filter { usable($0.x, logX) && usable($0.y, logY) }.sorted { $0.x < $1.x }
            let path = points.map { "\(f(xAxis.map($0.x))),\(f(yAxis.map($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for point in points {
                let x = f(xAxis.map(point.x))
                if let low = point.low, let high = point.high, usable(low, logY), usable(high, logY) {
                    out += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(f(yAxis.map(low)))\" y2=\"\(f(yAxis.map(high)))\" "
                        + "stroke=\"\(colour)\" stroke-width=\"1\"/>\n"
                }
                out += "<circle cx=\"\(x)\" cy=\"\(f(yAxis.map(point.y)))\" r=\"3\" fill=\"\(colour)\"/>\n"
            }
            let legendY = Self.top + 10 + Double(index) * 18
            let legendX = Self.width - Self.right + 14
            out += "<line x1=\"\(f(legendX))\" x2=\"\(f(legendX + 18))\" y1=\"\(f(legendY))\" y2=\"\(f(legendY))\" "
                + "stroke=\"\(colour)\" stroke-width=\"2\"/>"
                + "<text x=\"\(f(legendX + 24))\" y=\"\(f(legendY + 4))\">\(escape(line.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    private func axes(_ xAxis: Axis, _ yAxis: Axis) -> String {
        let x0 = Self.left, x1 = Self.width - Self.right, y0 = Self.height - Self.bottom, y1 = Self.top
        var out = "<g stroke=\"#444\" stroke-width=\"1\"><line x1=\"\(f(x0))\" x2=\"\(f(x1))\" y1=\"\(f(y0))\" "
            + "y2=\"\(f(y0))\"/><line x1=\"\(f(x0))\" x2=\"\(f(x0))\" y1=\"\(f(y0))\" y2=\"\(f(y1))\"/></g>\n"
        for tick in xAxis.ticks {
            let x = f(xAxis.map(tick))
            out += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(f(y0))\" y2=\"\(f(y0 + 4))\" stroke=\"#444\"/>"
                + "<text x=\"\(x)\" y=\"\(f(y0 + 16))\" text-anchor=\"middle\">\(label(tick))</text>\n"
        }
        for tick in yAxis.ticks {
            let y = f(yAxis.map(tick))
            out += "<line x1=\"\(f(x0))\" x2=\"\(f(x1))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#eee\"/>"
                + "<text x=\"\(f(x0 - 6))\" y=\"\(f(yAxis.map(tick) + 4))\" text-anchor=\"end\">"
                + "\(label(tick))</text>\n"
        }
        out += "<text x=\"\(f((x0 + x1) / 2))\" y=\"\(f(Self.height - 12))\" text-anchor=\"middle\">"
            + "\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(16,\(f((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + "\(escape(yLabel))</text>\n"
        return out
    }

    /// Whole ticks print as integers (artifact and sample counts read "300", not "300.0").
    private func label(_ tick: Double) -> String {
        tick == tick.rounded() && Swift.abs(tick) < 1e15 ? String(Int64(tick)) : BenchFormat.number(tick)
    }

    private func usable(_ value: Double, _ log: Bool) -> Bool { value.isFinite && (!log || value > 0) }
    private func f(_ value: Double) -> String { BenchFormat.fixed(value, decimals: 1) }
    private func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }

    /// Maps data values to pixels, linearly or by log10, with round tick values.
    struct Axis {
        let low: Double, high: Double, log: Bool, from: Double, to: Double

        init(values: [Double], log: Bool, from: Double, to: Double) {
            let scaled = values.map { log ? Glibc.log10($0) : $0 }
            var low = scaled.min() ?? 0, high = scaled.max() ?? 1
            if log { low = low.rounded(.down); high = high.rounded(.up) }
            if high - low < 1e-12 { low -= log ? 1 : Swift.max(1, Swift.abs(low) * 0.1); high += log ? 0 : 1e-9 }
            if !log { high += (high - low) * 0.05 }
            (self.low, self.high, self.log, self.from, self.to) = (low, high, log, from, to)
        }

        func map(_ value: Double) -> Double {
            let v = log ? Glibc.log10(value) : value
            return from + (v - low) / (high - low) * (to - from)
        }

        /// Powers of ten on a log axis; 1, 2 or 5 × 10^k steps, about five, on a linear one.
        var ticks: [Double] {
            if log { return stride(from: low, through: high, by: 1).map { Glibc.pow(10, $0) } }
            let raw = (high - low) / 5
            let power = Glibc.pow(10, Glibc.floor(Glibc.log10(raw)))
            // The nice step nearest the raw one on a log scale: 20.4 → 20, not 50.
            let step = [1.0, 2, 5, 10].map { $0 * power }
                .min { Swift.abs(Glibc.log($0 / raw)) < Swift.abs(Glibc.log($1 / raw)) } ?? raw
            let first = (low / step).rounded(.up) * step
            return stride(from: first, through: high, by: step).map { $0 }
        }
    }
}
