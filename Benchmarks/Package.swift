// swift-tools-version: 6.1
// Micro-benchmarks of SpectralKD's kernels on ordo-one/benchmark: `make bench-kernels`
// (never in CI). A package of its own so the root package and CI never build the benchmark
// framework; it uses the root package through its path.
import PackageDescription

let package = Package(
    name: "SpectralKDBenchmarks",
    dependencies: [
        .package(name: "SpectralKD", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Kernels",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SpectralKDKit", package: "SpectralKD"),
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
