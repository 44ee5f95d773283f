import ArgumentParser
import IOMMUFD

/// `iommufd-harness lane`: what the real-kernel VM lane runs in the guest. Group 1: every case
/// on the kernel's selftest mock; group 2: the device cases on the VFIO device named. One KTAP
/// document with a nested suite per group.
struct LaneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lane",
        abstract: "Run the suite as the VM lane does: the selftest mock, then a real VFIO device, as nested KTAP.",
        discussion: """
        Needs a kernel with iommufd (and CONFIG_IOMMUFD_TEST for group 1). Group 2 needs \
        --device or --pci naming a device bound to vfio-pci (in the lane: QEMU's edu device).

        Example (in the lane's guest):
          iommufd-harness lane --pci 0000:00:03.0
        """
    )

    @OptionGroup var target: TargetOptions

    func run() throws {
        var options = target
        options.backend = options.backend == .auto ? .kernel : options.backend
        let resolved = try options.resolve()
        defer { options.finish(resolved.target) }
        let mockCases = allCases.filter { !$0.needs.contains(.device) }
        let deviceCases = allCases.filter { $0.needs.contains(.device) }
        let groups: [(String, [TestCase])] = [("selftest_mock", mockCases), ("vfio_device", deviceCases)]
        emit("KTAP version 1")
        emit("# iommufd-harness lane: \(resolved.banner)")
        emit("1..\(groups.count)")
        var failed = false
        for (number, group) in groups.enumerated() {
            let reporter = KTAPReporter(indent: "    ")
            reporter.header(count: group.1.count, title: group.0)
            let results = Runner(target: resolved.target, cases: group.1).run { index, result in
                reporter.line(number: index + 1, result)
            }
            reporter.totals(results)
            let totals = Totals(results)
            failed = failed || totals.fail > 0
            if totals.fail > 0 {
                emit("not ok \(number + 1) \(group.0)")
            } else if totals.pass == 0 {
                emit("ok \(number + 1) \(group.0) # SKIP nothing ran: \(results.first.map { "\($0.outcome)" } ?? "no cases")")
            } else {
                emit("ok \(number + 1) \(group.0)")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
