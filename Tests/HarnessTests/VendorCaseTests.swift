import Testing
@testable import Harness
import IOMMUFD

// The harness's vendor cases on model targets with the vendor profiles: each case must pass, or
// skip only where the profile's registers say it cannot run.

/// A model target with one PCI device (QEMU's edu at 0000:00:03.0, /dev/vfio/devices/vfio0).
private func modelTarget(_ profile: ModelProfile, pasidWidth: UInt8 = 0) throws -> Target {
    let device = ModelDevice(pciAddress: "0000:00:03.0", pasidWidth: pasidWidth)
    return try Target(name: "model", backend: ModelBackend(profile: profile, devices: [device]),
                      devicePaths: ["/dev/vfio/devices/vfio0"], modelProfile: profile, modelDevices: [device])
}

/// Runs the vendor cases; returns the outcome by case name.
private func runVendorCases(_ target: Target) -> [String: Outcome] {
    let results = Runner(target: target, cases: vendorCases + vtdNestedCases).run { _, _ in }
    return Dictionary(uniqueKeysWithValues: results.map { ($0.testCase.name, $0.outcome) })
}

private func isSkip(_ outcome: Outcome?, containing text: String) -> Bool {
    if case .skip(let reason)? = outcome { return reason.contains(text) }
    return false
}

@Suite("Harness vendor cases on the model") struct VendorCaseTests {
    static let nestedCaseNames = vtdNestedCases.map(\.name) + ["vendor.vtd_nested_stage1"]

    /// Sapphire Rapids can nest and track dirty pages: every VT-d case passes, except the sysfs
    /// comparison, which has no sysfs on the model.
    @Test func sapphireRapids() throws {
        let outcomes = runVendorCases(try modelTarget(.sapphireRapidsVTD))
        for (name, outcome) in outcomes where name != "hwinfo.vtd_matches_sysfs" {
            #expect(outcome == .pass, "\(name): \(outcome)")
        }
        #expect(isSkip(outcomes["hwinfo.vtd_matches_sysfs"], containing: "software model"))
    }

    /// The QEMU units cannot nest: the register-driven cases pass (NEST_PARENT refused, dirty
    /// refused), the nested ones skip naming ecap.NEST.
    @Test(arguments: [ModelProfile.qemuVTD, .qemuVTDScalable, .qemu11VTDPASID])
    func qemu(_ profile: ModelProfile) throws {
        let outcomes = runVendorCases(try modelTarget(profile, pasidWidth: 8))
        #expect(outcomes["vendor.vtd_nest_parent_follows_ecap"] == .pass)
        #expect(outcomes["vendor.vtd_dirty_follows_capability"] == .pass)
        #expect(isSkip(outcomes["hwinfo.vtd_matches_sysfs"], containing: "software model"))
        for name in Self.nestedCaseNames {
            #expect(isSkip(outcomes[name], containing: "ecap.NEST"), "\(name): \(String(describing: outcomes[name]))")
        }
    }

    /// intel_iommu=sm_off on a unit that could nest: the target takes scalable mode from the
    /// profile, not from this host's /proc/cmdline, so NEST_PARENT is expected to be refused.
    @Test func scalableModeOff() throws {
        let off = ModelProfile.intelVTD(cap: 0x19ed_008c_4078_0c66, ecap: 0x3_ee9e_86f0_50df, scalableMode: false, name: "spr-sm-off")
        let outcomes = runVendorCases(try modelTarget(off))
        #expect(outcomes["vendor.vtd_nest_parent_follows_ecap"] == .pass)
        #expect(outcomes["vendor.vtd_dirty_follows_capability"] == .pass)
        for name in Self.nestedCaseNames {
            #expect(isSkip(outcomes[name], containing: "scalable mode is off"), "\(name): \(String(describing: outcomes[name]))")
        }
    }

    /// A unit without SRS, EAFS and FL5LP: the stage-1 cases expect the refusals and pass.
    @Test func nestingUnitWithoutOptionalFeatures() throws {
        let profile = ModelProfile.intelVTD(cap: 0x19ed_008c_4078_0c66 & ~(1 << 60),
                                            ecap: 0x3_ee9e_86f0_50df & ~((1 << 31) | (1 << 34)), name: "spr-minus")
        let outcomes = runVendorCases(try modelTarget(profile))
        for name in Self.nestedCaseNames {
            #expect(outcomes[name] == .pass, "\(name): \(String(describing: outcomes[name]))")
        }
    }

    /// On an AMD target the VT-d cases do not run.
    @Test func amd() throws {
        let target = try modelTarget(.amdEPYC)
        for testCase in vendorCases + vtdNestedCases {
            #expect(target.unmet(testCase.needs) != nil, "\(testCase.name)")
        }
    }
}

@Suite("Harness suite on every built-in profile") struct VendorProfileSuiteTests {
    /// Every case of the suite on the model target `run --backend model --profile NAME` builds,
    /// for each built-in profile: none fails (those that need what the profile lacks skip).
    @Test(arguments: ModelProfile.builtIn)
    func noCaseFails(_ profile: ModelProfile) throws {
        let target = try ModelTarget.make(devicePaths: [], profile: profile) { $0 }.target
        let results = Runner(target: target, cases: allCases).run { _, _ in }
        for result in results {
            if case .fail(let message) = result.outcome {
                Issue.record("\(profile.name): \(result.testCase.name): \(message)")
            }
        }
        #expect(results.filter { $0.outcome == .pass }.count >= 25, "\(profile.name): too few cases ran")
    }

    /// The vendor profiles put a device behind their IOMMU, so the device cases run; the
    /// selftest profile has only mock devices, as a test kernel has.
    @Test func vendorProfilesRunTheDeviceCases() throws {
        for profile in ModelProfile.builtIn {
            let target = try ModelTarget.make(devicePaths: [], profile: profile) { $0 }.target
            let ran = Runner(target: target, cases: allCases.filter { $0.name == "device.attach_detach" }).run { _, _ in }
            if profile == .selftest || profile == .gem5SMMUv3 {
                #expect(ran.allSatisfy { if case .skip = $0.outcome { true } else { false } }, "\(profile.name)")
            } else {
                #expect(ran.allSatisfy { $0.outcome == .pass }, "\(profile.name): \(ran.map(\.outcome))")
            }
        }
    }
}
