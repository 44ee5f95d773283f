import ArgumentParser
import IOMMUFD

@main
struct IOMMUFDHarness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iommufd-harness",
        abstract: "Probe, decode and test the Linux IOMMU user API (iommufd and VFIO cdevs).",
        subcommands: [RunCommand.self, ReplayCommand.self, DifferentialCommand.self, NestCommand.self, LaneCommand.self, DecodeCommand.self, ProbeCommand.self]
    )
}
