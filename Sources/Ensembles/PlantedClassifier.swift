import Foundation
import Spectra

/// Planted classifier outputs (docs/theory.md §3): a student whose top class is the true label with
/// probability `accuracy` (else a uniformly random other class), and optionally a teacher with
/// its own accuracy and a chosen student-teacher agreement (share of rows with the same top class).
///
/// A row's logits are i.i.d. standard normal with the largest moved onto the planted top class,
/// and `P = softmax(logits / temperature)`: the remaining weight is spread over the other classes.
///
/// With a teacher: the teacher is right with probability `teacherAccuracy`; the student copies its
/// top class with probability `agreement`, otherwise it picks the true label with the probability
/// `p` that makes the student's accuracy come out right,
/// `accuracy = teacherAccuracy agreement + (1 - teacherAccuracy)(1 - agreement) p`, else a class
/// differing from both.
public struct PlantedClassifier: Sendable {
    public let classes: Int
    public let accuracy: Double
    public let temperature: Double
    public let teacherAccuracy: Double?
    public let agreement: Double?
    public let teacherTemperature: Double
    /// Planted class structure (docs/theory.md §2.6): `groups` groups of `size` consecutive
    /// classes; a row whose label is in a group has `strength` added to the logits of that
    /// group's classes before the top class is placed. It gives H a rank-`groups` spike.
    public var spikes: (groups: Int, size: Int, strength: Double)?

    public enum Infeasible: Error, CustomStringConvertible, Equatable {
        case targets(String)
        public var description: String { if case let .targets(s) = self { return s }; return "" }
    }

    /// - Throws: `Infeasible` when no joint distribution has these accuracies and agreement.
    public init(classes: Int, accuracy: Double, temperature: Double, teacherAccuracy: Double? = nil, agreement: Double? = nil,
                teacherTemperature: Double? = nil) throws(Infeasible) {
        guard classes >= 3 else { throw .targets("planted classifiers need at least 3 classes") }
        guard (0...1).contains(accuracy), temperature > 0 else { throw .targets("accuracy must lie in [0, 1] and temperature be positive") }
        if (teacherAccuracy == nil) != (agreement == nil) { throw .targets("teacher accuracy and agreement go together") }
        if let at = teacherAccuracy, let ag = agreement {
            guard (0...1).contains(at), (0...1).contains(ag) else { throw .targets("teacher accuracy and agreement must lie in [0, 1]") }
            let p = Self.correctWhenDisagreeing(accuracy: accuracy, teacherAccuracy: at, agreement: ag)
            guard let p, p >= -1e-12, p <= 1 + 1e-12 else {
                throw .targets("accuracy \(accuracy) cannot be reached with teacher accuracy \(at) and agreement \(ag): need teacher_accuracy x agreement <= accuracy <= teacher_accuracy x agreement + (1 - teacher_accuracy)(1 - agreement)")
            }
        }
        self.classes = classes
        self.accuracy = accuracy
        self.temperature = temperature
        self.teacherAccuracy = teacherAccuracy
        self.agreement = agreement
        self.teacherTemperature = teacherTemperature ?? temperature
    }

    static func correctWhenDisagreeing(accuracy: Double, teacherAccuracy at: Double, agreement ag: Double) -> Double? {
        let room = (1 - at) * (1 - ag)
        if room == 0 { return abs(accuracy - at * ag) < 1e-12 ? 0 : nil }
        return (accuracy - at * ag) / room
    }

    /// The top classes of a row: `(student, teacher?)`.
    public func topClasses(label y: Int, using rng: inout Xoshiro256StarStar) -> (student: Int, teacher: Int?) {
        // A uniform class other than `a` and `b` (pass `b = a` to exclude one), by rejection.
        func other(than a: Int, _ b: Int) -> Int {
            while true {
                let k = rng.integer(below: classes)
                if k != a && k != b { return k }
            }
        }
        guard let at = teacherAccuracy, let ag = agreement else {
            return (rng.uniform() < accuracy ? y : other(than: y, y), nil)
        }
        let t = rng.uniform() < at ? y : other(than: y, y)
        if rng.uniform() < ag { return (t, t) }
        if t == y { return (other(than: y, y), t) }
        let p = Self.correctWhenDisagreeing(accuracy: accuracy, teacherAccuracy: at, agreement: ag) ?? 0
        return (rng.uniform() < p ? y : other(than: y, t), t)
    }

    /// Writes `softmax(logits / temperature)` for one row into `row`, with the top at `top`;
    /// the raw logits go to `scores` (for an argmax over them).
    public func fillRow(top: Int, temperature: Double, row: UnsafeMutablePointer<Double>, scores: UnsafeMutablePointer<Double>,
                        label: Int? = nil, using rng: inout Xoshiro256StarStar) {
        for j in 0..<classes { scores[j] = rng.normal() }
        if let spikes, let label, label / spikes.size < spikes.groups {
            let g = label / spikes.size
            for j in (g * spikes.size)..<min(classes, (g + 1) * spikes.size) { scores[j] += spikes.strength }
        }
        var best = 0
        for j in 1..<classes where scores[j] > scores[best] { best = j }
        scores.swapAt(best, top)
        Softmax.logitsToProbabilities(from: scores, into: row, columns: classes, temperature: temperature)
    }
}

private extension UnsafeMutablePointer where Pointee == Double {
    func swapAt(_ i: Int, _ j: Int) { let t = self[i]; self[i] = self[j]; self[j] = t }
}
