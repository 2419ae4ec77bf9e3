import LinearAlgebra

/// The classes an eigenvector of `H` is made of: for chosen eigenvalues, the classes with the
/// largest loadings (entries of the unit eigenvector, sign fixed so the largest is positive).
/// An outlier eigenvalue of `H` is a direction in class space along which the model's outputs
/// co-vary with the labels beyond chance; its loadings say which group of classes that is.
public struct LeadingVectors: Sendable {
    public struct Vector: Sendable {
        public let eigenvalue: Double
        /// `(class, loading)`, largest |loading| first.
        public let loadings: [(classIndex: Int, loading: Double)]
    }

    public let vectors: [Vector]

    /// - Parameters:
    ///   - eigenvalues: the eigenvalues wanted (each matched to the nearest unused eigenvalue of
    ///     the spectrum of H).
    ///   - top: loadings kept per vector.
    /// - Complexity: O(C k) per vector from the spectrum's kept tridiagonal reduction
    ///   (`StructuralSpectrum.eigenvectors`), no second O(C^3) reduction.
    public init(of spectrum: StructuralSpectrum, eigenvalues wanted: [Double], top: Int) throws(LinearAlgebraError) {
        let all = spectrum.eigenvalues
        var used = Set<Int>()
        let indices = wanted.map { target in
            let k = all.indices.filter { !used.contains($0) }.min { abs(all[$0] - target) < abs(all[$1] - target) }!
            used.insert(k)
            return k
        }
        let found = try spectrum.eigenvectors(indices)
        var pairs: [Int: (value: Double, vector: [Double])] = [:]
        for (k, pair) in zip(indices, found) { pairs[k] = pair }
        vectors = indices.map { k in
            var column = pairs[k]!.vector
            if let i = column.indices.max(by: { abs(column[$0]) < abs(column[$1]) }), column[i] < 0 { column = column.map { -$0 } }
            let order = column.indices.sorted { abs(column[$0]) > abs(column[$1]) }.prefix(top)
            return Vector(eigenvalue: pairs[k]!.value, loadings: order.map { ($0, column[$0]) })
        }
    }
}
