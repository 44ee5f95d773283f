// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "swift-iommufd",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "IOMMUFD", targets: ["IOMMUFD"]),
        .executable(name: "iommufd-harness", targets: ["Harness"]),
        .executable(name: "arm-lane", targets: ["ArmLane"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The uAPI as C declarations (iommufd, VFIO cdev, selftest), size and offset asserts,
        // and thin inline wrappers for what Swift cannot call directly.
        .target(name: "CIOMMUFD"),
        // The typed Swift API, register decoders, payload builders and the syscall backends.
        .target(name: "IOMMUFD", dependencies: ["CIOMMUFD"]),
        // libpci (pciutils) behind thin C wrappers: an error handler that never exits, a
        // non-variadic pci_lookup_name, the dump access method. Debian ships no static libpci.
        .target(name: "CPCI", linkerSettings: [.linkedLibrary("pci")]),
        // libdrm (drmGetDevices2) for the probe's GPU listing.
        .systemLibrary(name: "CDRM", pkgConfig: "libdrm", providers: [.apt(["libdrm-dev"])]),
        // `iommufd-harness probe`: what this host's IOMMUs, devices and GPUs can do.
        .target(name: "HostProbe", dependencies: ["IOMMUFD", "CIOMMUFD", "CPCI", "CDRM"]),
        .executableTarget(
            name: "Harness",
            dependencies: [
                "IOMMUFD",
                "CIOMMUFD",
                "HostProbe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "UAPITests", dependencies: ["IOMMUFD", "CIOMMUFD"]),
        .testTarget(name: "DecoderTests", dependencies: ["IOMMUFD"], exclude: ["Fixtures"]),
        .testTarget(name: "PayloadTests", dependencies: ["IOMMUFD"]),
        .testTarget(name: "IOMMUFDTests", dependencies: ["IOMMUFD", "CIOMMUFD"]),
        .testTarget(name: "ProbeTests", dependencies: ["HostProbe", "IOMMUFD"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelTests", dependencies: ["IOMMUFD", "CIOMMUFD"]),
        // Harness cases run on model targets (the executable module, imported @testable).
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "IOMMUFD"]),
        .executableTarget(name: "ModelBenchmark", dependencies: ["IOMMUFD"]),
        // The remote agent backend against a locally spawned agent (agent/iommufd-agent.c).
        .testTarget(name: "AgentTests", dependencies: ["IOMMUFD", "CIOMMUFD"]),
        // `arm-lane`: drives the arm64 (SMMUv3) guest of scripts/vm/run-arm64 through its agent.
        .executableTarget(name: "ArmLane", dependencies: ["IOMMUFD"]),
    ],
    swiftLanguageModes: [.v6]
)
