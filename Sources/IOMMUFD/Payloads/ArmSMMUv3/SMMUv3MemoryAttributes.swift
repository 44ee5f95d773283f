/// Cacheability of the SMMU's own table walks (STE.S1CIR/S1COR, CD.IR0/OR0), in the AArch64
/// TCR IRGN/ORGN encoding.
public enum SMMUv3Cacheability: UInt8, Hashable, Sendable, CaseIterable {
    /// 0b00: Normal, Non-cacheable.
    case nonCacheable = 0
    /// 0b01: Normal, Write-Back, Read-Allocate, Write-Allocate.
    case writeBackReadWriteAllocate = 1
    /// 0b10: Normal, Write-Through, Read-Allocate, no Write-Allocate.
    case writeThroughReadAllocate = 2
    /// 0b11: Normal, Write-Back, Read-Allocate, no Write-Allocate.
    case writeBackReadAllocate = 3
}

/// Shareability of the SMMU's own table walks (STE.S1CSH, CD.SH0). 0b01 is reserved.
public enum SMMUv3Shareability: UInt8, Hashable, Sendable, CaseIterable {
    /// 0b00: Non-shareable.
    case nonShareable = 0
    /// 0b10: Outer Shareable.
    case outerShareable = 2
    /// 0b11: Inner Shareable.
    case innerShareable = 3
}
