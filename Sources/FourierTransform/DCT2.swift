import CFFTW3

/// The unnormalised type-II discrete cosine transform (FFTW `REDFT10`):
/// `X_k = 2 sum_{n} x_n cos(pi k (2n + 1) / (2N))`, equal to `scipy.fft.dct(x, type=2)`.
///
/// Used by the Improved Sheather-Jones bandwidth (docs/theory.md §4). One instance per thread;
/// the plan is created under `fftwPlannerLock`.
public final class DCT2 {
    public let length: Int
    private let input: UnsafeMutablePointer<Double>
    private let output: UnsafeMutablePointer<Double>
    private let plan: fftw_plan

    /// - Precondition: `length >= 1`.
    public init(length: Int) {
        precondition(length >= 1, "DCT2 length must be positive, got \(length)")
        self.length = length
        let inBuffer = fftw_alloc_real(length)!
        let outBuffer = fftw_alloc_real(length)!
        input = inBuffer
        output = outBuffer
        plan = withPlannerLock {
            fftw_plan_r2r_1d(Int32(length), inBuffer, outBuffer, FFTW_REDFT10, UInt32(FFTW_ESTIMATE))!
        }
    }

    deinit {
        withPlannerLock { fftw_destroy_plan(plan) }
        fftw_free(input)
        fftw_free(output)
    }

    /// The transform of `x` (`x.count == length`).
    ///
    /// - Complexity: O(n log n).
    public func callAsFunction(_ x: [Double]) -> [Double] {
        precondition(x.count == length, "DCT2: expected \(length) values, got \(x.count)")
        for i in 0..<length { input[i] = x[i] }
        fftw_execute(plan)
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
