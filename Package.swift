// swift-tools-version: 6.0
// SpectralKD: random matrix theory for knowledge distillation.
// Layering (dependencies point downward only; see README "Architecture"):
//   NumericSupport (parallel loops, optimisers, roots, quantiles: pure Swift, at the bottom)
//   C system libraries -> LinearAlgebra / FourierTransform / MessagePassing (thin Swift layers)
//   ArrayIO (file formats; zlib only, no C numerics)        Spectra (H and Hhat, docs/theory.md §1)
//   Reporting (SVG/HTML from computed numbers, Foundation only)
//   Pipelines (the only place IO meets numerics) -> SpectralKDCLI (parse, validate, call a pipeline)
import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let complexModule = Target.Dependency.product(name: "ComplexModule", package: "swift-numerics")
let realModule = Target.Dependency.product(name: "RealModule", package: "swift-numerics")
// Randomised property tests (writer -> reader round trips, accumulator merges over random splits).
let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")

let package = Package(
    name: "SpectralKD",
    products: [
        .library(name: "SpectralKDKit", targets: ["SpectralKDKit"]),
        .library(name: "ArrayIO", targets: ["ArrayIO"]),
        .executable(name: "spectralkd", targets: ["SpectralKDCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        // C, module maps only.
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CFFTW3", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        // Fused float32 row kernels (softmax with its per-row statistics, scatter-add), one clone
        // per instruction set chosen at load time: the spectrum's O(N C) pass.
        .target(name: "CRowKernels", exclude: ["README.md"]),
        // The bottom Swift layer: parallel loops (one thread setting), optimisers, roots, quantiles.
        .target(name: "NumericSupport", dependencies: [complexModule, realModule], exclude: ["README.md"]),
        // Thin Swift layers over C: nothing else touches C types.
        .target(name: "LinearAlgebra", dependencies: ["NumericSupport", "CBLAS", "CLAPACKE"], exclude: ["README.md"]),
        .target(name: "FourierTransform", dependencies: ["CFFTW3"], exclude: ["README.md"]),
        // Ranks of an mpirun launch (Open MPI), for sharded logs.
        .target(name: "MessagePassing", dependencies: ["CMPI"], exclude: ["README.md"]),
        // File formats: no C numerics, so the parsers can be fuzzed alone.
        .target(name: "ArrayIO", dependencies: ["NumericSupport", "CZlib"], exclude: ["README.md"]),
        // Mathematics: no file IO.
        .target(name: "Spectra", dependencies: ["NumericSupport", "LinearAlgebra", "CRowKernels"], exclude: ["README.md"]),
        .target(name: "DensityEstimation", dependencies: ["NumericSupport", "FourierTransform"], exclude: ["README.md"]),
        .target(name: "Laws", dependencies: ["NumericSupport", complexModule, realModule], exclude: ["README.md"]),
        .target(name: "Ensembles", dependencies: ["NumericSupport", "Laws", "LinearAlgebra", "Spectra"], exclude: ["README.md"]),
        .target(name: "Fitting", dependencies: ["NumericSupport", "Laws", "LinearAlgebra", "Ensembles"], exclude: ["README.md"]),
        .target(name: "Distillation", dependencies: ["NumericSupport", "Fitting", "Laws", "Ensembles"], exclude: ["README.md"]),
        // The companion theories of distillation (docs/companions.md).
        .target(name: "TeacherQuality", exclude: ["README.md"]),
        .target(name: "LinearDistillation", dependencies: ["Laws", "LinearAlgebra", "Ensembles"], exclude: ["README.md"]),
        .target(name: "WideNetworks", dependencies: ["LinearAlgebra", "Ensembles"], exclude: ["README.md"]),
        // Pictures and pages from computed numbers: Foundation only.
        .target(name: "Reporting", exclude: ["README.md"]),
        // Glue and entry points.
        .target(name: "Pipelines", dependencies: ["NumericSupport", "CCrypto", "ArrayIO", "LinearAlgebra", "MessagePassing", "Reporting", "Spectra", "DensityEstimation", "Laws", "Ensembles", "Fitting", "Distillation", "TeacherQuality", "LinearDistillation", "WideNetworks"], exclude: ["README.md"]),
        .target(name: "SpectralKDKit", dependencies: ["NumericSupport", "ArrayIO", "Spectra", "LinearAlgebra", "FourierTransform", "DensityEstimation",
                                                      "Laws", "Ensembles", "Fitting", "Distillation", "TeacherQuality", "LinearDistillation",
                                                      "WideNetworks", "Reporting"]),
        .executableTarget(name: "SpectralKDCLI", dependencies: ["Pipelines", "MessagePassing", "WideNetworks", argumentParser]),
        // Tests.
        .target(name: "_TestSupport", dependencies: ["LinearAlgebra"], path: "Tests/_TestSupport"),
        .testTarget(name: "NumericSupportTests", dependencies: ["NumericSupport", "_TestSupport", complexModule]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "_TestSupport"]),
        .testTarget(name: "FourierTransformTests", dependencies: ["FourierTransform", "_TestSupport"]),
        .testTarget(name: "ArrayIOTests", dependencies: ["ArrayIO", "_TestSupport", propertyBased], resources: [.copy("Fixtures")]),
        .testTarget(name: "SpectraTests", dependencies: ["Spectra", "CRowKernels", "LinearAlgebra", "_TestSupport", propertyBased]),
        .testTarget(name: "DensityEstimationTests", dependencies: ["DensityEstimation", "_TestSupport"]),
        .testTarget(name: "LawsTests", dependencies: ["Laws", "NumericSupport", "_TestSupport", complexModule, realModule], exclude: ["Fixtures"]),
        .testTarget(name: "EnsemblesTests", dependencies: ["Ensembles", "_TestSupport"]),
        .testTarget(name: "DistillationTests", dependencies: ["Distillation", "_TestSupport"]),
        .testTarget(name: "FittingTests", dependencies: ["Fitting", "Ensembles", "Laws", "LinearAlgebra", "Spectra", "_TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "_TestSupport"]),
        .testTarget(name: "TeacherQualityTests", dependencies: ["TeacherQuality", "Ensembles", "_TestSupport"]),
        .testTarget(name: "WideNetworksTests", dependencies: ["WideNetworks", "LinearAlgebra", "ArrayIO", "_TestSupport"]),
        .testTarget(name: "LinearDistillationTests", dependencies: ["LinearDistillation", "Ensembles", "_TestSupport"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "ArrayIO", "Spectra", "Distillation", "_TestSupport", propertyBased],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["SpectralKDCLI", "ArrayIO", "Distillation", "Ensembles", "_TestSupport"], exclude: ["Golden"]),
    ]
)
