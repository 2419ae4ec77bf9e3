/// Quickselect (Hoare 1961) with median-of-three pivots: puts the element of the given rank in
/// place, smaller ones before it and larger ones after, like `numpy.partition`.
enum Selection {
    /// - Complexity: O(n) expected.
    static func select(_ a: inout [Double], rank: Int) -> Double {
        precondition(rank >= 0 && rank < a.count, "rank out of range")
        var low = 0, high = a.count - 1
        a.withUnsafeMutableBufferPointer { v in
            while high > low {
                let mid = low + (high - low) / 2
                if v[mid] < v[low] { v.swapAt(mid, low) }
                if v[high] < v[low] { v.swapAt(high, low) }
                if v[high] < v[mid] { v.swapAt(high, mid) }
                let pivot = v[mid]
                var i = low, j = high
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
                }
                if rank <= j { high = j } else if rank >= i { low = i } else { break }
            }
        }
        return a[rank]
    }
}
