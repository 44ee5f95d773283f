import HostProbe
import IOMMUFD

/// `probe --verify`: holds each verdict probe gave a VFIO device against what the kernel then
/// does: bind the cdev, allocate a NEST_PARENT HWPT and a DIRTY_TRACKING HWPT, and read the
/// PASID width hw_info reports.
/// A "yes" must succeed, a "no" must fail; an "unknown" is skipped. Everything made is destroyed
/// again, and no driver binding changes.
struct ProbeVerification {
    struct Check {
        var device: String
        var verdict: String
        var outcome: Outcome
    }

    let report: ProbeReport
    let iommuPath: String

    /// The devices to check: those named, else every device with a VFIO cdev.
    func run(only address: PCIAddress?) -> [Check] {
        var checks: [Check] = []
        for device in report.devices where device.cdev != nil && (address == nil || device.address == address) {
            checks += verify(device)
        }
        return checks
    }

    private func verify(_ device: DeviceReport) -> [Check] {
        let name = device.address.description
        let path = device.cdev!.node.path
        let verdicts = device.verdicts
        var checks: [Check] = []
        func record(_ verdict: String, _ outcome: Outcome) { checks.append(Check(device: name, verdict: verdict, outcome: outcome)) }

        /// Binds the device to a fresh iommufd and runs `attempt` when `verdict` has an answer;
        /// the kernel must do it exactly when the verdict says yes. `attempt` returns nil when
        /// the kernel did what was asked, else why not; a failing call counts as a refusal.
        func check(_ label: String, _ verdict: Verdict, _ attempt: (IOMMUFD, VFIODevice) throws -> String? = { _, _ in nil }) {
            guard let expected = verdict.answer else {
                record(label, .skip("probe says unknown: \(verdict.reasons.joined(separator: "; "))"))
                return
            }
            let said = "probe said \(verdict.word)\(verdict.reasons.isEmpty ? "" : " (\(verdict.reasons.joined(separator: "; ")))")"
            let refusal: String?
            do {
                let context = try IOMMUFD(path: iommuPath)
                let vfio = try VFIODevice(path: path)
                try vfio.bind(to: context)
                refusal = try attempt(context, vfio)
            } catch {
                refusal = "\(error)"
            }
            switch (expected, refusal) {
            case (true, nil), (false, _?): record(label, .pass)
            case (true, let why?): record(label, .fail("\(said), but the kernel refused: \(why)"))
            case (false, nil): record(label, .fail("\(said), but the kernel allowed it"))
            }
        }

        check("bind", verdicts.bind)
        check("nest_parent", verdicts.nestParent) { context, vfio in
            let ioas = try context.allocIOAS()
            _ = try context.allocHWPT(device: vfio, ioas: ioas, flags: .nestParent)
            return nil
        }
        check("dirty_tracking", verdicts.dirtyTracking) { context, vfio in
            let ioas = try context.allocIOAS()
            _ = try context.allocHWPT(device: vfio, ioas: ioas, flags: .dirtyTracking)
            return nil
        }
        // The kernel accepts a PASID attach even for a device without PASIDs (the core skips
        // such devices), so the evidence is the PASID width the kernel gives the device.
        check("pasid", verdicts.pasid) { _, vfio in
            try vfio.hwInfo().maxPASIDLog2 > 0 ? nil : "IOMMU_GET_HW_INFO reports out_max_pasid_log2 0: no PASIDs for this device"
        }
        return checks
    }
}
