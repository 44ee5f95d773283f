// drivers/iommu/iommu.c, the parts iommufd relies on: attaching a domain to a whole group (RID)
// or to one PASID of every PASID-capable device of a group, replacing and detaching, with the
// group's domain and pasid_array as the state.

enum IOMMUCore {
    /// `__iommu_group_set_domain`: `attach_dev` for each device of the group; on failure the
    /// devices already moved go back to the old domain.
    private static func setGroupDomain(_ group: IOMMUGroup, _ new: IOMMUDomain, old: IOMMUDomain?, env: ModelEnv) -> Errno? {
        let back = old ?? env.driver.blockedDomain
        var done: [PhysicalDevice] = []
        for dev in group.devices {
            if let e = new.attachDev(dev, old: old) {
                for d in done { _ = back.attachDev(d, old: new) }
                return e
            }
            done.append(dev)
        }
        group.pasidDomains[K.noPASID] = new.kind == .blocked ? nil : new
        return nil
    }

    /// `iommu_attach_group_handle` / `__iommu_attach_group`: the group must be on its blocking
    /// (or default) domain (EBUSY), and the domain from this device's driver (EINVAL).
    static func attachGroup(_ domain: IOMMUDomain, _ group: IOMMUGroup, env: ModelEnv) -> Errno? {
        if group.pasidDomains[K.noPASID] != nil { return .EBUSY }
        if domain.driver !== env.driver { return .EINVAL }
        return setGroupDomain(group, domain, old: nil, env: env)
    }

    /// `iommu_replace_group_handle`.
    static func replaceGroup(_ group: IOMMUGroup, _ domain: IOMMUDomain, env: ModelEnv) -> Errno? {
        if env.shouldFail() { return .ENOMEM }  // xa_reserve of the handle
        let old = group.pasidDomains[K.noPASID]
        if old === domain { return nil }
        return setGroupDomain(group, domain, old: old, env: env)
    }

    /// `iommu_detach_group_handle`: back to the blocking domain.
    static func detachGroup(_ group: IOMMUGroup, env: ModelEnv) {
        let old = group.pasidDomains[K.noPASID]
        let blocked = env.driver.blockedDomain
        for dev in group.devices { _ = blocked.attachDev(dev, old: old) }
        group.pasidDomains[K.noPASID] = nil
    }

    /// `__iommu_set_group_pasid`: `set_dev_pasid` on every PASID-capable device of the group,
    /// rolled back on failure.
    private static func setGroupPasid(_ domain: IOMMUDomain, _ group: IOMMUGroup, _ pasid: UInt32,
                                      old: IOMMUDomain?, env: ModelEnv) -> Errno? {
        var done: [PhysicalDevice] = []
        for dev in group.devices where dev.maxPasids > 0 {
            if let e = domain.setDevPasid(dev, pasid: pasid, old: old) {
                for d in done {
                    if old == nil || old!.setDevPasid(d, pasid: pasid, old: domain) != nil {
                        _ = env.driver.blockedDomain.setDevPasid(d, pasid: pasid, old: domain)
                    }
                }
                return e
            }
            done.append(dev)
        }
        return nil
    }

    /// `iommu_attach_device_pasid`: the domain needs `set_dev_pasid` (EOPNOTSUPP); PASID 0 or a
    /// foreign domain is EINVAL; the PASID must fit every PASID-capable device of the group
    /// (EINVAL); an attached PASID is EBUSY.
    static func attachDevicePasid(_ domain: IOMMUDomain, _ dev: PhysicalDevice, _ pasid: UInt32, env: ModelEnv) -> Errno? {
        if !domain.supportsSetDevPasid || !env.driver.blockedDomain.supportsSetDevPasid { return .EOPNOTSUPP }
        if domain.driver !== env.driver || pasid == K.noPASID { return .EINVAL }
        let group = dev.group
        for d in group.devices where d.maxPasids > 0 && pasid >= d.maxPasids { return .EINVAL }
        if group.pasidDomains[pasid] != nil { return .EBUSY }
        if env.shouldFail() { return .ENOMEM }
        if let e = setGroupPasid(domain, group, pasid, old: nil, env: env) { return e }
        group.pasidDomains[pasid] = domain
        return nil
    }

    /// `iommu_replace_device_pasid`: a PASID with nothing attached is EINVAL.
    static func replaceDevicePasid(_ domain: IOMMUDomain, _ dev: PhysicalDevice, _ pasid: UInt32, env: ModelEnv) -> Errno? {
        if !domain.supportsSetDevPasid { return .EOPNOTSUPP }
        if domain.driver !== env.driver || pasid == K.noPASID { return .EINVAL }
        if env.shouldFail() { return .ENOMEM }
        let group = dev.group
        guard let cur = group.pasidDomains[pasid] else { return .EINVAL }
        if cur !== domain, let e = setGroupPasid(domain, group, pasid, old: cur, env: env) { return e }
        group.pasidDomains[pasid] = domain
        return nil
    }

    /// `iommu_detach_device_pasid`: the blocked domain takes the PASID on every capable device.
    static func detachDevicePasid(_ domain: IOMMUDomain?, _ dev: PhysicalDevice, _ pasid: UInt32, env: ModelEnv) {
        let group = dev.group
        for d in group.devices where d.maxPasids > 0 {
            _ = env.driver.blockedDomain.setDevPasid(d, pasid: pasid, old: domain)
        }
        group.pasidDomains[pasid] = nil
    }

    /// The domain attached to a device's PASID (0: the RID), as `iommu_attach_handle_get` sees it.
    static func attachedDomain(_ dev: PhysicalDevice, pasid: UInt32) -> IOMMUDomain? {
        dev.group.pasidDomains[pasid]
    }
}
