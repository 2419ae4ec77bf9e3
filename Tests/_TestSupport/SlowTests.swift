import Foundation
import Testing

/// Whether the slow tests run: `make test` (and so CI) sets `SPECTRALKD_SLOW_TESTS=1`; a bare
/// `swift test` runs the fast suite only (under a minute of test time on 2 cores).
public let slowTestsEnabled = ProcessInfo.processInfo.environment["SPECTRALKD_SLOW_TESTS"] == "1"

extension Trait where Self == ConditionTrait {
    /// A test that takes seconds (Monte Carlo over many seeds, end-to-end commands on the committed
    /// data, mpirun): run by `make test`, skipped by a bare `swift test`.
    public static var slow: Self {
        .enabled(if: slowTestsEnabled, "slow: runs under make test (SPECTRALKD_SLOW_TESTS=1)")
    }
}
