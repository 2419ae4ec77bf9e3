/// What a zero-shot estimator of `chi` (no pilot runs) was measured to achieve, so that every
/// zero-shot prediction states its expected error instead of looking as good as a calibrated one.
/// The numbers are leave-one-out MAEs measured on SpectralKD's two committed sweeps by
/// `spectralkd evaluate --runs data/runs/SWEEP.csv --chi-estimator ESTIMATOR [logs]`;
/// `ZeroShotRecordTests` recomputes them from the committed data and fails if they drift.
public struct ZeroShotRecord: Sendable {
    public struct Measurement: Sendable {
        public let sweep: String
        public let maePoints: Double
        public let noChangeMAEPoints: Double
    }

    public let estimator: String
    public let measurements: [Measurement]

    /// `chi = e_t / e_b`: the dual-weight interpolation.
    public static let teacherMargin = ZeroShotRecord(estimator: "teacher-margin", measurements: [
        Measurement(sweep: "data/runs/sweep.csv", maePoints: 1.4915, noChangeMAEPoints: 4.4256),
        Measurement(sweep: "data/runs/sweep_deep.csv", maePoints: .nan, noChangeMAEPoints: .nan),
    ])

    /// `chi = Tr H(A_s, A_t) / Tr H(A_s, Y)` from a baseline student's and the teacher's test logits.
    public static let argmaxAgreement = ZeroShotRecord(estimator: "argmax-agreement", measurements: [
        Measurement(sweep: "data/runs/sweep.csv", maePoints: .nan, noChangeMAEPoints: 4.4256),
        Measurement(sweep: "data/runs/sweep_deep.csv", maePoints: .nan, noChangeMAEPoints: .nan),
    ])

    /// One line for stderr, JSON warnings and the report.
    public var statement: String {
        let parts = measurements.map { m in
            "MAE \(Self.points(m.maePoints)) points on \(m.sweep) (no change: \(Self.points(m.noChangeMAEPoints)))"
        }
        return "zero-shot chi (\(estimator)) was measured at " + parts.joined(separator: " and ")
            + "; one pilot run does much better (spectralkd predict --pilots)"
    }

    static func points(_ v: Double) -> String {
        let scaled = (v * 100).rounded() / 100
        return scaled.isFinite ? String(scaled) : "n/a"
    }
}
