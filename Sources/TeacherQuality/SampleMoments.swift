/// Mean and unbiased (n - 1) variance of a sample: the per-sample risks and gaps of this module.
func sampleMeanVariance(_ v: [Double]) -> (mean: Double, variance: Double) {
    let m = v.reduce(0, +) / Double(v.count)
    return (m, v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1))
}
