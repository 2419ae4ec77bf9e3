/// The Nelder-Mead simplex minimiser (Nelder & Mead 1965; standard coefficients 1, 2, 1/2, 1/2),
/// for the few smooth parameters of a distance fit. Deterministic.
public enum NelderMead {
    /// Minimises `f` from `start` with initial simplex steps `step`; returns the best point and value.
    public static func minimize(_ f: ([Double]) -> Double, start: [Double], step: [Double],
                         tolerance: Double = 1e-10, maxEvaluations: Int = 400) -> (point: [Double], value: Double) {
        let d = start.count
        var simplex = [start]
        for i in 0..<d { var p = start; p[i] += step[i]; simplex.append(p) }
        var values = simplex.map(f)
        var evaluations = d + 1
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[d] - values[0]) <= tolerance * (abs(values[0]) + 1e-300) { break }
            var centroid = [Double](repeating: 0, count: d)
            for p in simplex.dropLast() { for i in 0..<d { centroid[i] += p[i] / Double(d) } }
            func along(_ t: Double) -> [Double] { (0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) } }
            let reflected = along(-1); let fr = f(reflected); evaluations += 1
            if fr < values[0] {
                let expanded = along(-2); let fe = f(expanded); evaluations += 1
                if fe < fr { simplex[d] = expanded; values[d] = fe } else { simplex[d] = reflected; values[d] = fr }
            } else if fr < values[d - 1] {
                simplex[d] = reflected; values[d] = fr
            } else {
                let contracted = fr < values[d] ? along(-0.5) : along(0.5)
                let fc = f(contracted); evaluations += 1
                if fc < min(fr, values[d]) {
                    simplex[d] = contracted; values[d] = fc
                } else {
                    for k in 1...d {
                        simplex[k] = (0..<d).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = f(simplex[k]); evaluations += 1
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (simplex[best], values[best])
    }
}
