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
        /// Mean held-out MAE of the default formula fitted on one pilot (all 1-pilot sets).
        public let onePilotMAEPoints: Double
    }

    public let estimator: String
    public let measurements: [Measurement]

    /// `chi = e_t / e_b`: the dual-weight interpolation. (Not a "leave-one-out" fit: nothing is
    /// fitted; it is evaluated on every configuration.)
    public static let teacherMargin = ZeroShotRecord(estimator: "teacher-margin", measurements: [
        Measurement(sweep: "data/runs/sweep.csv", maePoints: 1.2592, noChangeMAEPoints: 4.6514, onePilotMAEPoints: 0.7514),
        Measurement(sweep: "data/runs/sweep_deep.csv", maePoints: 0.6459, noChangeMAEPoints: 1.7420, onePilotMAEPoints: 0.5116),
    ])

    /// `chi = Tr H(A_s, A_t) / Tr H(A_s, Y)` from a baseline student's and the teacher's test logits.
    public static let argmaxAgreement = ZeroShotRecord(estimator: "argmax-agreement", measurements: [
        Measurement(sweep: "data/runs/sweep.csv", maePoints: 3.5340, noChangeMAEPoints: 4.6514, onePilotMAEPoints: 0.7514),
        Measurement(sweep: "data/runs/sweep_deep.csv", maePoints: 9.7073, noChangeMAEPoints: 1.7420, onePilotMAEPoints: 0.5116),
    ])

    /// One line for stderr, JSON warnings and the report.
    public var statement: String {
        let parts = measurements.map { m in
            "MAE \(Self.points(m.maePoints)) points on \(m.sweep) (no change \(Self.points(m.noChangeMAEPoints)), one pilot \(Self.points(m.onePilotMAEPoints)))"
        }
        return "zero-shot chi (\(estimator)) was measured at " + parts.joined(separator: " and ")
            + "; a pilot run calibrates chi (spectralkd predict --pilots)"
    }

    static func points(_ v: Double) -> String {
        let scaled = (v * 100).rounded() / 100
        return scaled.isFinite ? String(scaled) : "n/a"
    }
}
