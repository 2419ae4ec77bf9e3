import Foundation

/// FFTW's planner is not thread-safe: every plan creation and destruction in SpectralKD
/// happens under this one lock. Executing an existing plan needs no lock.
let fftwPlannerLock = NSLock()

/// Runs `body` while holding the planner lock.
@inline(__always)
func withPlannerLock<T>(_ body: () -> T) -> T {
    fftwPlannerLock.lock()
    defer { fftwPlannerLock.unlock() }
    return body()
}
