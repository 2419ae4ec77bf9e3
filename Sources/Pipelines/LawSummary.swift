import ArrayIO
import Laws

extension GeneralizedMarchenkoPastur {
    /// The law's parameters and derived quantities as ordered JSON pairs (shared by `density` and `fit`).
    var summaryPairs: [(String, JSONValue)] {
        [("q", .double(q)), ("scale", .double(scale)), ("correlation", .double(correlation)),
         ("mean", .double(mean)), ("variance", .double(variance)), ("third_central_moment", .double(thirdCentralMoment)),
         ("support", .array(supportIntervals.map { .array([.double($0.lowerBound), .double($0.upperBound)]) })),
         ("atom", .double(atom))]
    }

    /// CSV `x,density` on `xs`.
    func densityCSV(_ xs: [Double]) -> [UInt8] { Writers.csv(header: ["x", "density"], columns: [xs, density(xs)]) }
}
