// swift-tools-version:5.4
// libFuzzer targets for SpectralKD's file readers, built against ArrayIO alone.
// tools-version 5.4 on purpose: from 5.5 on SwiftPM renames an executable's entry point to
// `<Target>_main`, which a `-parse-as-library` fuzz target does not define (see README "Fuzzing").
// Build and run with `make fuzz` from the repository root.
import PackageDescription

let arrayIO = Target.Dependency.product(name: "ArrayIO", package: "SpectralKD")

let package = Package(
    name: "SpectralKDFuzz",
    dependencies: [.package(name: "SpectralKD", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [arrayIO], path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzNPY", dependencies: ["FuzzSupport", arrayIO]),
        .executableTarget(name: "FuzzNPZ", dependencies: ["FuzzSupport", arrayIO]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", arrayIO]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", arrayIO]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", arrayIO]),
    ]
)
