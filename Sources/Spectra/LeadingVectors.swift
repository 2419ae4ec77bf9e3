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
    ///   - eigenvalues: the eigenvalues wanted (matched to the nearest eigenvalue of `h`).
    ///   - top: loadings kept per vector.
    /// - Complexity: one full `dsyevd` with vectors, O(C^3).
    public init(of h: SquareMatrix, eigenvalues wanted: [Double], top: Int) throws(LinearAlgebraError) {
        let (values, vectors) = try SymmetricEigen.decomposition(of: h)
        let c = h.order
        var used = Set<Int>()
        self.vectors = wanted.map { target in
            let k = values.indices.filter { !used.contains($0) }.min { abs(values[$0] - target) < abs(values[$1] - target) }!
            used.insert(k)
            var column = (0..<c).map { vectors[$0, k] }
            if let i = column.indices.max(by: { abs(column[$0]) < abs(column[$1]) }), column[i] < 0 { column = column.map { -$0 } }
            let order = column.indices.sorted { abs(column[$0]) > abs(column[$1]) }.prefix(top)
            return Vector(eigenvalue: values[k], loadings: order.map { ($0, column[$0]) })
        }
    }
}
